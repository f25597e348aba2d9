package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"doorway/booking/redox"
)

// Unit tests of package main's configuration. The tests of the whole binary (start-up,
// shutdown, booking through it) are in e2e/.

func TestConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(serveConfig) bool
	}{
		{name: "defaults are the demo clinic", check: func(c serveConfig) bool {
			return c.demo() && c.Addr == "127.0.0.1:8080" && c.SandboxAddr == "127.0.0.1:8081" && c.WebhookToken == "demo-webhook-token"
		}},
		{name: "env twin sets a flag", env: map[string]string{"DOORWAY_ADDR": "127.0.0.1:9999"},
			check: func(c serveConfig) bool { return c.Addr == "127.0.0.1:9999" }},
		{name: "flag beats env", args: []string{"-addr", "127.0.0.1:7000"}, env: map[string]string{"DOORWAY_ADDR": "127.0.0.1:9999"},
			check: func(c serveConfig) bool { return c.Addr == "127.0.0.1:7000" }},
		{name: "real Redox without webhook token refuses", args: []string{"-redox-client-id", "x", "-redox-client-secret", "s", "-redox-destination-id", "d"},
			wantErr: "webhook-token"},
		{name: "real Redox without destination refuses", env: map[string]string{"DOORWAY_REDOX_CLIENT_ID": "x", "DOORWAY_REDOX_CLIENT_SECRET": "s", "DOORWAY_WEBHOOK_TOKEN": "t"},
			wantErr: "destination"},
		{name: "client id needs a key", args: []string{"-redox-client-id", "x", "-webhook-token", "t", "-redox-destination-id", "d"},
			wantErr: "key-file"},
		{name: "key file and secret both", args: []string{"-redox-client-id", "x", "-webhook-token", "t", "-redox-destination-id", "d",
			"-redox-key-file", "k.jwk", "-redox-client-secret", "s"}, wantErr: "not both"},
		{name: "unknown flag", args: []string{"-nope"}, wantErr: "nope"},
		{name: "bad env value", env: map[string]string{"DOORWAY_HOLD": "soon"}, wantErr: "DOORWAY_HOLD"},
		{name: "query timeout defaults to 30s", check: func(c serveConfig) bool { return c.QueryTimeout == 30*time.Second }},
		{name: "query timeout up to Redox's 2 minutes", env: map[string]string{"DOORWAY_QUERY_TIMEOUT": "2m"},
			check: func(c serveConfig) bool { return c.QueryTimeout == 2*time.Minute }},
		{name: "query timeout past 2 minutes refused", args: []string{"-query-timeout", "3m"}, wantErr: "query-timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := parseServeConfig(tt.args, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("config %+v does not hold", c)
			}
		})
	}
}

func TestSessionKeysGeneratedOnceAndParsed(t *testing.T) {
	file := filepath.Join(t.TempDir(), "session.keys")
	k1, err := sessionKeys("", file)
	if err != nil || len(k1) != 2 {
		t.Fatalf("generate: %v, %d keys", err, len(k1))
	}
	k2, err := sessionKeys("", file)
	if err != nil || string(k1[0]) != string(k2[0]) {
		t.Fatalf("second read gave other keys (%v)", err)
	}
	if _, err := sessionKeys("zz", file); err == nil {
		t.Error("bad hex accepted")
	}
	if _, err := sessionKeys(strings.Repeat("ab", 32), file); err == nil {
		t.Error("odd number of keys accepted")
	}
}

// TestReadRedoxKey: -redox-key-file takes a key in any form Redox hands out, and a wrong one
// stops start-up with an error naming the flag, the file and the problem.
func TestReadRedoxKey(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	pubDER, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	jwk, _ := redox.MarshalJWK(key, "kid-1")
	noKID, _ := redox.MarshalJWK(key, "")
	dir := t.TempDir()
	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		path    string
		keyID   string
		wantErr string // "" = accepted
	}{
		{"JWK with its kid", file("a.jwk", jwk), "", ""},
		{"JWK Set with the flag's kid", file("b.json", []byte(`{"keys":[`+string(jwk)+`]}`)), "other", ""},
		{"PEM with a kid flag", file("c.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "kid-1", ""},
		{"PEM without a kid flag", file("d.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), "", "-redox-key-id is required"},
		{"JWK without a kid, no flag", file("e.jwk", noKID), "", "-redox-key-id is required"},
		{"public key only", file("f.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})), "kid-1", "public key only"},
		{"empty file", file("g.pem", nil), "kid-1", "empty"},
		{"no such file", filepath.Join(dir, "missing.pem"), "kid-1", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readRedoxKey(tt.path, tt.keyID)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("readRedoxKey: %v, want the key accepted", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("err = %v, want one naming %s and saying %q", err, tt.path, tt.wantErr)
			}
		})
	}
}
