package redox

import (
	"context"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"sync"
	"testing"
	"time"

	"doorway/booking"
)

func TestTokenFetchedOnceAndReused(t *testing.T) {
	d := newDouble(t)
	c := newTestClient(t, testConfig(t, d))
	for i := range 3 {
		if _, err := c.Booked(t.Context(), bookedQuery()); err != nil {
			t.Fatalf("Booked #%d: %v", i+1, err)
		}
	}
	if got := d.hits(); got != 1 {
		t.Errorf("token requests = %d, want 1", got)
	}
	for i, r := range d.requests() {
		if got, want := r.Header.Get("Authorization"), "Bearer token-1"; got != want {
			t.Errorf("request %d Authorization = %q, want %q", i+1, got, want)
		}
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	tests := []struct {
		name      string
		expiresIn int
		advance   time.Duration
		wantHits  int
	}{
		{"fresh token reused", 300, time.Minute, 1},
		{"just before the 30s margin", 300, 269 * time.Second, 1},
		{"inside the 30s margin", 300, 271 * time.Second, 2},
		{"expired", 300, 10 * time.Minute, 2},
		{"short token used for half its life", 40, 19 * time.Second, 1},
		{"short token renewed after half its life", 40, 21 * time.Second, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock()
			d := newDouble(t)
			d.now, d.expiresIn = clock.Now, tt.expiresIn
			c := newTestClient(t, testConfig(t, d))
			if _, err := c.Booked(t.Context(), bookedQuery()); err != nil {
				t.Fatal(err)
			}
			clock.Advance(tt.advance)
			if _, err := c.Booked(t.Context(), bookedQuery()); err != nil {
				t.Fatal(err)
			}
			if got := d.hits(); got != tt.wantHits {
				t.Errorf("token requests = %d, want %d", got, tt.wantHits)
			}
		})
	}
}

func TestConcurrentRenewalFetchesOnce(t *testing.T) {
	clock := newClock()
	d := newDouble(t)
	d.now, d.delay = clock.Now, 50*time.Millisecond
	c := newTestClient(t, testConfig(t, d))

	burst := func() {
		var wg sync.WaitGroup
		for range 40 {
			wg.Go(func() {
				if _, err := c.Booked(t.Context(), bookedQuery()); err != nil {
					t.Errorf("Booked: %v", err)
				}
			})
		}
		wg.Wait()
	}
	burst()
	if got := d.hits(); got != 1 {
		t.Errorf("token requests after first burst = %d, want 1", got)
	}
	clock.Advance(6 * time.Minute)
	burst()
	if got := d.hits(); got != 2 {
		t.Errorf("token requests after expiry burst = %d, want 2", got)
	}
}

func TestWaiterGivesUpWithoutSpoilingRenewal(t *testing.T) {
	d := newDouble(t)
	d.delay = 100 * time.Millisecond
	c := newTestClient(t, testConfig(t, d))

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	_, err := c.Booked(ctx, bookedQuery())
	if !errors.Is(err, context.DeadlineExceeded) || booking.ErrorCode(err) != booking.CodeUnavailable {
		t.Fatalf("impatient caller: err = %v, want unavailable wrapping DeadlineExceeded", err)
	}
	if _, err := c.Booked(t.Context(), bookedQuery()); err != nil {
		t.Fatalf("patient caller: %v", err)
	}
	if got := d.hits(); got != 1 {
		t.Errorf("token requests = %d, want 1 (the renewal outlives the caller that started it)", got)
	}
}

// TestSignedAssertions signs with a key of each form Redox hands out, for each algorithm,
// against a double that verifies the signature and the kid as Redox does.
func TestSignedAssertions(t *testing.T) {
	rsaPEM := pemOf(t, rsaKey())
	pkcs1 := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey())})
	ec := ecKey(t, elliptic.P384())
	rsaJWK, ecJWK := jwkOf(t, rsaKey(), testKID), jwkOf(t, ec, testKID)
	octJWK := string(jwkOf(t, []byte(testSecret), ""))
	rsaPub := &rsaKey().PublicKey
	tests := []struct {
		name    string
		key     []byte
		secret  string
		keyID   string // Config.KeyID (the -redox-key-id flag)
		pub     any
		wantAlg string
	}{
		{"RS384 PKCS#8 PEM with kid", rsaPEM, "", testKID, rsaPub, "RS384"},
		{"RS384 PKCS#1 PEM with kid", pkcs1, "", testKID, rsaPub, "RS384"},
		{"RS384 JWK, kid from the JWK", rsaJWK, "", "", rsaPub, "RS384"},
		{"RS384 JWK Set, kid from the JWK", jwksOf(jwkOf(t, &ec.PublicKey, "old"), rsaJWK), "", "", rsaPub, "RS384"},
		{"RS384 JWK with another kid, KeyID wins", jwkOf(t, rsaKey(), "jwk-kid"), "", testKID, rsaPub, "RS384"},
		{"ES384 P-384 PEM with kid", pemOf(t, ec), "", testKID, &ec.PublicKey, "ES384"},
		{"ES384 JWK, kid from the JWK", ecJWK, "", "", &ec.PublicKey, "ES384"},
		{"ES384 JWK Set, kid from the JWK", jwksOf(ecJWK), "", "", &ec.PublicKey, "ES384"},
		{"HS384 raw shared secret", nil, testSecret, "", nil, "HS384"},
		{"HS384 oct JWK as the secret", nil, octJWK, "", nil, "HS384"},
		{"HS384 oct JWK as the key file", []byte(octJWK), "", "", nil, "HS384"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			d.pub, d.kid = tt.pub, testKID
			cfg := testConfig(t, d)
			cfg.Secret, cfg.PrivateKey, cfg.KeyID = tt.secret, tt.key, tt.keyID
			c := newTestClient(t, cfg)
			for range 2 { // two assertions: jti must differ
				if _, err := c.Booked(t.Context(), bookedQuery()); err != nil {
					t.Fatalf("Booked: %v", err)
				}
				c.tokens.invalidate("token-1")
			}
			headers, all := d.assertions()
			if len(headers) != 2 {
				t.Fatalf("verified assertions = %d, want 2", len(headers))
			}
			h, claims := headers[0], all[0]
			if h["alg"] != tt.wantAlg {
				t.Errorf("alg = %v, want %s", h["alg"], tt.wantAlg)
			}
			wantKID := testKID
			if tt.wantAlg == "HS384" {
				wantKID = "" // none configured, none in the JWK
			}
			if kid, _ := h["kid"].(string); kid != wantKID {
				t.Errorf("kid = %q, want %q", kid, wantKID)
			}
			if claims["aud"] != d.srv.URL+pathToken {
				t.Errorf("aud = %v, want the token URL as a string", claims["aud"])
			}
			if claims["jti"] == all[1]["jti"] {
				t.Errorf("jti %v reused", claims["jti"])
			}
		})
	}
}

func TestWrongCredentialsAreUnauthorized(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config, *redoxDouble)
	}{
		{"wrong HS384 secret", func(c *Config, _ *redoxDouble) { c.Secret = "not-the-secret-not-the-secret-not-it" }},
		{"unknown client id", func(c *Config, _ *redoxDouble) { c.ClientID = "someone-else" }},
		{"unknown kid", func(c *Config, d *redoxDouble) {
			d.pub, d.kid = &rsaKey().PublicKey, testKID
			c.Secret, c.PrivateKey, c.KeyID = "", pemOf(t, rsaKey()), "other-kid"
		}},
		{"wrong legacy secret", func(c *Config, _ *redoxDouble) {
			c.ClientID, c.Secret, c.APIKey, c.APISecret = "", "", "legacy-key", "nope"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			cfg := testConfig(t, d)
			tt.mutate(&cfg, d)
			c := newTestClient(t, cfg)
			err := c.Book(t.Context(), appointment())
			if got := booking.ErrorCode(err); got != booking.CodeUnauthorized {
				t.Errorf("code = %q (%v), want unauthorized", got, err)
			}
			if got := len(d.requests()); got != 0 {
				t.Errorf("data requests = %d, want 0", got)
			}
			if got := d.hits(); got != 1 {
				t.Errorf("token requests = %d, want 1 (refused credentials are not retried)", got)
			}
		})
	}
}

func TestTokenEndpointDownIsRetriedEvenForNew(t *testing.T) {
	d := newDouble(t)
	d.tokenFail = 2
	c := newTestClient(t, testConfig(t, d))
	// No Scheduling message leaves while there is no token, so retrying cannot double-book.
	if err := c.Book(t.Context(), appointment()); err != nil {
		t.Fatalf("Book: %v", err)
	}
	if got, want := d.hits(), 3; got != want {
		t.Errorf("token requests = %d, want %d", got, want)
	}
	if got := len(d.requests()); got != 1 {
		t.Errorf("data requests = %d, want 1", got)
	}
}

func TestLegacyAuth(t *testing.T) {
	clock := newClock()
	d := newDouble(t)
	d.now = clock.Now
	cfg := testConfig(t, d)
	cfg.ClientID, cfg.Secret, cfg.APIKey, cfg.APISecret = "", "", "legacy-key", "legacy-secret"
	c := newTestClient(t, cfg)

	if _, err := c.AvailableSlots(t.Context(), slotQuery()); err != nil {
		t.Fatalf("AvailableSlots: %v", err)
	}
	clock.Advance(time.Minute)
	if _, err := c.AvailableSlots(t.Context(), slotQuery()); err != nil {
		t.Fatalf("AvailableSlots: %v", err)
	}
	if got := d.hits(); got != 1 {
		t.Errorf("logins before expiry = %d, want 1", got)
	}
	clock.Advance(5 * time.Minute) // past "expires"
	if _, err := c.AvailableSlots(t.Context(), slotQuery()); err != nil {
		t.Fatalf("AvailableSlots: %v", err)
	}
	if got := d.hits(); got != 2 {
		t.Errorf("logins after expiry = %d, want 2", got)
	}
	if got, want := d.requests()[2].Header.Get("Authorization"), "Bearer token-2"; got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
}
