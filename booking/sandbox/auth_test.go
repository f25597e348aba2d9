package sandbox

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"doorway/booking"
	"doorway/booking/redox"
)

// keyPEM encodes a public key as the PKIX PEM a client registers.
func keyPEM(t *testing.T, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// claimsFor are valid assertion claims for client at the fixture's token URL.
func (f *fixture) claimsFor(client string) jwt.MapClaims {
	now := f.clock.Now()
	return jwt.MapClaims{
		"iss": client, "sub": client, "aud": f.ts.URL + "/v2/auth/token",
		"iat": now.Unix(), "exp": now.Add(4 * time.Minute).Unix(), "jti": rand.Text(),
	}
}

// sign signs claims with method and key, with a kid as Redox clients send.
func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	return signKID(t, method, key, "key-1", claims)
}

// signKID signs with the given kid header ("" sends none).
func signKID(t *testing.T, method jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOAuthLoginThenQuery(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	otherRSA, _ := rsa.GenerateKey(rand.Reader, 2048)
	f := newFixture(t, func(c *Config) {
		c.Clients["rs-client"] = ClientKey{PublicKeyPEM: keyPEM(t, &rsaKey.PublicKey)}
		c.Clients["es-client"] = ClientKey{PublicKeyPEM: keyPEM(t, &ecKey.PublicKey)}
		c.Clients["rs-jwk"] = ClientKey{JWKS: publicJWK(t, &rsaKey.PublicKey, "key-1")}
		c.Clients["es-jwk"] = ClientKey{JWKS: publicJWK(t, &ecKey.PublicKey, "key-1")}
		// A set mid-rotation: the kid picks the key.
		c.Clients["jwks"] = ClientKey{JWKS: jwkSet(publicJWK(t, &otherRSA.PublicKey, "old"), publicJWK(t, &rsaKey.PublicKey, "new"),
			publicJWK(t, &ecKey.PublicKey, "ec"))}
	})
	hs := []byte(DemoSecret)
	with := func(client string, edit func(jwt.MapClaims)) jwt.MapClaims {
		c := f.claimsFor(client)
		edit(c)
		return c
	}
	same := f.claimsFor("demo")
	now := f.clock.Now()
	tests := []struct {
		name      string
		assertion string
		status    int
		want      string // in error_description when refused
	}{
		{"HS384 demo secret", sign(t, jwt.SigningMethodHS384, hs, f.claimsFor("demo")), 200, ""},
		{"RS384 registered key", sign(t, jwt.SigningMethodRS384, rsaKey, f.claimsFor("rs-client")), 200, ""},
		{"ES384 registered key", sign(t, jwt.SigningMethodES384, ecKey, f.claimsFor("es-client")), 200, ""},
		{"RS384 registered as a JWK", sign(t, jwt.SigningMethodRS384, rsaKey, f.claimsFor("rs-jwk")), 200, ""},
		{"ES384 registered as a JWK", sign(t, jwt.SigningMethodES384, ecKey, f.claimsFor("es-jwk")), 200, ""},
		{"RS384 new key of a JWK Set", signKID(t, jwt.SigningMethodRS384, rsaKey, "new", f.claimsFor("jwks")), 200, ""},
		{"RS384 old key of a JWK Set", signKID(t, jwt.SigningMethodRS384, otherRSA, "old", f.claimsFor("jwks")), 200, ""},
		{"ES384 key of a JWK Set", signKID(t, jwt.SigningMethodES384, ecKey, "ec", f.claimsFor("jwks")), 200, ""},
		{"JWK Set key under another kid", signKID(t, jwt.SigningMethodRS384, rsaKey, "old", f.claimsFor("jwks")), 401, "verification"},
		{"kid not in the JWK Set", signKID(t, jwt.SigningMethodRS384, rsaKey, "gone", f.claimsFor("jwks")), 401, `no RS384 key with kid "gone"`},
		{"no kid for a JWK Set", signKID(t, jwt.SigningMethodRS384, rsaKey, "", f.claimsFor("jwks")), 401, "kid is required"},
		{"ES384 kid naming an RSA key", signKID(t, jwt.SigningMethodES384, ecKey, "new", f.claimsFor("jwks")), 401, `no ES384 key with kid "new"`},
		{"aud on another host", sign(t, jwt.SigningMethodHS384, hs, with("demo", func(c jwt.MapClaims) {
			c["aud"] = "https://api.redoxengine.com/v2/auth/token"
		})), 200, ""},
		{"first use of a jti", sign(t, jwt.SigningMethodHS384, hs, same), 200, ""},
		{"reused jti", sign(t, jwt.SigningMethodHS384, hs, same), 401, "jti"},
		{"wrong secret", sign(t, jwt.SigningMethodHS384, []byte("guess"), f.claimsFor("demo")), 401, "signature"},
		{"RS384 with another key", sign(t, jwt.SigningMethodRS384, otherRSA, f.claimsFor("rs-client")), 401, "verification"},
		{"HS384 for a public-key client", sign(t, jwt.SigningMethodHS384, keyPEM(t, &rsaKey.PublicKey), f.claimsFor("rs-client")), 401, "no key for alg HS384"},
		{"HS256", sign(t, jwt.SigningMethodHS256, hs, f.claimsFor("demo")), 401, "signing method"},
		{"unknown client", sign(t, jwt.SigningMethodHS384, hs, f.claimsFor("nobody")), 401, "unknown client"},
		{"expired", sign(t, jwt.SigningMethodHS384, hs, with("demo", func(c jwt.MapClaims) {
			c["exp"] = now.Add(-time.Minute).Unix()
		})), 401, "expired"},
		{"exp too far ahead", sign(t, jwt.SigningMethodHS384, hs, with("demo", func(c jwt.MapClaims) {
			c["exp"] = now.Add(time.Hour).Unix()
		})), 401, "5 minutes"},
		{"no exp", sign(t, jwt.SigningMethodHS384, hs, with("demo", func(c jwt.MapClaims) { delete(c, "exp") })), 401, "exp"},
		{"sub differs from iss", sign(t, jwt.SigningMethodHS384, hs, with("demo", func(c jwt.MapClaims) { c["sub"] = "x" })), 401, "sub"},
		{"wrong aud", sign(t, jwt.SigningMethodHS384, hs, with("demo", func(c jwt.MapClaims) { c["aud"] = f.ts.URL + "/query" })), 401, "aud"},
		{"no jti", sign(t, jwt.SigningMethodHS384, hs, with("demo", func(c jwt.MapClaims) { delete(c, "jti") })), 401, "jti"},
		{"not a JWT", "not-a-jwt", 401, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.oauthLogin(tt.assertion)
			if status != tt.status {
				t.Fatalf("status: got %d %v, want %d", status, body, tt.status)
			}
			if status != http.StatusOK {
				if desc, _ := body["error_description"].(string); !strings.Contains(desc, tt.want) {
					t.Errorf("error_description: got %q, want it to mention %q", desc, tt.want)
				}
				return
			}
			tok, _ := body["access_token"].(string)
			if len(tok) != 64 || body["token_type"] != "Bearer" || body["expires_in"] != float64(300) {
				t.Fatalf("got %v, want a 64-hex Bearer token for 300 s", body)
			}
			q := week()
			q.Providers = []booking.ProviderRef{{ID: "1970125864", IDType: "NPI"}}
			slots := f.slotsFor(tok, q)
			if len(slots) == 0 {
				t.Fatalf("got no slots with an OAuth token")
			}
			checkAnswer(t, f.srv.def, q, slots)
		})
	}
}

// publicJWK is pub as the public JWK a client pastes into Redox's dashboard.
func publicJWK(t *testing.T, pub any, kid string) []byte {
	t.Helper()
	b, err := redox.MarshalJWK(pub, kid)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jwkSet is what a JWKS URL serves.
func jwkSet(keys ...[]byte) []byte {
	return []byte(`{"keys":[` + string(bytes.Join(keys, []byte(","))) + `]}`)
}

func TestClientKeysRefusedAtStart(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	priv := publicJWK(t, rsaKey, "k")
	tests := []struct {
		name string
		key  ClientKey
		want string
	}{
		{"nothing", ClientKey{}, "neither a secret nor a public key"},
		{"PEM that is not a key", ClientKey{PublicKeyPEM: []byte("nope")}, "neither RSA nor ECDSA"},
		{"JWKS that is not JSON", ClientKey{JWKS: []byte("nope")}, "JWKS: not a valid JWK"},
		{"JWK on P-256", ClientKey{JWKS: []byte(`{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}`)}, "P-384"},
		{"a shared secret in the JWKS", ClientKey{JWKS: publicJWK(t, []byte("s"), "k")}, `"oct" is not supported`},
		{"an empty set", ClientKey{JWKS: []byte(`{"keys":[]}`)}, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newAuthenticator(Config{Clients: map[string]ClientKey{"c": tt.key}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
	// A private JWK registered by mistake is read for its public half, as a JWKS URL would
	// serve it; the private members are ignored.
	if _, err := newAuthenticator(Config{Clients: map[string]ClientKey{"c": {JWKS: priv}}}); err != nil {
		t.Errorf("private JWK: %v, want its public half accepted", err)
	}
}

func TestTokenRequestShape(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, body string
		status     int
		code       string
	}{
		{"password grant", "grant_type=password", 400, "unsupported_grant_type"},
		{"no assertion type", "grant_type=client_credentials&client_assertion=x", 400, "invalid_request"},
		{"no assertion", "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := f.ts.Client().Post(f.ts.URL+"/v2/auth/token", "application/x-www-form-urlencoded", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("got %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

func TestLegacyLoginRefreshAndExpiry(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, path, body string
		status           int
	}{
		{"wrong secret", "/auth/authenticate", `{"apiKey":"demo","secret":"nope"}`, 401},
		{"wrong key", "/auth/authenticate", `{"apiKey":"x","secret":"demo-secret"}`, 401},
		{"not JSON", "/auth/authenticate", `apiKey=demo`, 400},
		{"unknown refresh token", "/auth/refreshToken", `{"apiKey":"demo","refreshToken":"abc"}`, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, m := f.post(tt.path, "", tt.body)
			if status != tt.status || len(m.Meta.Errors) == 0 {
				t.Errorf("got %d with %d errors, want %d with Meta.Errors", status, len(m.Meta.Errors), tt.status)
			}
		})
	}

	resp, err := f.ts.Client().Post(f.ts.URL+"/auth/authenticate", "application/json",
		strings.NewReader(`{"apiKey":"demo","secret":"demo-secret"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tok legacyToken
	decodeJSON(t, resp, &tok)
	if exp, _ := time.Parse(time.RFC3339, tok.Expires); !exp.Equal(testNow.Add(24 * time.Hour)) {
		t.Errorf("expires: got %q, want 24 h after now", tok.Expires)
	}
	f.clock.Advance(23 * time.Hour)
	if status, _ := f.post("/query", tok.AccessToken, f.slotQueryMsg()); status != http.StatusOK {
		t.Errorf("token after 23 h: got %d, want 200", status)
	}
	f.clock.Advance(2 * time.Hour)
	status, m := f.post("/query", tok.AccessToken, f.slotQueryMsg())
	if status != http.StatusUnauthorized || !strings.Contains(errorTexts(m), "expired") {
		t.Errorf("token after 25 h: got %d %q, want 401 naming expiry", status, errorTexts(m))
	}

	body := `{"apiKey":"demo","refreshToken":"` + tok.RefreshToken + `"}`
	resp, err = f.ts.Client().Post(f.ts.URL+"/auth/refreshToken", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var fresh legacyToken
	decodeJSON(t, resp, &fresh)
	if status, _ := f.post("/query", fresh.AccessToken, f.slotQueryMsg()); status != http.StatusOK {
		t.Errorf("refreshed token: got %d, want 200", status)
	}
	if status, _ := f.post("/auth/refreshToken", "", body); status != http.StatusUnauthorized {
		t.Errorf("refresh token used twice: got %d, want 401", status)
	}
}

func TestOAuthTokenLivesFiveMinutes(t *testing.T) {
	f := newFixture(t)
	_, body := f.oauthLogin(sign(t, jwt.SigningMethodHS384, []byte(DemoSecret), f.claimsFor("demo")))
	tok, _ := body["access_token"].(string)
	f.clock.Advance(4 * time.Minute)
	if status, _ := f.post("/query", tok, f.slotQueryMsg()); status != http.StatusOK {
		t.Errorf("after 4 min: got %d, want 200", status)
	}
	f.clock.Advance(2 * time.Minute)
	if status, _ := f.post("/query", tok, f.slotQueryMsg()); status != http.StatusUnauthorized {
		t.Errorf("after 6 min: got %d, want 401", status)
	}
}
