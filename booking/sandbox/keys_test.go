package sandbox

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"doorway/booking"
	"doorway/booking/redox"
)

// TestKeyFormsAgainstSandbox signs with Doorway's real client using a key in each form Redox
// hands out (PEM, JWK, JWK Set; HS384 raw or as a JWK), for each algorithm, against a
// sandbox that registered the public half as PEM, as a JWK or as a JWK Set. The sandbox
// must issue a token and answer a query with it.
func TestKeyFormsAgainstSandbox(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	secretJWK := string(publicJWK(t, []byte(DemoSecret), "")) // an oct JWK holds the secret itself
	tests := []struct {
		name       string
		registered ClientKey // what the sandbox knows the client by
		key        []byte    // Config.PrivateKey, as the key file holds it
		secret     string    // Config.Secret
		keyID      string    // Config.KeyID, the -redox-key-id flag
	}{
		{"RS384 PEM, registered as PEM", ClientKey{PublicKeyPEM: keyPEM(t, &rsaKey.PublicKey)}, privatePEM(t, rsaKey), "", "key-1"},
		{"RS384 PEM, registered as a JWK", ClientKey{JWKS: publicJWK(t, &rsaKey.PublicKey, "key-1")}, privatePEM(t, rsaKey), "", "key-1"},
		{"RS384 JWK, registered as a JWK", ClientKey{JWKS: publicJWK(t, &rsaKey.PublicKey, "key-1")}, publicJWK(t, rsaKey, "key-1"), "", ""},
		{"RS384 JWK Set, registered as a JWK Set", ClientKey{JWKS: jwkSet(publicJWK(t, &other.PublicKey, "old"), publicJWK(t, &rsaKey.PublicKey, "key-2"))},
			jwkSet(publicJWK(t, rsaKey, "key-2")), "", ""},
		{"RS384 JWK, registered as PEM", ClientKey{PublicKeyPEM: keyPEM(t, &rsaKey.PublicKey)}, publicJWK(t, rsaKey, "key-1"), "", ""},
		{"ES384 PEM, registered as PEM", ClientKey{PublicKeyPEM: keyPEM(t, &ecKey.PublicKey)}, privatePEM(t, ecKey), "", "key-1"},
		{"ES384 JWK, registered as a JWK", ClientKey{JWKS: publicJWK(t, &ecKey.PublicKey, "key-1")}, publicJWK(t, ecKey, "key-1"), "", ""},
		{"ES384 JWK Set, registered as a JWK Set", ClientKey{JWKS: jwkSet(publicJWK(t, &ecKey.PublicKey, "ec"), publicJWK(t, &rsaKey.PublicKey, "rsa"))},
			jwkSet(publicJWK(t, ecKey, "ec")), "", ""},
		{"ES384 JWK with the flag's kid winning", ClientKey{JWKS: publicJWK(t, &ecKey.PublicKey, "registered")}, publicJWK(t, ecKey, "stale"), "", "registered"},
		{"HS384 raw secret", ClientKey{Secret: DemoSecret}, nil, DemoSecret, ""},
		{"HS384 oct JWK as the secret", ClientKey{Secret: DemoSecret}, nil, secretJWK, ""},
		{"HS384 oct JWK as the key file", ClientKey{Secret: DemoSecret}, []byte(secretJWK), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.Clients["doorway"] = tt.registered })
			client, err := redox.NewClient(redox.Config{BaseURL: f.ts.URL, ClientID: "doorway", PrivateKey: tt.key,
				Secret: tt.secret, KeyID: tt.keyID, DestinationID: "sandbox-ehr", Test: true, Now: f.clock.Now})
			if err != nil {
				t.Fatalf("NewClient: %v", err)
			}
			if err := client.Ping(t.Context()); err != nil {
				t.Fatalf("Ping (a token from the sandbox): %v", err)
			}
			q := week()
			q.Providers = []booking.ProviderRef{{ID: "1365042179", IDType: "NPI"}}
			if page, err := client.AvailableSlots(t.Context(), q); err != nil || len(page.Slots) == 0 {
				t.Errorf("AvailableSlots: %d slots, %v; want some", len(page.Slots), err)
			}
		})
	}
}

// TestWrongKeyRefusedBySandbox: a key the sandbox does not know for the client gets no
// token, and the client reports a sign-in problem.
func TestWrongKeyRefusedBySandbox(t *testing.T) {
	registered, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	stranger, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	f := newFixture(t, func(c *Config) {
		c.Clients["doorway"] = ClientKey{JWKS: publicJWK(t, &registered.PublicKey, "key-1")}
	})
	for name, key := range map[string][]byte{
		"another key under the registered kid": publicJWK(t, stranger, "key-1"),
		"the registered key under another kid": publicJWK(t, registered, "key-9"),
	} {
		t.Run(name, func(t *testing.T) {
			client, err := redox.NewClient(redox.Config{BaseURL: f.ts.URL, ClientID: "doorway", PrivateKey: key,
				DestinationID: "sandbox-ehr", Now: f.clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			if err := client.Ping(t.Context()); booking.ErrorCode(err) != booking.CodeUnauthorized {
				t.Errorf("Ping: %v, want unauthorized", err)
			}
		})
	}
}

func privatePEM(t *testing.T, key any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}
