package pages

import "doorway/views"

// BookedPage is the confirmation: what was booked, where and when, and what happens next.
type BookedPage struct {
	views.Page
	VisitNumber string
	Status      string // booked, requested, failed, canceled
	Heading     string
	StatusText  string
	Rows        []Row
	Calendar    string // .ics URL, "" when there is nothing to add
}

// StatusClass is the message style for the status.
func (p BookedPage) StatusClass() string {
	switch p.Status {
	case "booked":
		return "ok"
	case "failed", "canceled":
		return "bad"
	}
	return "note"
}
