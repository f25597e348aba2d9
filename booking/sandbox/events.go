package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"doorway/booking"
	"doorway/booking/redox"
)

// maxBody bounds a request body. Redox allows 40 MB, but no Scheduling message comes near
// 1 MB and the sandbox must not buffer arbitrary uploads.
const maxBody = 1 << 20

// eventHandler answers one Scheduling event: the response body, or an error that fail maps
// to a status and Meta.Errors.
type eventHandler func(ctx context.Context, m *redox.Message) (*redox.Message, error)

// handlers lists every event /endpoint and /query accept. Both paths accept all of them:
// real clients send queries to either (REDOX-SCHEDULING §4.1).
func (s *Server) handlers() map[string]eventHandler {
	return map[string]eventHandler{
		redox.EventAvailableSlots: s.availableSlots,
		redox.EventBooked:         s.bookedQuery,
		redox.EventNew:            s.newVisit,
		redox.EventModification:   s.modification,
		redox.EventReschedule:     s.rescheduleVisit,
		redox.EventCancel:         s.cancelVisit,
		redox.EventNoShow:         s.noShowVisit,
		redox.EventPushSlots:      s.pushedSlots,
	}
}

// handleMessage reads, decodes, checks and dispatches one Redox message.
func (s *Server) handleMessage(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			fail(w, "", http.StatusRequestEntityTooLarge, fmt.Sprintf("message is larger than the %d byte limit", maxBody))
			return
		}
		fail(w, "", http.StatusBadRequest, "could not read the message: "+err.Error())
		return
	}
	m, err := redox.Decode(body)
	if err != nil {
		fail(w, "", http.StatusBadRequest, booking.DetailOf(err)) // names where the JSON broke
		return
	}
	s.record(m)
	// Kind, not EventType: a query answer echoing the query's name is a response, not a query.
	ev := m.Kind()
	if m.Meta.DataModel != redox.DataModel {
		fail(w, ev, http.StatusBadRequest, fmt.Sprintf("Meta.DataModel must be %q, got %q", redox.DataModel, m.Meta.DataModel))
		return
	}
	h, ok := s.handlers()[ev]
	if !ok {
		fail(w, ev, http.StatusBadRequest, unknownEvent(ev))
		return
	}
	if err := m.Validate(); err != nil {
		s.failErr(w, ev, err)
		return
	}
	resp, err := h(r.Context(), m)
	if err != nil {
		s.failErr(w, ev, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// unknownEvent names what was wrong, including the response events a client may send by
// mistake.
func unknownEvent(ev string) string {
	switch ev {
	case "":
		return "Meta.EventType is required"
	case redox.EventAvailableSlotsResponse, redox.EventBookedResponse:
		return fmt.Sprintf("EventType %q is a response; send AvailableSlots or Booked", ev)
	}
	return fmt.Sprintf("unknown EventType %q: the sandbox accepts AvailableSlots, Booked, New, Modification, Reschedule, Cancel, NoShow and PushSlots", ev)
}

// failErr maps err to a status and Meta.Errors texts. Only 5xx is logged as an error, and
// its cause stays in the log: the caller sees a generic text.
func (s *Server) failErr(w http.ResponseWriter, ev string, err error) {
	if ve, ok := errors.AsType[*redox.ValidationError](err); ok {
		texts := make([]string, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			texts = append(texts, problemText(p.Path, p.Message))
		}
		fail(w, ev, http.StatusBadRequest, texts...)
		return
	}
	status := http.StatusInternalServerError
	switch booking.ErrorCode(err) {
	case booking.CodeInvalid, booking.CodeMalformed:
		status = http.StatusBadRequest
	case booking.CodeNotFound:
		status = http.StatusNotFound
	case booking.CodeSlotTaken, booking.CodeConflict, booking.CodeOutsideWindow:
		status = http.StatusConflict
	case booking.CodeUnauthorized:
		status = http.StatusUnauthorized
	}
	if status >= 500 {
		s.log.Error("request failed", "event_type", ev, "err", err)
		fail(w, ev, status, "internal error in the sandbox EHR")
		return
	}
	text := booking.DetailOf(err)
	if be, ok := errors.AsType[*booking.Error](err); ok {
		text = problemText(be.Field, be.Detail)
	}
	fail(w, ev, status, text)
}

// problemText puts the field in front of a message that does not already name it, so every
// error says which field is wrong ("StartDateTime is required").
func problemText(field, msg string) string {
	if field == "" || strings.Contains(msg, field) {
		return msg
	}
	return field + ": " + msg
}

// newLogs is the Meta.Logs of an answer: one log entry for this one attempt.
func newLogs() []redox.Log {
	return []redox.Log{{ID: redox.FlexString(uuid.NewString()), AttemptID: redox.FlexString(uuid.NewString())}}
}

// ack answers a notification as Redox does: 200 with the Meta echoed and Logs filled in.
func ack(m *redox.Message) *redox.Message {
	meta := m.Meta
	meta.Logs = newLogs()
	meta.Errors = nil
	return &redox.Message{Meta: meta}
}

// respMeta is the Meta of a query response, echoing the query's Test flag.
func (s *Server) respMeta(m *redox.Message, eventType string) redox.Meta {
	meta := redox.Meta{
		DataModel:     redox.DataModel,
		EventType:     eventType,
		EventDateTime: redox.FormatTime(s.now()),
		Test:          m.Meta.Test,
		Source:        &redox.Endpoint{ID: SourceID, Name: SourceName},
		Logs:          newLogs(),
	}
	if m.Meta.Source != nil {
		meta.Destinations = []redox.Endpoint{*m.Meta.Source}
	}
	return meta
}

// openSlots runs the engine over q with the busy time stored for its window (widened by a
// day each side, so visits straddling the window's edges still count).
func (s *Server) openSlots(ctx context.Context, q booking.SlotQuery, limit int) ([]booking.Slot, bool, error) {
	end := q.End
	if end.IsZero() {
		end = q.Start.Add(DefaultWindow)
	}
	busy, err := s.busy(ctx, q.Start.Add(-24*time.Hour), end.Add(24*time.Hour))
	if err != nil {
		return nil, false, err
	}
	slots, incomplete := s.engine.Open(q, busy, s.now(), limit)
	return slots, incomplete, nil
}

func (s *Server) availableSlots(ctx context.Context, m *redox.Message) (*redox.Message, error) {
	q, err := redox.SlotQueryOf(m)
	if err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	slots, incomplete, err := s.openSlots(ctx, q, DefaultLimit)
	if err != nil {
		return nil, err
	}
	return redox.NewAvailableSlotsResponse(s.respMeta(m, redox.EventAvailableSlotsResponse), slots, incomplete), nil
}

func (s *Server) bookedQuery(ctx context.Context, m *redox.Message) (*redox.Message, error) {
	q, err := redox.BookedQueryOf(m)
	if err != nil {
		return nil, err
	}
	switch {
	case q.Start.IsZero():
		return nil, booking.Malformed("StartDateTime", "StartDateTime is required")
	case !q.End.IsZero() && !q.End.After(q.Start):
		return nil, booking.Malformed("EndDateTime", "EndDateTime must be after StartDateTime")
	}
	visits, incomplete, err := s.booked(ctx, q)
	if err != nil {
		return nil, err
	}
	return redox.NewBookedResponse(s.respMeta(m, redox.EventBookedResponse), visits, incomplete), nil
}

func (s *Server) newVisit(ctx context.Context, m *redox.Message) (*redox.Message, error) {
	a, err := redox.AppointmentOf(m)
	if err != nil {
		return nil, err
	}
	replay, err := s.book(ctx, a, m.Meta.Test)
	if err != nil {
		return nil, err
	}
	s.log.Info("visit booked", "visit_number", a.VisitNumber, "provider_id", a.Provider.ID,
		"start", redox.FormatTime(a.Start), "block", a.IsBlock(), "replay", replay)
	return ack(m), nil
}

func (s *Server) modification(ctx context.Context, m *redox.Message) (*redox.Message, error) {
	a, err := redox.AppointmentOf(m)
	if err != nil {
		return nil, err
	}
	if err := s.modify(ctx, a, m.Meta.Test); err != nil {
		return nil, err
	}
	s.log.Info("visit modified", "visit_number", a.VisitNumber)
	return ack(m), nil
}

func (s *Server) rescheduleVisit(ctx context.Context, m *redox.Message) (*redox.Message, error) {
	a, err := redox.AppointmentOf(m)
	if err != nil {
		return nil, err
	}
	var oldStart time.Time
	if t := m.Visit.OldDateTime; t != "" {
		if oldStart, err = redox.ParseTime(t); err != nil {
			return nil, booking.Malformed("Visit.OldDateTime", "Visit.OldDateTime: %v", err)
		}
	}
	if err := s.reschedule(ctx, a, m.Visit.OldVisitNumber, oldStart, m.Meta.Test); err != nil {
		return nil, err
	}
	s.log.Info("visit rescheduled", "visit_number", a.VisitNumber, "old_visit_number", m.Visit.OldVisitNumber,
		"start", redox.FormatTime(a.Start))
	return ack(m), nil
}

func (s *Server) cancelVisit(ctx context.Context, m *redox.Message) (*redox.Message, error) {
	return s.endVisit(ctx, m, booking.StatusCanceled, m.Visit.CancelReason)
}

func (s *Server) noShowVisit(ctx context.Context, m *redox.Message) (*redox.Message, error) {
	return s.endVisit(ctx, m, booking.StatusNoShow, m.Visit.NoShowReason)
}

func (s *Server) endVisit(ctx context.Context, m *redox.Message, status booking.Status, reason string) (*redox.Message, error) {
	if m.Visit == nil || m.Visit.VisitNumber == "" {
		return nil, booking.Malformed("Visit.VisitNumber", "Visit.VisitNumber is required")
	}
	if err := s.end(ctx, m.Visit.VisitNumber, status, reason, m.Meta.Test); err != nil {
		return nil, err
	}
	s.log.Info("visit ended", "visit_number", m.Visit.VisitNumber, "status", string(status))
	return ack(m), nil
}

// pushedSlots accepts an inbound PushSlots and ignores it: the sandbox is the EHR, its open
// times come from its own templates.
func (s *Server) pushedSlots(_ context.Context, m *redox.Message) (*redox.Message, error) {
	s.log.Info("pushed slots ignored", "slots", len(m.Slots))
	return ack(m), nil
}
