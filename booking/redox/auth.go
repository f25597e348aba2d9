package redox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"doorway/booking"
)

// Auth paths on the Redox API (REDOX-SCHEDULING §4.1).
const (
	pathToken        = "/v2/auth/token"
	pathAuthenticate = "/auth/authenticate"
)

const (
	// assertionTTL stays under Redox's 5-minute cap on exp even when our clock runs a little
	// ahead of Redox's.
	assertionTTL = 4 * time.Minute
	// defaultTokenTTL is assumed when a token answer names no lifetime: Redox documents
	// 5 minutes, and a wrong guess only costs one 401 and a renewal.
	defaultTokenTTL = 5 * time.Minute
	// renewMargin renews a token this long before it expires, so a request never leaves with a
	// token that dies in flight.
	renewMargin = 30 * time.Second
	// maxAuthBody caps a token answer: a few hundred bytes in practice.
	maxAuthBody = 64 << 10
)

// tokenSource mints a fresh access token; tokenCache decides when to ask.
type tokenSource interface {
	fetch(ctx context.Context) (token string, expires time.Time, err error)
}

// tokenCache hands out the current access token and renews it before it expires. Only one
// renewal runs at a time: concurrent callers wait for the same answer, so a burst of requests
// after expiry costs Redox one token call, not one per request.
type tokenCache struct {
	src     tokenSource
	now     func() time.Time
	timeout time.Duration // bounds a renewal, which no single caller owns
	log     *slog.Logger

	mu       sync.Mutex // guards the fields below
	token    string
	renewAt  time.Time
	inflight *renewal
}

// renewal is one token fetch that several callers may be waiting on.
type renewal struct {
	done  chan struct{} // closed when token and err are set
	token string
	err   error
}

// get returns a valid token, fetching one if the cached one is missing or due for renewal.
func (c *tokenCache) get(ctx context.Context) (string, error) {
	c.mu.Lock()
	if c.token != "" && c.now().Before(c.renewAt) {
		tok := c.token
		c.mu.Unlock()
		return tok, nil
	}
	r := c.inflight
	if r == nil {
		r = &renewal{done: make(chan struct{})}
		c.inflight = r
		// The fetch outlives the caller that started it: others may be waiting on it, so one
		// caller's cancellation must not fail them all. It keeps ctx's values, not its deadline.
		go c.renew(context.WithoutCancel(ctx), r)
	}
	c.mu.Unlock()

	select {
	case <-r.done:
		return r.token, r.err
	case <-ctx.Done():
		return "", unavailable("redox: waiting for access token", ctx.Err())
	}
}

func (c *tokenCache) renew(ctx context.Context, r *renewal) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	start := time.Now()
	tok, expires, err := c.src.fetch(ctx)
	now := c.now()
	if err != nil {
		c.log.LogAttrs(ctx, slog.LevelWarn, "redox token renewal failed", slog.Duration("latency", time.Since(start)),
			slog.String("error_code", string(booking.ErrorCode(err))), slog.String("cause", err.Error()))
	} else {
		c.log.LogAttrs(ctx, slog.LevelInfo, "redox token renewed", slog.Duration("latency", time.Since(start)),
			slog.Duration("expires_in", expires.Sub(now)))
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	c.inflight = nil
	r.token, r.err = tok, err
	// Waiters return without taking the lock, so the cache is updated before they wake.
	defer close(r.done)
	if err != nil {
		return // nothing cached: the next caller tries again
	}
	c.token = tok
	c.renewAt = expires.Add(-renewMargin)
	if life := expires.Sub(now); life <= 2*renewMargin {
		// A very short-lived token would be "due" at once; use it for half its life instead.
		c.renewAt = now.Add(life / 2)
	}
}

// invalidate drops token if it is still the cached one (Redox answered 401 to it). Comparing
// first means a burst of 401s for the same stale token causes one renewal, and a 401 for an
// older token does not throw away a newer one.
func (c *tokenCache) invalidate(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == token {
		c.token = ""
	}
}

// jwtSource implements Redox's OAuth 2.0 client credentials grant with a signed JWT client
// assertion (REDOX-SCHEDULING §4.2).
type jwtSource struct {
	hc       *http.Client
	tokenURL string
	clientID string
	keyID    string // kid header; required by Redox for RS384/ES384
	method   jwt.SigningMethod
	key      any // *rsa.PrivateKey, *ecdsa.PrivateKey or []byte for HS384
	now      func() time.Time
}

// assertion builds a fresh client assertion. jti is random per assertion because Redox
// refuses a replayed one.
func (s *jwtSource) assertion() (string, error) {
	now := s.now()
	claims := jwt.MapClaims{
		"iss": s.clientID,
		"sub": s.clientID,
		"aud": s.tokenURL, // a plain string, as Redox's own examples send it
		"iat": now.Unix(),
		"exp": now.Add(assertionTTL).Unix(),
		"jti": rand.Text(),
	}
	t := jwt.NewWithClaims(s.method, claims)
	if s.keyID != "" {
		t.Header["kid"] = s.keyID
	}
	return t.SignedString(s.key)
}

func (s *jwtSource) fetch(ctx context.Context) (string, time.Time, error) {
	assertion, err := s.assertion()
	if err != nil {
		return "", time.Time{}, &booking.Error{Code: booking.CodeInternal, Err: fmt.Errorf("redox: sign client assertion: %w", err)}
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
		"client_assertion":      {assertion},
	}
	data, err := postAuth(ctx, s.hc, s.tokenURL, "application/x-www-form-urlencoded", []byte(form.Encode()))
	if err != nil {
		return "", time.Time{}, err
	}
	var ans struct {
		AccessToken string  `json:"access_token"`
		ExpiresIn   float64 `json:"expires_in"`
		TokenType   string  `json:"token_type"`
	}
	if err := json.Unmarshal(data, &ans); err != nil || ans.AccessToken == "" {
		return "", time.Time{}, unavailable("redox: token answer", fmt.Errorf("no access_token in answer: %v", err))
	}
	if ans.TokenType != "" && !strings.EqualFold(ans.TokenType, "bearer") {
		return "", time.Time{}, unauthorized(fmt.Errorf("redox: token type %q, want Bearer", ans.TokenType))
	}
	ttl := time.Duration(ans.ExpiresIn * float64(time.Second))
	if ttl <= 0 {
		ttl = defaultTokenTTL
	}
	return ans.AccessToken, s.now().Add(ttl), nil
}

// legacySource implements the deprecated API key + secret login (REDOX-SCHEDULING §4.3). It
// logs in again rather than using the refresh token: same cost, one code path fewer.
type legacySource struct {
	hc        *http.Client
	url       string
	apiKey    string
	apiSecret string
	now       func() time.Time
}

func (s *legacySource) fetch(ctx context.Context) (string, time.Time, error) {
	body, err := json.Marshal(map[string]string{"apiKey": s.apiKey, "secret": s.apiSecret})
	if err != nil {
		return "", time.Time{}, err
	}
	data, err := postAuth(ctx, s.hc, s.url, "application/json", body)
	if err != nil {
		return "", time.Time{}, err
	}
	var ans struct {
		AccessToken string `json:"accessToken"`
		Expires     string `json:"expires"`
	}
	if err := json.Unmarshal(data, &ans); err != nil || ans.AccessToken == "" {
		return "", time.Time{}, unavailable("redox: authenticate answer", fmt.Errorf("no accessToken in answer: %v", err))
	}
	expires := s.now().Add(defaultTokenTTL)
	if ans.Expires != "" {
		t, err := ParseTime(ans.Expires)
		if err != nil {
			return "", time.Time{}, unavailable("redox: authenticate answer", fmt.Errorf("expires: %w", err))
		}
		expires = t
	}
	return ans.AccessToken, expires, nil
}

// postAuth posts credentials to a token endpoint. Refusals (400, 401, 403) mean the
// credentials are wrong and become CodeUnauthorized; anything else that fails is
// CodeUnavailable, which the caller may retry because no Scheduling message has left yet.
func postAuth(ctx context.Context, hc *http.Client, u, contentType string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, &booking.Error{Code: booking.CodeInternal, Err: fmt.Errorf("redox: token request: %w", err)}
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, unavailable("redox: token request", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAuthBody))
	if err != nil {
		return nil, unavailable("redox: token answer", err)
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return data, nil
	case resp.StatusCode == http.StatusBadRequest, resp.StatusCode == http.StatusUnauthorized,
		resp.StatusCode == http.StatusForbidden:
		// OAuth error bodies ({"error":"invalid_client",...}) name the problem and carry no
		// patient data; keep a short excerpt for the logs.
		return nil, unauthorized(fmt.Errorf("redox: token endpoint answered %d: %s", resp.StatusCode, excerpt(data)))
	default:
		return nil, unavailable("redox: token endpoint", fmt.Errorf("HTTP %d", resp.StatusCode))
	}
}

// excerpt shortens an error body for an error chain.
func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
