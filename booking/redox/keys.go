package redox

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// The JWS algorithms Redox's OAuth API keys sign with (REDOX-SCHEDULING §4.2).
const (
	AlgRS384 = "RS384"
	AlgES384 = "ES384"
	AlgHS384 = "HS384"
)

// minRSABits is the smallest RSA key Doorway signs with: below 2048 bits is breakable and
// refused by current guidance (NIST SP 800-131A).
const minRSABits = 2048

// SigningKey is a key that signs Doorway's client assertions, read from whichever form the
// operator was given: a PEM private key, a JWK, a JWK Set, or an HS384 shared secret.
type SigningKey struct {
	// Alg is the JWS algorithm the key signs with: AlgRS384, AlgES384 or AlgHS384.
	Alg string
	// KeyID is the JWK's kid, "" when the key came without one (PEM, a raw secret).
	KeyID string
	// Form says what the key was read from, for the start-up log: "pem", "jwk", "jwks" or
	// "secret".
	Form string

	key any // *rsa.PrivateKey, *ecdsa.PrivateKey (P-384) or []byte
}

func (k *SigningKey) method() jwt.SigningMethod {
	switch k.Alg {
	case AlgRS384:
		return jwt.SigningMethodRS384
	case AlgES384:
		return jwt.SigningMethodES384
	}
	return jwt.SigningMethodHS384
}

// ParseKey reads a signing key and detects its form: a PEM private key (RSA as PKCS#1 or
// PKCS#8, EC P-384 as SEC 1 or PKCS#8), a private JWK (kty RSA, EC on P-384, or oct for an
// HS384 secret), or a JWK Set ({"keys": [...]}) holding exactly one private key. The error
// says what is wrong in words an operator can act on: empty, not a key, a public key only,
// an unsupported algorithm or curve, an RSA key too short.
func ParseKey(data []byte) (*SigningKey, error) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) // editors add a BOM
	switch {
	case len(data) == 0:
		return nil, errors.New("it is empty")
	case data[0] == '{':
		return parseJWKOrSet(data)
	case bytes.Contains(data, []byte("-----BEGIN ")):
		return parsePEM(data)
	}
	return nil, errors.New(`it is not a key: want a PEM private key ("-----BEGIN PRIVATE KEY-----") or a JWK (JSON with "kty")`)
}

// ParseSecret reads an HS384 shared secret given as text: the secret itself, or an oct JWK
// ({"kty":"oct","k":"<base64url>"}) when it starts with "{".
func ParseSecret(s string) (*SigningKey, error) {
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "{") {
		k, err := parseJWKOrSet([]byte(t))
		if err != nil {
			return nil, err
		}
		if k.Alg != AlgHS384 {
			return nil, fmt.Errorf("it is a JWK for %s, not a shared secret: give it as the key file instead", k.Alg)
		}
		return k, nil
	}
	if s == "" {
		return nil, errors.New("it is empty")
	}
	return &SigningKey{Alg: AlgHS384, Form: "secret", key: []byte(s)}, nil
}

// ReadKeyFile reads the key file at path and checks that it holds a usable signing key, so
// a wrong file stops start-up with an error naming the file and the problem. It returns the
// file's bytes for Config.PrivateKey.
func ReadKeyFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if _, err := ParseKey(data); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return data, nil
}

// parsePEM finds the private key among the PEM blocks (a file may carry a certificate or
// the public key beside it) and explains what it found when there is none.
func parsePEM(data []byte) (*SigningKey, error) {
	var found []string
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		found = append(found, block.Type)
		if _, encrypted := block.Headers["Proc-Type"]; encrypted || block.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, errors.New("the private key is encrypted: store it decrypted " +
				"(openssl pkey -in key.pem -out plain.pem) in a file only Doorway can read")
		}
		var key any
		var err error
		switch block.Type {
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("the %s block does not parse: %w", block.Type, err)
		}
		return checkedKey(key, "pem")
	}
	switch {
	case len(found) == 0:
		return nil, errors.New("it looks like PEM but holds no readable block")
	case hasPublicBlock(found):
		return nil, fmt.Errorf("it holds a public key only (%s): Doorway signs with the private key; "+
			"register the public key with Redox and give Doorway the private one", strings.Join(found, ", "))
	}
	return nil, fmt.Errorf("it holds no private key, only %s", strings.Join(found, ", "))
}

// hasPublicBlock reports whether a public key or certificate was among the PEM blocks: the
// operator gave the half of the pair Redox keeps.
func hasPublicBlock(types []string) bool {
	for _, t := range types {
		if strings.Contains(t, "PUBLIC KEY") || t == "CERTIFICATE" {
			return true
		}
	}
	return false
}

// checkedKey accepts the private keys Redox's algorithms can use and names the problem with
// any other.
func checkedKey(key any, form string) (*SigningKey, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if bits := k.N.BitLen(); bits < minRSABits {
			return nil, fmt.Errorf("the RSA key has %d bits: Redox's RS384 needs at least %d", bits, minRSABits)
		}
		return &SigningKey{Alg: AlgRS384, Form: form, key: k}, nil
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P384() {
			return nil, fmt.Errorf("the EC key is on %s: Redox's ES384 needs a P-384 key", k.Curve.Params().Name)
		}
		return &SigningKey{Alg: AlgES384, Form: form, key: k}, nil
	case ed25519.PrivateKey:
		return nil, errors.New("an Ed25519 key is not supported: Redox accepts RS384 (RSA), ES384 (EC P-384) or HS384 (a shared secret)")
	}
	return nil, fmt.Errorf("a %T is not supported: Redox accepts RS384 (RSA), ES384 (EC P-384) or HS384 (a shared secret)", key)
}
