package redox

import (
	"bytes"
	"crypto/elliptic"
	"log/slog"
	"strings"
	"testing"
)

func TestNewClientRejectsBadConfig(t *testing.T) {
	good := Config{BaseURL: "https://api.redoxengine.com", ClientID: "id", Secret: testSecret, DestinationID: "dest"}
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string // in the error; "" = valid
	}{
		{"valid HS384", func(*Config) {}, ""},
		{"valid legacy", func(c *Config) { c.ClientID, c.Secret, c.APIKey, c.APISecret = "", "", "k", "s" }, ""},
		{"valid RS384", func(c *Config) { c.Secret, c.PrivateKey, c.KeyID = "", pemOf(t, rsaKey()), "kid" }, ""},
		{"no base url", func(c *Config) { c.BaseURL = "" }, "BaseURL is required"},
		{"base url without scheme", func(c *Config) { c.BaseURL = "api.redoxengine.com" }, "not an http(s) URL"},
		{"base url with query", func(c *Config) { c.BaseURL = "https://x.test/?a=1" }, "query or fragment"},
		{"no credentials", func(c *Config) { c.ClientID, c.Secret = "", "" }, "no credentials"},
		{"client id alone", func(c *Config) { c.Secret = "" }, "needs PrivateKey or Secret"},
		{"key and secret", func(c *Config) { c.PrivateKey = pemOf(t, rsaKey()) }, "not both"},
		{"PEM key without kid", func(c *Config) { c.Secret, c.PrivateKey = "", pemOf(t, rsaKey()) }, "KeyID is required"},
		{"JWK without kid", func(c *Config) { c.Secret, c.PrivateKey = "", jwkOf(t, rsaKey(), "") }, "KeyID is required"},
		{"valid JWK with its kid", func(c *Config) { c.Secret, c.PrivateKey = "", jwkOf(t, rsaKey(), "k1") }, ""},
		{"public JWK", func(c *Config) { c.Secret, c.PrivateKey = "", jwkOf(t, &rsaKey().PublicKey, "k1") }, "PrivateKey: it holds a public key only"},
		{"RSA JWK as the secret", func(c *Config) { c.Secret = string(jwkOf(t, rsaKey(), "k1")) }, "Secret: it is a JWK for RS384"},
		{"oct JWK and a secret", func(c *Config) { c.PrivateKey = jwkOf(t, []byte("s"), "") }, "not both"},
		{"key not PEM", func(c *Config) { c.Secret, c.PrivateKey, c.KeyID = "", []byte("nope"), "kid" }, "not a key"},
		{"EC key off P-384", func(c *Config) {
			c.Secret, c.PrivateKey, c.KeyID = "", pemOf(t, ecKey(t, elliptic.P256())), "kid"
		}, "P-384"},
		{"legacy half", func(c *Config) { c.ClientID, c.Secret, c.APIKey = "", "", "k" }, "both APIKey and APISecret"},
		{"no destination", func(c *Config) { c.DestinationID = " " }, "DestinationID is required"},
		{"attempts", func(c *Config) { c.MaxAttempts = 99 }, "MaxAttempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.mutate(&cfg)
			_, err := NewClient(cfg)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("NewClient: %v, want no error", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("NewClient error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestKeyIDOverrideIsLogged: when KeyID (the -redox-key-id flag) and the JWK's kid differ,
// the flag wins, and the start-up log says so, since a kid Redox does not know fails every
// sign-in with nothing else to go on.
func TestKeyIDOverrideIsLogged(t *testing.T) {
	tests := []struct {
		name, jwkKID, keyID string
		wantWarning         bool
		wantLogged          string
	}{
		{"flag differs from the JWK", "jwk-kid", "flag-kid", true, `"key_id":"flag-kid"`},
		{"flag equals the JWK", "same", "same", false, `"key_id":"same"`},
		{"no flag", "jwk-kid", "", false, `"key_id":"jwk-kid"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			cfg := Config{BaseURL: "https://api.redoxengine.com", ClientID: "id", DestinationID: "dest",
				PrivateKey: jwkOf(t, rsaKey(), tt.jwkKID), KeyID: tt.keyID,
				Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
			newTestClient(t, cfg)
			if got := strings.Contains(logs.String(), "overrides the jwk's kid"); got != tt.wantWarning {
				t.Errorf("override warning logged = %v, want %v:\n%s", got, tt.wantWarning, logs.String())
			}
			if !strings.Contains(logs.String(), tt.wantLogged) || !strings.Contains(logs.String(), `"auth":"jwt-rs384-jwk"`) {
				t.Errorf("ready line lacks %s and the auth form:\n%s", tt.wantLogged, logs.String())
			}
		})
	}
}
