package redox

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by NewClient to zero Config fields.
const (
	DefaultMaxAttempts      = 3
	DefaultTimeout          = 30 * time.Second
	DefaultBackoffBase      = 250 * time.Millisecond
	DefaultMaxResponseBytes = 10 << 20
)

// Config configures a Client. Exactly one way to authenticate is used: ClientID with
// PrivateKey (RS384 for an RSA key, ES384 for a P-384 key, HS384 for an oct JWK) or with
// Secret (HS384) for the OAuth JWT grant; otherwise APIKey+APISecret for the legacy login.
type Config struct {
	// BaseURL is the Redox API root, e.g. https://api.redoxengine.com, or the sandbox's
	// http://127.0.0.1:8081. Paths (/query, /endpoint, /v2/auth/token) are appended.
	BaseURL string

	// ClientID is the OAuth API key's client ID (iss and sub of the client assertion).
	ClientID string
	// PrivateKey signs the assertion, as the key file holds it (see ParseKey): a PEM private
	// key (RSA or EC P-384), a private JWK (RSA, EC P-384, or oct for an HS384 secret) or a
	// JWK Set holding one private key. The form and the algorithm are detected.
	PrivateKey []byte
	// KeyID is the kid header naming the key in the JWK set Redox knows. It is required
	// with a PEM key; with a JWK it defaults to the JWK's kid, and overrides it when set.
	KeyID string
	// Secret is the HS384 shared secret, raw or as an oct JWK, instead of PrivateKey.
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
		case len(cfg.PrivateKey) > 0 && cfg.Secret != "":
			bad("set PrivateKey or Secret for ClientID, not both")
		case len(cfg.PrivateKey) == 0 && cfg.Secret == "":
			bad("ClientID needs PrivateKey or Secret")
		}
	case cfg.APIKey != "" || cfg.APISecret != "":
		if cfg.APIKey == "" || cfg.APISecret == "" {
			bad("legacy login needs both APIKey and APISecret")
		}
	default:
		bad("no credentials: set ClientID (with PrivateKey or Secret) or APIKey+APISecret")
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

// tokenSource builds the token source the credentials call for, and names the method for
// the start-up log.
func (cfg Config) tokenSource() (tokenSource, string, error) {
	if cfg.ClientID == "" {
		return &legacySource{hc: cfg.HTTPClient, url: cfg.BaseURL + pathAuthenticate,
			apiKey: cfg.APIKey, apiSecret: cfg.APISecret, now: cfg.Now}, "legacy", nil
	}
	key, err := cfg.signingKey()
	if err != nil {
		return nil, "", err
	}
	src := &jwtSource{hc: cfg.HTTPClient, tokenURL: cfg.BaseURL + pathToken, clientID: cfg.ClientID,
		keyID: key.KeyID, method: key.method(), key: key.key, now: cfg.Now}
	if cfg.KeyID != "" {
		if key.KeyID != "" && key.KeyID != cfg.KeyID {
			// The operator's kid wins (docs/REDOX.md), said aloud: a kid Redox does not know
			// fails every sign-in with nothing else to go on.
			cfg.Logger.Warn("redox key id overrides the jwk's kid", "key_id", cfg.KeyID, "jwk_kid", key.KeyID)
		}
		src.keyID = cfg.KeyID
	}
	if secret, ok := key.key.([]byte); ok && len(secret) < 32 && !isLoopback(hostOf(cfg.BaseURL)) {
		cfg.Logger.Warn("redox hs384 secret is shorter than 32 bytes")
	}
	if src.keyID == "" && key.Alg != AlgHS384 {
		return nil, "", errors.New("redox: config: KeyID is required: Redox matches the kid to your public key, " +
			"and this key names none (a PEM key never does; a JWK does in \"kid\")")
	}
	return src, "jwt-" + strings.ToLower(key.Alg) + "-" + key.Form, nil
}

// hostOf is the host of a URL withDefaults has already checked.
func hostOf(rawURL string) string {
	u, _ := url.Parse(rawURL)
	return u.Hostname()
}

// signingKey parses PrivateKey or Secret.
func (cfg Config) signingKey() (*SigningKey, error) {
	if cfg.Secret != "" {
		key, err := ParseSecret(cfg.Secret)
		if err != nil {
			return nil, fmt.Errorf("redox: config: Secret: %w", err)
		}
		return key, nil
	}
	key, err := ParseKey(cfg.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("redox: config: PrivateKey: %w", err)
	}
	return key, nil
}
