package redox

import (
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// jwkOf is key as a JWK named kid, as Redox's dashboard hands it out.
func jwkOf(t *testing.T, key any, kid string) []byte {
	t.Helper()
	b, err := MarshalJWK(key, kid)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jwksOf wraps JWKs in a JWK Set.
func jwksOf(keys ...[]byte) []byte {
	raws := make([]json.RawMessage, len(keys))
	for i, k := range keys {
		raws[i] = k
	}
	b, _ := json.Marshal(map[string]any{"keys": raws})
	return b
}

// editJWK changes or (with a nil value) removes members of a JWK.
func editJWK(t *testing.T, j []byte, edits map[string]any) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(j, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range edits {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return b
}

func publicPEM(t *testing.T, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// shortRSA is a 1024-bit key: valid, but too short for Redox.
var shortRSA = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		panic(err)
	}
	return k
})

func TestParseKeyForms(t *testing.T) {
	ec := ecKey(t, elliptic.P384())
	ecSEC1, err := x509.MarshalECPrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	rsaJWK := jwkOf(t, rsaKey(), "rsa-kid")
	tests := []struct {
		name     string
		data     []byte
		wantAlg  string
		wantKID  string
		wantForm string
	}{
		{"RSA PKCS#8 PEM", pemOf(t, rsaKey()), AlgRS384, "", "pem"},
		{"RSA PKCS#1 PEM", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey())}), AlgRS384, "", "pem"},
		{"RSA PEM after its certificate", append(selfSigned(t), pemOf(t, rsaKey())...), AlgRS384, "", "pem"},
		{"EC P-384 PKCS#8 PEM", pemOf(t, ec), AlgES384, "", "pem"},
		{"EC P-384 SEC 1 PEM", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecSEC1}), AlgES384, "", "pem"},
		{"RSA JWK", rsaJWK, AlgRS384, "rsa-kid", "jwk"},
		{"RSA JWK without alg or use", editJWK(t, rsaJWK, map[string]any{"alg": nil, "use": nil}), AlgRS384, "rsa-kid", "jwk"},
		{"RSA JWK with a BOM and padding", append([]byte("\xef\xbb\xbf\n"), rsaJWK...), AlgRS384, "rsa-kid", "jwk"},
		{"EC P-384 JWK", jwkOf(t, ec, "ec-kid"), AlgES384, "ec-kid", "jwk"},
		{"oct JWK", jwkOf(t, []byte(testSecret), "hs-kid"), AlgHS384, "hs-kid", "jwk"},
		{"JWK Set with one private key and an old public one", jwksOf(jwkOf(t, &shortRSA().PublicKey, "old"), rsaJWK), AlgRS384, "rsa-kid", "jwks"},
		{"JWK Set with one EC key", jwksOf(jwkOf(t, ec, "ec-kid")), AlgES384, "ec-kid", "jwks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.data)
			if err != nil {
				t.Fatalf("ParseKey: %v", err)
			}
			if k.Alg != tt.wantAlg || k.KeyID != tt.wantKID || k.Form != tt.wantForm {
				t.Errorf("got %s kid %q form %s, want %s kid %q form %s", k.Alg, k.KeyID, k.Form, tt.wantAlg, tt.wantKID, tt.wantForm)
			}
		})
	}
}

func TestParseKeyErrors(t *testing.T) {
	ec := ecKey(t, elliptic.P384())
	p256 := ecKey(t, elliptic.P256())
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	edDER, _ := x509.MarshalPKCS8PrivateKey(edKey)
	rsaJWK := jwkOf(t, rsaKey(), "k1")
	ecJWK := jwkOf(t, ec, "k2")
	other := jwkOf(t, ecKey(t, elliptic.P384()), "k3")
	var otherM map[string]string
	_ = json.Unmarshal(other, &otherM)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty file", nil, "empty"},
		{"blank lines only", []byte("\n \n"), "empty"},
		{"not a key", []byte("hello, this is my key"), "not a key"},
		{"PEM public key only", publicPEM(t, &rsaKey().PublicKey), "public key only"},
		{"PEM certificate only", selfSigned(t), "public key only"},
		{"encrypted PEM", pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}}), "encrypted"},
		{"legacy encrypted PEM", pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: []byte{1}}), "encrypted"},
		{"broken PEM block", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("junk")}), "does not parse"},
		{"EC PEM on P-256", pemOf(t, p256), "P-384"},
		{"RSA PEM of 1024 bits", pemOf(t, shortRSA()), "1024 bits"},
		{"Ed25519 PEM", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER}), "Ed25519"},
		{"RSA JWK public only", jwkOf(t, &rsaKey().PublicKey, "k1"), "public key only"},
		{"EC JWK public only", jwkOf(t, &ec.PublicKey, "k2"), "public key only"},
		{"JWK Set of public keys", jwksOf(jwkOf(t, &ec.PublicKey, "k2")), "public key only"},
		{"JWK Set with two private keys", jwksOf(rsaJWK, ecJWK), "2 private keys"},
		{"empty JWK Set", []byte(`{"keys":[]}`), "empty"},
		{"EC JWK on P-256", editJWK(t, ecJWK, map[string]any{"crv": "P-256"}), "P-384"},
		{"RSA JWK of 1024 bits", jwkOf(t, shortRSA(), "short"), "1024 bits"},
		{"OKP JWK", []byte(`{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"}`), `"OKP" is not supported`},
		{"JWK without kty", []byte(`{"kid":"x","d":"AA"}`), `no "kty"`},
		{"JWK with alg RS256", editJWK(t, rsaJWK, map[string]any{"alg": "RS256"}), "RS256 is not an algorithm Redox accepts"},
		{"JWK whose alg does not fit its key", editJWK(t, ecJWK, map[string]any{"alg": "RS384"}), "but it is an EC key"},
		{"RSA JWK without primes", editJWK(t, rsaJWK, map[string]any{"p": nil, "q": nil, "dp": nil, "dq": nil, "qi": nil}), `"p" and "q"`},
		{"RSA JWK with a wrong d", editJWK(t, rsaJWK, map[string]any{"d": "AQAB"}), "do not make a key"},
		{"EC JWK with another key's x and y", editJWK(t, ecJWK, map[string]any{"x": otherM["x"], "y": otherM["y"]}), "do not belong"},
		{"JWK with bad base64", editJWK(t, ecJWK, map[string]any{"d": "not base64!"}), "not base64url"},
		{"oct JWK without k", []byte(`{"kty":"oct","kid":"s"}`), `no "k"`},
		{"truncated JSON", rsaJWK[:40], "not a valid JWK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseKey = %+v, %v; want an error mentioning %q", k, err, tt.want)
			}
		})
	}
}

func TestReadKeyFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("redox.jwk", jwkOf(t, rsaKey(), "k1"))
	if data, err := ReadKeyFile(good); err != nil || len(data) == 0 {
		t.Errorf("ReadKeyFile(good) = %d bytes, %v; want the file", len(data), err)
	}
	for name, tc := range map[string]struct {
		path string
		want string
	}{
		"empty":       {write("empty.pem", nil), "empty"},
		"public only": {write("public.pem", publicPEM(t, &rsaKey().PublicKey)), "public key only"},
		"missing":     {filepath.Join(dir, "nope.pem"), "no such file"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadKeyFile(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one naming %s and saying %q", err, tc.path, tc.want)
			}
		})
	}
}

func TestParseSecret(t *testing.T) {
	tests := []struct {
		name, in   string
		wantSecret string
		wantKID    string
		wantErr    string
	}{
		{"raw", testSecret, testSecret, "", ""},
		{"oct JWK", string(jwkOf(t, []byte(testSecret), "s1")), testSecret, "s1", ""},
		{"RSA JWK given as a secret", string(jwkOf(t, rsaKey(), "k1")), "", "", "not a shared secret"},
		{"empty", "", "", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseSecret(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(k.key.([]byte)) != tt.wantSecret || k.KeyID != tt.wantKID || k.Alg != AlgHS384 {
				t.Errorf("got %s kid %q secret %q, want HS384 kid %q secret %q", k.Alg, k.KeyID, k.key, tt.wantKID, tt.wantSecret)
			}
		})
	}
}

// selfSigned is a PEM certificate for rsaKey: what a confused operator might hand over.
func selfSigned(t *testing.T) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "doorway"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &rsaKey().PublicKey, rsaKey())
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
