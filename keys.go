package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"doorway/store"
)

// The keys Doorway derives everything secret from: the session key pairs, given
// (-session-keys) or generated once and kept where every instance finds them.

// storeKeys returns the session keys of the database serve opened: -session-keys, else what
// every instance shares: with PostgreSQL the database itself (the first instance generates
// them), with SQLite a file in the data directory. Only serve creates them (create); the
// admin commands read what serve made, and say where they looked when there is nothing.
func storeKeys(ctx context.Context, db *store.DB, cfg serveConfig, create bool) ([][]byte, error) {
	if cfg.SessionKeys != "" || !store.IsPostgres(cfg.DB) {
		file := filepath.Join(cfg.dataDir(), "session.keys")
		if !create && cfg.SessionKeys == "" {
			if _, err := os.Stat(file); err != nil {
				return nil, fmt.Errorf("no session keys at %s: give the -data-dir or -session-keys doorway serve runs with: %w", file, err)
			}
		}
		return sessionKeys(cfg.SessionKeys, file)
	}
	fresh := func() (string, error) { return newKeyPair(), nil }
	if !create {
		fresh = func() (string, error) {
			return "", errors.New("the database holds no session keys: give the -session-keys doorway serve runs with")
		}
	}
	shared, err := db.SharedSetting(ctx, "session_keys", fresh)
	if err != nil {
		return nil, err
	}
	return parseSessionKeys(shared)
}

// deadLetterSecrets are the secrets that seal the bodies of dead letters: the hash key of
// each session key pair, the first pair's sealing and every pair's opening, so that
// rotating the session keys (the new pair first, the old one kept) keeps older dead letters
// readable. The store stretches each into an AES key for this use alone (HKDF).
func deadLetterSecrets(keys [][]byte) [][]byte {
	var secrets [][]byte
	for i := 0; i < len(keys); i += 2 {
		secrets = append(secrets, keys[i])
	}
	return secrets
}

// derivedSecret is the web server's HMAC secret, derived from the session keys so that every
// instance given the same keys agrees, and rotating them rotates it.
func derivedSecret(keys [][]byte) []byte {
	h := hmac.New(sha256.New, keys[0])
	h.Write([]byte("doorway web secret v1"))
	return h.Sum(nil)
}

// sessionKeys parses -session-keys, or, when it is empty, reads (creating it on first run) a
// file of random keys in the data directory so sessions survive restarts without a committed
// default key.
func sessionKeys(flagVal, file string) ([][]byte, error) {
	if flagVal == "" {
		b, err := os.ReadFile(file)
		if errors.Is(err, os.ErrNotExist) {
			b = []byte(newKeyPair() + "\n")
			if err := os.MkdirAll(filepath.Dir(file), 0o750); err != nil {
				return nil, fmt.Errorf("write session keys: %w", err)
			}
			if err := os.WriteFile(file, b, 0o600); err != nil {
				return nil, fmt.Errorf("write session keys: %w", err)
			}
		} else if err != nil {
			return nil, fmt.Errorf("read session keys: %w", err)
		}
		flagVal = strings.TrimSpace(string(b))
	}
	return parseSessionKeys(flagVal)
}

// newKeyPair is a fresh hash,block pair of random 32-byte keys in hex.
func newKeyPair() string {
	k := make([]byte, 64)
	rand.Read(k)
	return hex.EncodeToString(k[:32]) + "," + hex.EncodeToString(k[32:])
}

// parseSessionKeys reads comma-separated hex keys in hash,block pairs.
func parseSessionKeys(s string) ([][]byte, error) {
	var keys [][]byte
	for i, part := range strings.Split(s, ",") {
		k, err := hex.DecodeString(strings.TrimSpace(part))
		// Pairs are (hash key: HMAC-SHA256, 32 or 64 bytes; block key: AES, 16, 24 or 32 bytes).
		ok := len(k) == 32 || (i%2 == 0 && len(k) == 64) || (i%2 == 1 && (len(k) == 16 || len(k) == 24))
		if err != nil || !ok {
			return nil, fmt.Errorf("session key %d: want 64 hex characters (32 bytes)", i+1)
		}
		keys = append(keys, k)
	}
	if len(keys)%2 != 0 {
		return nil, errors.New("session keys come in hash,block pairs: give an even number")
	}
	return keys, nil
}
