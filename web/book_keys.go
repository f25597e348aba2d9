package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/labstack/echo/v4"

	"doorway/booking"
)

// confirmKey is a new idempotency key for the review page's form, bound to this browser: a
// random id and an HMAC of it with the browser's CSRF token, which lives in an HttpOnly
// cookie of its own and so survives the session id's rotation after a booking. A double click
// or a refresh of the confirmation replays the key from the same browser; another browser,
// or a key the server never issued, fails checkKey.
func (s *Server) confirmKey(c echo.Context) string {
	id := booking.NewID("K")
	return id + "." + s.keyMAC(id, csrfToken(c))
}

// checkKey reports whether key was issued by this server to this browser.
func (s *Server) checkKey(c echo.Context, key string) bool {
	id, mac, ok := strings.Cut(key, ".")
	return ok && hmac.Equal([]byte(mac), []byte(s.keyMAC(id, csrfToken(c))))
}

func (s *Server) keyMAC(id, browser string) string {
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte("confirm-key\x00" + id + "\x00" + browser))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}
