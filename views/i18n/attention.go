package i18n

import "doorway/booking"

// DeskAttention is the words of the desk's "Needs attention" list (booking.Attention).
type DeskAttention struct {
	Title    string             // the page's heading
	Nav      func(n int) string // the navigation's entry, with how many items wait (0: none)
	Intro    string
	Empty    string
	Headings map[booking.AttentionKind]string
	Todo     map[booking.AttentionKind]string // what to do with the items of a kind, in a sentence or two
	Messages map[booking.OutboxKind]string    // what Doorway sent: a booking, a cancel, an email of a kind
	// MovedFrom is said of a move's booking: the visit it moves from.
	MovedFrom                          func(visit string) string
	Inbound                            func(event string) string // a delivery from the EHR, by its event type
	Patient, Phone, Email, Visit       string
	Since, Said, Received, Why, Detail string
	MailSaid                           string // the label of a mail server's answer (Said is the EHR's)
	Attempts                           func(n int) string
	Reasons                            map[string]string // a dead letter's reason (booking.DeadLetter.Reason)
	OpenVisit                          func(visit string) string
	Retry, Resolve, Note, NoteHint     string
	// Notices say what came of a retry (booking.RetryOutcome) or a resolution ("resolved").
	Notices map[string]string
}
