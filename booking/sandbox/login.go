package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"

	"doorway/booking/redox"
)

// maxAuthBody bounds a token request; an assertion is well under 4 KB.
const maxAuthBody = 64 << 10

// oauthError answers a token request the OAuth 2.0 way (RFC 6749 §5.2), with Meta.Errors
// beside it so a client that only reads Redox errors still sees the reason.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	body := redox.ErrorMessage("", status, description)
	writeJSON(w, status, struct {
		Error       string     `json:"error"`
		Description string     `json:"error_description"`
		Meta        redox.Meta `json:"Meta"`
	}{code, description, body.Meta})
}

// issueOAuthToken is POST /v2/auth/token: client credentials with a JWT client assertion.
func (s *Server) issueOAuthToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxAuthBody)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be a form (application/x-www-form-urlencoded)")
		return
	}
	switch {
	case r.PostForm.Get("grant_type") != "client_credentials":
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	case r.PostForm.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
		oauthError(w, http.StatusBadRequest, "invalid_request", "client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		return
	case r.PostForm.Get("client_assertion") == "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "client_assertion is required")
		return
	}
	client, err := s.auth.verifyAssertion(s.now(), r.PostForm.Get("client_assertion"))
	if err != nil {
		s.log.Info("token refused", "err", err)
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client assertion refused: "+err.Error())
		return
	}
	tok, _ := s.auth.issue(s.now(), oauthTTL)
	s.log.Info("token issued", "client_id", client)
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   int(oauthTTL.Seconds()),
	})
}

// legacyToken is the legacy login answer.
type legacyToken struct {
	AccessToken  string `json:"accessToken"`
	Expires      string `json:"expires"`
	RefreshToken string `json:"refreshToken"`
}

// authenticate is POST /auth/authenticate: {"apiKey","secret"} -> a 24-hour token.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		APIKey string `json:"apiKey"`
		Secret string `json:"secret"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAuthBody)).Decode(&in); err != nil {
		fail(w, "", http.StatusBadRequest, "body must be JSON {\"apiKey\", \"secret\"}: "+err.Error())
		return
	}
	if !s.auth.legacyOK(in.APIKey, in.Secret) {
		fail(w, "", http.StatusUnauthorized, "invalid apiKey or secret")
		return
	}
	s.writeLegacyToken(w, in.APIKey)
}

// refreshToken is POST /auth/refreshToken: {"apiKey","refreshToken"} -> a new token pair;
// the refresh token used is spent.
func (s *Server) refreshToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		APIKey       string `json:"apiKey"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAuthBody)).Decode(&in); err != nil {
		fail(w, "", http.StatusBadRequest, "body must be JSON {\"apiKey\", \"refreshToken\"}: "+err.Error())
		return
	}
	if !s.auth.useRefresh(s.now(), in.APIKey, in.RefreshToken) {
		fail(w, "", http.StatusUnauthorized, "invalid or expired refreshToken")
		return
	}
	s.writeLegacyToken(w, in.APIKey)
}

func (s *Server) writeLegacyToken(w http.ResponseWriter, apiKey string) {
	tok, exp := s.auth.issue(s.now(), legacyTTL)
	writeJSON(w, http.StatusOK, legacyToken{
		AccessToken:  tok,
		Expires:      redox.FormatTime(exp),
		RefreshToken: s.auth.issueRefresh(s.now(), apiKey),
	})
}

// requireToken lets a request through only with a live bearer token.
func (s *Server) requireToken(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="redox"`)
			fail(w, "", http.StatusUnauthorized, "missing bearer token: get one from /v2/auth/token or /auth/authenticate")
			return
		}
		if err := s.auth.check(s.now(), strings.TrimSpace(tok)); err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="redox", error="invalid_token"`)
			fail(w, "", http.StatusUnauthorized, err.Error())
			return
		}
		next(w, r)
	}
}
