package redox

import (
	"fmt"
	"slices"
	"strings"

	"doorway/booking"
)

// Problem is one validation failure: the JSON path of the field and a sentence saying what
// is wrong, e.g. {"Visit.Location.Department", "Visit.Location.Department is required"}.
type Problem struct {
	Path    string
	Message string
}

// ValidationError lists every problem Validate found, so one round trip fixes them all.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems' messages.
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Message
	}
	return "redox: invalid message: " + strings.Join(msgs, "; ")
}

// BookingError converts e to the domain error: CodeInvalid, Field = the first path,
// Detail = the first problem (senders fix one thing at a time; logs keep all via Err).
func (e *ValidationError) BookingError() *booking.Error {
	be := &booking.Error{Code: booking.CodeInvalid, Msg: booking.MsgMalformed, Detail: "invalid message", Err: e}
	if len(e.Problems) > 0 {
		be.Field, be.Detail = e.Problems[0].Path, e.Problems[0].Message
	}
	return be
}

// As lets errors.As(err, &bookingErr) see a *ValidationError as its *booking.Error, so the
// web layer's single error handler maps it without knowing this package.
func (e *ValidationError) As(target any) bool {
	if p, ok := target.(**booking.Error); ok {
		*p = e.BookingError()
		return true
	}
	return false
}

// Is makes errors.Is(err, booking.ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return e.BookingError().Is(target) }

// eventTypes are the ten Scheduling events, in the order Redox lists them.
var eventTypes = []string{
	EventNew, EventModification, EventReschedule, EventCancel, EventNoShow, EventBooked,
	EventBookedResponse, EventAvailableSlots, EventAvailableSlotsResponse, EventPushSlots,
}

// IsResponse reports whether m answers a query. Real data-on-demand traffic echoes the
// query's EventType ("Booked" carrying Visits), so the body decides, not only the name.
func (m *Message) IsResponse() bool {
	switch m.Meta.EventType {
	case EventBookedResponse, EventAvailableSlotsResponse:
		return true
	case EventBooked:
		return m.Visits != nil
	case EventAvailableSlots:
		return m.AvailableSlots != nil
	}
	return false
}

// Kind is the event m really is: Meta.EventType, except that a query answer echoing the
// query's name is reported as the response event (BookedResponse, AvailableSlotsResponse).
func (m *Message) Kind() string {
	switch {
	case m.IsResponse() && m.Meta.EventType == EventBooked:
		return EventBookedResponse
	case m.IsResponse() && m.Meta.EventType == EventAvailableSlots:
		return EventAvailableSlotsResponse
	}
	return m.Meta.EventType
}

// Validate checks m strictly against the contract for its event: the schema's required
// fields (and the seed's, for AvailableSlots), parseable timestamps, a sane window and the
// VisitPreference vocabulary. It returns a *ValidationError listing every problem, or nil.
// A failure envelope (Meta.Errors set) has no body to check; read it with ErrorsOf.
func (m *Message) Validate() error {
	c := &checker{}
	known := c.meta(m)
	if known && len(m.Meta.Errors) == 0 {
		switch kind := m.Kind(); kind {
		case EventNew, EventModification, EventReschedule, EventCancel, EventNoShow:
			c.notification(kind, m)
		case EventBooked:
			c.window(m.StartDateTime, m.EndDateTime, false)
			c.destinations(m)
		case EventAvailableSlots:
			c.window(m.StartDateTime, m.EndDateTime, true)
			c.destinations(m)
			if m.Visit != nil {
				c.preferences(m.Visit.VisitPreference)
			}
		case EventBookedResponse:
			c.bookedVisits(m.Visits)
		case EventAvailableSlotsResponse:
			c.slots("AvailableSlots", m.AvailableSlots)
		case EventPushSlots:
			c.slots("Slots", m.Slots)
		}
	}
	return c.err()
}

// checker collects problems; its methods each check one part of a message.
type checker struct{ problems []Problem }

func (c *checker) add(path, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: path, Message: path + " " + fmt.Sprintf(format, args...)})
}

func (c *checker) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: c.problems}
}

// required adds "is required" when v is blank and reports whether v is present.
func (c *checker) required(path, v string) bool {
	if strings.TrimSpace(v) == "" {
		c.add(path, "is required")
		return false
	}
	return true
}

// timestamp checks an optional ISO 8601 value (a required one goes through required first).
func (c *checker) timestamp(path, v string) bool {
	if v == "" {
		return false
	}
	if _, err := ParseTime(v); err != nil {
		c.add(path, "must be an ISO 8601 timestamp, got %q", v)
		return false
	}
	return true
}

// meta checks the envelope and reports whether the event type is one we know, since the
// body rules depend on it.
func (c *checker) meta(m *Message) bool {
	switch dm := m.Meta.DataModel; {
	case dm == "":
		c.add("Meta.DataModel", "is required")
	case dm != DataModel:
		c.add("Meta.DataModel", "must be %q, got %q", DataModel, dm)
	}
	c.timestamp("Meta.EventDateTime", m.Meta.EventDateTime)
	switch et := m.Meta.EventType; {
	case et == "":
		c.add("Meta.EventType", "is required")
		return false
	case !slices.Contains(eventTypes, et):
		c.add("Meta.EventType", "must be a Scheduling event type, got %q", et)
		return false
	}
	return true
}

// destinations enforces Redox's rule that a synchronous query names exactly one
// destination; none is allowed because Redox fills it on delivery to the EHR.
func (c *checker) destinations(m *Message) {
	if n := len(m.Meta.Destinations); n > 1 {
		c.add("Meta.Destinations", "must name one destination for a query, got %d", n)
	}
}

// window checks StartDateTime/EndDateTime. Only slot searches are bounded by
// booking.MaxWindow: a Booked query over two years is real traffic (see the samples).
func (c *checker) window(start, end string, bounded bool) {
	okStart := c.required("StartDateTime", start) && c.timestamp("StartDateTime", start)
	okEnd := c.timestamp("EndDateTime", end)
	if !okStart || !okEnd {
		return
	}
	s, _ := ParseTime(start)
	e, _ := ParseTime(end)
	switch {
	case !e.After(s):
		c.add("EndDateTime", "must be after StartDateTime")
	case bounded && e.Sub(s) > booking.MaxWindow:
		c.add("EndDateTime", "must be at most %d days after StartDateTime", int(booking.MaxWindow.Hours()/24))
	}
}
