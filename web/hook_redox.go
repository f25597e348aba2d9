package web

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/booking/redox"
)

// WebhookBodyLimit bounds an inbound Redox delivery; larger bodies get 413.
const WebhookBodyLimit = 1 << 20

// webhook receives the EHR's Scheduling notifications (DESIGN §5 "app inbound"): it checks
// the verification token, has booking/redox read the delivery and the service apply it.
// Every failure goes to the one error handler, which answers JSON naming the field.
type webhook struct {
	token []byte
	svc   *booking.Service
	log   *slog.Logger
}

func newWebhook(token string, svc *booking.Service, log *slog.Logger) *webhook {
	return &webhook{token: []byte(token), svc: svc, log: log}
}

var (
	errTokenMissing = &booking.Error{Code: booking.CodeUnauthorized, Msg: booking.MsgTokenMissing, Field: "verification-token"}
	errTokenWrong   = &booking.Error{Code: booking.CodeForbidden, Msg: booking.MsgTokenWrong, Field: "verification-token"}
)

// checkToken compares in constant time, so the token cannot be guessed byte by byte from
// timings. An empty configured token accepts nothing.
func (h *webhook) checkToken(got string) error {
	if len(h.token) == 0 || subtle.ConstantTimeCompare([]byte(got), h.token) != 1 {
		return errTokenWrong
	}
	return nil
}

// challenge answers Redox's GET form of the verification handshake.
func (h *webhook) challenge(c echo.Context) error {
	if err := h.checkToken(c.QueryParam("verification-token")); err != nil {
		return err
	}
	return c.String(http.StatusOK, c.QueryParam("challenge"))
}

// receive applies one notification. The POST form of the handshake carries the token in the
// body and no header; every other delivery must carry the header.
func (h *webhook) receive(c echo.Context) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, WebhookBodyLimit))
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		return &booking.Error{Code: booking.CodeTooLarge, Msg: booking.MsgBodyTooLarge, Detail: "over 1 MB"}
	} else if err != nil {
		return &booking.Error{Code: booking.CodeMalformed, Msg: booking.MsgBodyUnread, Err: err}
	}
	header := c.Request().Header.Get("verification-token")
	if header == "" {
		return h.handshake(c, body)
	}
	if err := h.checkToken(header); err != nil {
		return err
	}
	in, err := redox.ParseInbound(body)
	if err != nil {
		return err
	}
	r, err := h.svc.Receive(c.Request().Context(), in)
	if err != nil {
		return err // a 5xx makes Redox pause the feed and retry: nothing is lost
	}
	if in.Push != nil {
		return c.JSON(http.StatusOK, map[string]any{"slots": r.Slots})
	}
	return c.JSON(http.StatusOK, map[string]any{"applied": r.Applied})
}

// handshake answers the POST form of the verification challenge; anything else without the
// header is refused.
func (h *webhook) handshake(c echo.Context, body []byte) error {
	var hs struct {
		Token     string `json:"verification-token"`
		Challenge string `json:"challenge"`
	}
	if json.Unmarshal(body, &hs) != nil || hs.Challenge == "" {
		return errTokenMissing
	}
	if err := h.checkToken(hs.Token); err != nil {
		return err
	}
	return c.String(http.StatusOK, hs.Challenge)
}
