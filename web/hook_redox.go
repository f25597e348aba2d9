package web

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/booking/redox"
)

// WebhookBodyLimit bounds an inbound Redox delivery: Redox's own limit for a message to a
// destination (REDOX-SCHEDULING §4.8). Larger bodies get 413.
const WebhookBodyLimit = 10 << 20

// handshakeLimit bounds what is read of a POST without the verification-token header: only
// the handshake may come without it, and its body is a token and a challenge. A stranger
// cannot make Doorway read 10 MB.
const handshakeLimit = 64 << 10

// webhook receives the EHR's Scheduling notifications (DESIGN §5 "app inbound"): it checks
// the verification token, answers the verification handshake, and hands each delivery to the
// service, which applies it or keeps it as a dead letter. The feed must never stall: Redox
// pauses every later delivery while one is answered 400 or above, so only a fault the
// sender's retry mends (a body cut off, a failing database) or a wrong token is refused.
// Refusals go to the one error handler, which answers JSON naming the field.
type webhook struct {
	token   []byte
	svc     *booking.Service
	metrics *metrics
	// explain words a refusal for the JSON answer, in the request's language, as the error
	// handler does.
	explain func(c echo.Context, msg booking.Msg, status int, detail string) string
}

func newWebhook(s *Server) *webhook {
	return &webhook{token: []byte(s.cfg.WebhookToken), svc: s.svc, metrics: s.metrics, explain: s.explain}
}

var (
	errTokenMissing = &booking.Error{Code: booking.CodeUnauthorized, Msg: booking.MsgTokenMissing, Field: "verification-token"}
	errTokenWrong   = &booking.Error{Code: booking.CodeForbidden, Msg: booking.MsgTokenWrong, Field: "verification-token"}
)

// checkToken compares in constant time, so the token cannot be guessed byte by byte from
// timings. An empty configured token accepts nothing.
func (h *webhook) checkToken(got string) error {
	if got == "" {
		return errTokenMissing
	}
	if len(h.token) == 0 || subtle.ConstantTimeCompare([]byte(got), h.token) != 1 {
		return errTokenWrong
	}
	return nil
}

// receive answers a POST: the verification handshake (a body with a challenge and no Meta),
// or a delivery, which must carry the token in its header. A delivery Doorway read but cannot
// apply is answered 200 with {"applied": false, "error": {...}}: the service kept it as a dead
// letter.
func (h *webhook) receive(c echo.Context) error {
	header := c.Request().Header.Get("verification-token")
	limit := int64(handshakeLimit)
	if header != "" {
		// A wrong token is refused before a byte of the body is read.
		if err := h.checkToken(header); err != nil {
			return err
		}
		limit = WebhookBodyLimit
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, limit))
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		if header == "" {
			return errTokenMissing // too long for a handshake, and only a handshake comes without the header
		}
		return &booking.Error{Code: booking.CodeTooLarge, Msg: booking.MsgBodyTooLarge, Detail: "over 10 MB"}
	} else if err != nil {
		return &booking.Error{Code: booking.CodeMalformed, Msg: booking.MsgBodyUnread, Err: err}
	}
	if hs, ok := handshakeOf(body); ok {
		return h.answerHandshake(c, header, hs)
	}
	if header == "" {
		return errTokenMissing
	}
	r, err := h.svc.Deliver(c.Request().Context(), body, redox.ParseInbound)
	if err != nil {
		return err // 400 for a body cut off; a 5xx makes Redox retry: nothing is lost
	}
	if r.DeadLetter != nil {
		return h.answerDeadLetter(c, r.DeadLetter)
	}
	answer := map[string]any{"applied": r.Applied}
	if r.Slots > 0 {
		answer["slots"] = r.Slots
	}
	return c.JSON(http.StatusOK, answer)
}

// answerDeadLetter tells Redox the delivery was taken (200, so the feed goes on) but not
// applied, and why; the dead letter's id lets a person find it.
func (h *webhook) answerDeadLetter(c echo.Context, d *booking.DeadLetter) error {
	h.metrics.deadLetter(d.Event, d.Reason())
	message := h.explain(c, d.Msg, http.StatusUnprocessableEntity, d.Detail)
	return c.JSON(http.StatusOK, map[string]any{"applied": false, "dead_letter": d.ID,
		"error": map[string]string{"message": message, "field": d.Field}})
}
