package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"doorway/booking/redox"
)

// Token lifetimes and assertion rules as Redox documents them (REDOX-SCHEDULING §4.2, §4.3).
const (
	oauthTTL        = 5 * time.Minute // /v2/auth/token access tokens; no refresh token
	legacyTTL       = 24 * time.Hour  // /auth/authenticate access tokens
	refreshTTL      = 30 * 24 * time.Hour
	maxAssertionTTL = 5 * time.Minute  // an assertion's exp may be at most this far ahead
	clockSkew       = 30 * time.Second // tolerated between the client's clock and ours
	tokenPath       = "/v2/auth/token"
)

// clientKey is a ClientKey parsed once at New.
type clientKey struct {
	secret []byte
	public any               // from PublicKeyPEM: *rsa.PublicKey or *ecdsa.PublicKey, any kid
	byKID  []redox.PublicJWK // from JWKS: the assertion's kid picks one
}

// grant is an issued token: when it expires and, for refresh tokens, whose it is.
type grant struct {
	expires time.Time
	apiKey  string
}

// authenticator issues and checks tokens. Tokens live in memory only: a restart logs every
// client out, which clients handle anyway because tokens expire.
type authenticator struct {
	apiKey, apiSecret string
	clients           map[string]clientKey

	mu      sync.Mutex
	access  map[[32]byte]grant   // keyed by SHA-256 of the token (see hashToken)
	refresh map[[32]byte]grant   // legacy refresh tokens
	jtis    map[string]time.Time // assertion jti -> when it may be forgotten
}

func newAuthenticator(cfg Config) (*authenticator, error) {
	a := &authenticator{
		apiKey:    cfg.APIKey,
		apiSecret: cfg.APISecret,
		clients:   map[string]clientKey{},
		access:    map[[32]byte]grant{},
		refresh:   map[[32]byte]grant{},
		jtis:      map[string]time.Time{},
	}
	for id, k := range cfg.Clients {
		ck, err := parseClientKey(k)
		if err != nil {
			return nil, fmt.Errorf("sandbox: client %q: %w", id, err)
		}
		a.clients[id] = ck
	}
	return a, nil
}

// parseClientKey reads a registered ClientKey: the secret, the PEM key and the JWK set.
func parseClientKey(k ClientKey) (clientKey, error) {
	ck := clientKey{}
	if k.Secret != "" {
		ck.secret = []byte(k.Secret)
	}
	if len(k.PublicKeyPEM) > 0 {
		if pub, err := jwt.ParseRSAPublicKeyFromPEM(k.PublicKeyPEM); err == nil {
			ck.public = pub
		} else if pub, err := jwt.ParseECPublicKeyFromPEM(k.PublicKeyPEM); err == nil {
			ck.public = pub
		} else {
			return ck, errors.New("public key is neither RSA nor ECDSA PEM")
		}
	}
	if len(k.JWKS) > 0 {
		keys, err := redox.ParsePublicJWKs(k.JWKS)
		if err != nil {
			return ck, fmt.Errorf("JWKS: %w", err)
		}
		ck.byKID = keys
	}
	if ck.secret == nil && ck.public == nil && ck.byKID == nil {
		return ck, errors.New("neither a secret nor a public key")
	}
	return ck, nil
}

// publicFor picks the key that verifies an RS384 or ES384 assertion: the JWK whose kid the
// assertion names (Redox requires the kid to match a key of the client's JWK set, which
// lets a client rotate keys), else the PEM key, which takes any kid.
func (k clientKey) publicFor(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	for _, want := range []string{kid, ""} { // the kid's own key first, then one naming none
		for _, j := range k.byKID {
			if j.Alg == t.Method.Alg() && j.KeyID == want {
				return j.Key, nil
			}
		}
	}
	if k.public != nil {
		return k.public, nil
	}
	if k.byKID != nil {
		if kid == "" {
			return nil, fmt.Errorf("kid is required for %s: it names the key in your JWK set", t.Method.Alg())
		}
		return nil, fmt.Errorf("no %s key with kid %q in the client's JWK set", t.Method.Alg(), kid)
	}
	return nil, nil
}

// hashToken keys the token maps by a digest, so looking a token up never compares the secret
// itself byte by byte (no timing hint about valid tokens).
func hashToken(tok string) [32]byte { return sha256.Sum256([]byte(tok)) }

// newToken is 32 random bytes, hex.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand documents it)
	return hex.EncodeToString(b)
}

// issue records a new access token valid for ttl from now.
func (a *authenticator) issue(now time.Time, ttl time.Duration) (string, time.Time) {
	tok, exp := newToken(), now.Add(ttl)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.purge(now)
	a.access[hashToken(tok)] = grant{expires: exp}
	return tok, exp
}

// issueRefresh records a legacy refresh token for apiKey.
func (a *authenticator) issueRefresh(now time.Time, apiKey string) string {
	tok := newToken()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refresh[hashToken(tok)] = grant{expires: now.Add(refreshTTL), apiKey: apiKey}
	return tok
}

// useRefresh consumes a refresh token of apiKey: each may be used once (rotation).
func (a *authenticator) useRefresh(now time.Time, apiKey, tok string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	h := hashToken(tok)
	g, ok := a.refresh[h]
	delete(a.refresh, h)
	return ok && now.Before(g.expires) && subtle.ConstantTimeCompare([]byte(g.apiKey), []byte(apiKey)) == 1
}

// check tells whether tok is a live access token; the error names why not.
func (a *authenticator) check(now time.Time, tok string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	g, ok := a.access[hashToken(tok)]
	switch {
	case !ok:
		return errors.New("invalid access token")
	case !now.Before(g.expires):
		return errors.New("access token expired: log in again")
	}
	return nil
}

// purge forgets expired tokens and jtis; called with mu held on every issue, so the maps stay
// as small as the number of live tokens.
func (a *authenticator) purge(now time.Time) {
	for h, g := range a.access {
		if !now.Before(g.expires) {
			delete(a.access, h)
		}
	}
	for h, g := range a.refresh {
		if !now.Before(g.expires) {
			delete(a.refresh, h)
		}
	}
	for j, until := range a.jtis {
		if now.After(until) {
			delete(a.jtis, j)
		}
	}
}

// legacyOK checks an apiKey and secret in constant time; with none configured, nothing passes.
func (a *authenticator) legacyOK(apiKey, secret string) bool {
	if a.apiKey == "" || a.apiSecret == "" {
		return false
	}
	k := subtle.ConstantTimeCompare([]byte(apiKey), []byte(a.apiKey))
	s := subtle.ConstantTimeCompare([]byte(secret), []byte(a.apiSecret))
	return k&s == 1
}

// verifyAssertion checks a client assertion JWT and returns the client id. The algorithm
// must match the registered key's kind (HS384 only with a secret, RS384/ES384 only with a
// public key), which rules out algorithm confusion. aud may name any host, since the
// sandbox cannot know which name the client reached it by, but must be the token path.
func (a *authenticator) verifyAssertion(now time.Time, assertion string) (string, error) {
	var claims jwt.RegisteredClaims
	_, err := jwt.ParseWithClaims(assertion, &claims, func(t *jwt.Token) (any, error) {
		key, ok := a.clients[claims.Issuer]
		if !ok {
			return nil, fmt.Errorf("unknown client %q (iss)", claims.Issuer)
		}
		switch t.Method.(type) {
		case *jwt.SigningMethodHMAC:
			if key.secret != nil {
				return key.secret, nil
			}
		case *jwt.SigningMethodRSA, *jwt.SigningMethodECDSA:
			if pub, err := key.publicFor(t); pub != nil || err != nil {
				return pub, err
			}
		}
		return nil, fmt.Errorf("client %q has no key for alg %s", claims.Issuer, t.Method.Alg())
	}, jwt.WithValidMethods([]string{"HS384", "RS384", "ES384"}), jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(), jwt.WithLeeway(clockSkew), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		return "", err
	}
	switch {
	case claims.Subject != claims.Issuer:
		return "", errors.New("sub must equal iss (the client id)")
	case claims.ExpiresAt.After(now.Add(maxAssertionTTL + clockSkew)):
		return "", errors.New("exp is more than 5 minutes ahead")
	case claims.ID == "":
		return "", errors.New("jti is required")
	case !audienceOK(claims.Audience):
		return "", fmt.Errorf("aud must be the token URL (…%s)", tokenPath)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	key := claims.Issuer + "\x00" + claims.ID
	if _, used := a.jtis[key]; used {
		return "", errors.New("jti was already used: every assertion needs a new one")
	}
	a.jtis[key] = claims.ExpiresAt.Add(clockSkew)
	return claims.Issuer, nil
}

// audienceOK accepts an aud naming the token endpoint on any host.
func audienceOK(aud jwt.ClaimStrings) bool {
	for _, s := range aud {
		u, err := url.Parse(s)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.TrimSuffix(u.Path, "/") == tokenPath {
			return true
		}
	}
	return false
}
