package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
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

// webhook receives the EHR's Scheduling notifications (DESIGN §5 "app inbound").
type webhook struct {
	token []byte
	svc   *booking.Service
	log   *slog.Logger
}

func newWebhook(token string, svc *booking.Service, log *slog.Logger) *webhook {
	return &webhook{token: []byte(token), svc: svc, log: log}
}

// tokenOK compares in constant time so the token cannot be guessed byte by byte from timings.
func (h *webhook) tokenOK(got string) bool {
	return len(h.token) > 0 && subtle.ConstantTimeCompare([]byte(got), h.token) == 1
}

// jsonError answers {"error": {"message", "field"}} with status.
func jsonError(c echo.Context, status int, field, msg string) error {
	return c.JSON(status, map[string]any{"error": map[string]string{"message": msg, "field": field}})
}

// challenge answers Redox's GET form of the verification handshake.
func (h *webhook) challenge(c echo.Context) error {
	if !h.tokenOK(c.QueryParam("verification-token")) {
		return jsonError(c, http.StatusForbidden, "verification-token", "verification token does not match")
	}
	return c.String(http.StatusOK, c.QueryParam("challenge"))
}

// receive applies one notification. The POST form of the handshake carries the token in the
// body and no header; every other delivery must carry the header.
func (h *webhook) receive(c echo.Context) error {
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, WebhookBodyLimit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return jsonError(c, http.StatusRequestEntityTooLarge, "", "body is larger than 1 MB")
	case err != nil:
		return jsonError(c, http.StatusBadRequest, "", "could not read the body")
	}
	header := c.Request().Header.Get("verification-token")
	if header == "" {
		var hs struct {
			Token     string `json:"verification-token"`
			Challenge string `json:"challenge"`
		}
		if json.Unmarshal(body, &hs) == nil && hs.Challenge != "" {
			if !h.tokenOK(hs.Token) {
				return jsonError(c, http.StatusForbidden, "verification-token", "verification token does not match")
			}
			return c.String(http.StatusOK, hs.Challenge)
		}
		return jsonError(c, http.StatusUnauthorized, "verification-token", "verification-token header is required")
	}
	if !h.tokenOK(header) {
		return jsonError(c, http.StatusForbidden, "verification-token", "verification token does not match")
	}
	return h.apply(c, body)
}

func (h *webhook) apply(c echo.Context, body []byte) error {
	m, err := redox.Decode(body)
	if err == nil {
		err = m.Validate()
	}
	if err != nil {
		var ve *redox.ValidationError
		if errors.As(err, &ve) && len(ve.Problems) > 0 {
			return jsonError(c, http.StatusBadRequest, ve.Problems[0].Path, ve.Error())
		}
		return jsonError(c, http.StatusBadRequest, "", err.Error())
	}
	ctx := c.Request().Context()
	switch m.Meta.EventType {
	case redox.EventNew, redox.EventModification, redox.EventReschedule, redox.EventCancel, redox.EventNoShow:
		a, err := redox.AppointmentOf(m)
		if err != nil {
			return jsonError(c, http.StatusBadRequest, "Visit", booking.ErrorMessage(err))
		}
		n := booking.Notification{Key: dedupeKey(m, body), Event: m.Meta.EventType, Appointment: a}
		if m.Visit != nil {
			n.OldVisit = m.Visit.OldVisitNumber
		}
		applied, err := h.svc.ApplyNotification(ctx, n)
		if err != nil {
			return err // a 5xx makes Redox pause the feed and retry: nothing is lost
		}
		return c.JSON(http.StatusOK, map[string]any{"applied": applied})
	case redox.EventPushSlots:
		slots, err := redox.SlotsOf(m)
		if err != nil {
			return jsonError(c, http.StatusBadRequest, "Slots", booking.ErrorMessage(err))
		}
		n, err := h.svc.ApplyPushSlots(ctx, booking.SlotPush{Key: dedupeKey(m, body), BatchID: m.Meta.BatchID,
			Batch: string(m.Meta.CurrentBatch), Batches: string(m.Meta.TotalBatches), Slots: slots})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"slots": n})
	default:
		return jsonError(c, http.StatusBadRequest, "Meta.EventType", "the webhook accepts Scheduling notifications, not "+m.Meta.EventType)
	}
}

// dedupeKey identifies one delivery: Redox's log ID (or the deprecated Message ID) with the
// visit number and event type (REDOX-SCHEDULING §4.7). Without either ID, the body's hash
// makes an exact replay a duplicate.
func dedupeKey(m *redox.Message, body []byte) string {
	id := ""
	if len(m.Meta.Logs) > 0 {
		id = string(m.Meta.Logs[0].ID)
	}
	if id == "" && m.Meta.Message != nil {
		id = string(m.Meta.Message.ID)
	}
	if id == "" {
		sum := sha256.Sum256(body)
		id = "sha256:" + hex.EncodeToString(sum[:])
	}
	visit := ""
	if m.Visit != nil {
		visit = m.Visit.VisitNumber
	}
	return id + "|" + visit + "|" + m.Meta.EventType
}
