package web

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
)

// Redox verifies a destination before it delivers to it (REDOX-SCHEDULING §4.6): it sends a
// challenge and the verification token, and expects the challenge back, bare, with a 200.
// Its documentation shows several forms, and Doorway answers each:
//   - POST, JSON body {"verification-token": "...", "challenge": "..."}, with or without the
//     verification-token header;
//   - GET ?challenge=..., the token in the query (verification-token=...) or in the header.
//
// When the header is present it must match, whatever else the request carries; without it,
// the token in the body or the query must.

// handshake is the POST form's body.
type handshake struct {
	Token     string `json:"verification-token"`
	Challenge string `json:"challenge"`
}

// handshakeOf reports whether body is a handshake: a small JSON object with a challenge and
// no Meta (every delivery has a Meta).
func handshakeOf(body []byte) (handshake, bool) {
	if len(body) > handshakeLimit {
		return handshake{}, false
	}
	var hs struct {
		handshake
		Meta json.RawMessage `json:"Meta"`
	}
	if json.Unmarshal(body, &hs) != nil || hs.Challenge == "" || hs.Meta != nil {
		return handshake{}, false
	}
	return hs.handshake, true
}

// answerHandshake echoes the POST form's challenge once the token matches: the header's when
// there is one, the body's otherwise.
func (h *webhook) answerHandshake(c echo.Context, header string, hs handshake) error {
	token := header
	if token == "" {
		token = hs.Token
	}
	if err := h.checkToken(token); err != nil {
		return err
	}
	return c.String(http.StatusOK, hs.Challenge)
}

// challenge answers the GET form of the handshake.
func (h *webhook) challenge(c echo.Context) error {
	token := c.Request().Header.Get("verification-token")
	if token == "" {
		token = c.QueryParam("verification-token")
	}
	if err := h.checkToken(token); err != nil {
		return err
	}
	challenge := c.QueryParam("challenge")
	if challenge == "" {
		return &booking.Error{Code: booking.CodeMalformed, Msg: booking.MsgChallengeMissing, Field: "challenge"}
	}
	return c.String(http.StatusOK, challenge)
}
