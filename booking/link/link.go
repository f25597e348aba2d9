// Package link signs and checks the links that open an appointment's manage page without an
// account ("/m/<token>"). The web server hands them out on the confirmation page and opens
// them; the emails carry the same links, absolute. The token names one visit and is valid for
// that visit only (the MAC covers the purpose and the visit number); the first key signs and
// every key verifies, so keys rotate by putting the new one first.
package link

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Prefix is the path under which a manage link's token is opened.
const Prefix = "/m/"

// Signer signs and checks manage links.
type Signer struct{ keys [][]byte }

// NewSigner returns a signer over keys (the first signs, every one verifies). It panics
// without a key: a link nobody can check is a bug.
func NewSigner(keys [][]byte) Signer {
	if len(keys) == 0 {
		panic("link: NewSigner without a key")
	}
	return Signer{keys: keys}
}

// KeyFrom derives the link key from a server secret, so every instance and the mailer, given
// the same secret, sign the same links.
func KeyFrom(secret []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte("manage links"))
	return h.Sum(nil)
}

func mac(key []byte, visit string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("doorway manage link v1\x00" + visit))
	return h.Sum(nil)[:16]
}

// Token is the link token for visit.
func (s Signer) Token(visit string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(visit)) + "." + base64.RawURLEncoding.EncodeToString(mac(s.keys[0], visit))
}

// Path is the relative manage link of visit: "/m/<token>".
func (s Signer) Path(visit string) string { return Prefix + s.Token(visit) }

// Visit is the visit a token names, when one of the keys signed it.
func (s Signer) Visit(token string) (string, bool) {
	v64, m64, ok := strings.Cut(token, ".")
	if !ok || len(token) > 200 {
		return "", false
	}
	visit, err1 := base64.RawURLEncoding.DecodeString(v64)
	got, err2 := base64.RawURLEncoding.DecodeString(m64)
	if err1 != nil || err2 != nil {
		return "", false
	}
	for _, k := range s.keys {
		if hmac.Equal(got, mac(k, string(visit))) {
			return string(visit), true
		}
	}
	return "", false
}
