package redox

import (
	"crypto/elliptic"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Defaults applied by NewClient to zero Config fields.
const (
	DefaultMaxAttempts      = 3
	DefaultTimeout          = 30 * time.Second
	DefaultBackoffBase      = 250 * time.Millisecond
	DefaultMaxResponseBytes = 10 << 20
)

// Config configures a Client. Exactly one way to authenticate is used: ClientID with
// PrivateKeyPEM+KeyID (RS384, or ES384 for a P-384 key) or with Secret (HS384) for the OAuth
// JWT grant; otherwise APIKey+APISecret for the legacy login.
type Config struct {
	// BaseURL is the Redox API root, e.g. https://api.redoxengine.com, or the sandbox's
	// http://127.0.0.1:8081. Paths (/query, /endpoint, /v2/auth/token) are appended.
	BaseURL string

	// ClientID is the OAuth API key's client ID (iss and sub of the client assertion).
	ClientID string
	// PrivateKeyPEM is the PEM private key (PKCS#1 or PKCS#8 RSA, or P-384 EC) that signs the
	// assertion; the caller reads it from the configured key file.
	PrivateKeyPEM []byte
	// KeyID is the kid header naming PrivateKeyPEM's public key in the JWK set Redox knows.
	KeyID string
	// Secret is the HS384 shared secret, the alternative to PrivateKeyPEM.
	Secret string

	// APIKey and APISecret are the deprecated legacy credentials, used only without ClientID.
	APIKey, APISecret string

	// SourceID and SourceName fill Meta.Source; Redox requires the ID only when the
	// organisation has several API keys per environment.
	SourceID, SourceName string
	// DestinationID (required) and DestinationName fill the single Meta.Destinations entry.
	DestinationID, DestinationName string
	// Test sets Meta.Test on every message: true outside production.
	Test bool

	// HTTPClient sends the requests. Nil means a client without a timeout (deadlines come
	// from the context) that does not follow redirects.
	HTTPClient *http.Client
	// Logger receives one line per attempt; nil discards.
	Logger *slog.Logger
	// MaxAttempts bounds tries per call, including the first (default 3). A 401 renewal retry
	// is extra.
	MaxAttempts int
	// Timeout bounds a whole call (retries included) when its context has no deadline
	// (default 30s). A context deadline always wins.
	Timeout time.Duration
	// BackoffBase is the first retry delay, doubled per attempt, with jitter (default 250ms).
	BackoffBase time.Duration
	// MaxResponseBytes caps a response body (default 10 MB).
	MaxResponseBytes int64
	// Now is the clock for Meta.EventDateTime, assertions and token expiry (default time.Now).
	Now func() time.Time
}

// withDefaults fills zero fields and checks the rest, reporting every problem at once.
func (cfg Config) withDefaults() (Config, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.BaseURL == "" {
		bad("BaseURL is required (e.g. https://api.redoxengine.com)")
	} else if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		bad("BaseURL %q is not an http(s) URL with a host", cfg.BaseURL)
	} else if u.RawQuery != "" || u.Fragment != "" {
		bad("BaseURL %q must not carry a query or fragment", cfg.BaseURL)
	}

	switch {
	case cfg.ClientID != "":
		switch {
		case len(cfg.PrivateKeyPEM) > 0 && cfg.Secret != "":
			bad("set PrivateKeyPEM or Secret for ClientID, not both")
		case len(cfg.PrivateKeyPEM) > 0 && cfg.KeyID == "":
			bad("KeyID is required with PrivateKeyPEM (Redox matches it to your public key)")
		case len(cfg.PrivateKeyPEM) == 0 && cfg.Secret == "":
			bad("ClientID needs PrivateKeyPEM with KeyID, or Secret")
		}
	case cfg.APIKey != "" || cfg.APISecret != "":
		if cfg.APIKey == "" || cfg.APISecret == "" {
			bad("legacy login needs both APIKey and APISecret")
		}
	default:
		bad("no credentials: set ClientID (with PrivateKeyPEM+KeyID or Secret) or APIKey+APISecret")
	}

	if strings.TrimSpace(cfg.DestinationID) == "" {
		bad("DestinationID is required (every message names exactly one destination)")
	}
	if cfg.MaxAttempts < 0 || cfg.MaxAttempts > 10 {
		bad("MaxAttempts %d is outside 0..10", cfg.MaxAttempts)
	}
	if cfg.Timeout < 0 || cfg.BackoffBase < 0 || cfg.MaxResponseBytes < 0 {
		bad("Timeout, BackoffBase and MaxResponseBytes must not be negative")
	}
	if len(errs) > 0 {
		return cfg, fmt.Errorf("redox: config: %w", errors.Join(errs...))
	}

	if cfg.MaxAttempts == 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.BackoffBase == 0 {
		cfg.BackoffBase = DefaultBackoffBase
	}
	if cfg.MaxResponseBytes == 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{
			Transport: http.DefaultTransport.(*http.Transport).Clone(),
			// A redirect would turn the POST into a GET or resend the bearer token elsewhere;
			// surface it instead (it means BaseURL is wrong).
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return cfg, nil
}

// tokenSource builds the token source the credentials call for.
func (cfg Config) tokenSource() (tokenSource, string, error) {
	if cfg.ClientID == "" {
		return &legacySource{hc: cfg.HTTPClient, url: cfg.BaseURL + pathAuthenticate,
			apiKey: cfg.APIKey, apiSecret: cfg.APISecret, now: cfg.Now}, "legacy", nil
	}
	src := &jwtSource{hc: cfg.HTTPClient, tokenURL: cfg.BaseURL + pathToken,
		clientID: cfg.ClientID, keyID: cfg.KeyID, now: cfg.Now}
	if cfg.Secret != "" {
		src.method, src.key = jwt.SigningMethodHS384, []byte(cfg.Secret)
		return src, "jwt-hs384", nil
	}
	if key, err := jwt.ParseRSAPrivateKeyFromPEM(cfg.PrivateKeyPEM); err == nil {
		if key.N.BitLen() < 2048 {
			return nil, "", fmt.Errorf("redox: config: RSA key has %d bits, want at least 2048", key.N.BitLen())
		}
		src.method, src.key = jwt.SigningMethodRS384, key
		return src, "jwt-rs384", nil
	}
	if key, err := jwt.ParseECPrivateKeyFromPEM(cfg.PrivateKeyPEM); err == nil {
		if key.Curve != elliptic.P384() {
			return nil, "", errors.New("redox: config: EC key must be on P-384 for ES384")
		}
		src.method, src.key = jwt.SigningMethodES384, key
		return src, "jwt-es384", nil
	}
	return nil, "", errors.New("redox: config: PrivateKeyPEM is not a PEM RSA or P-384 EC private key")
}
