package pages

import (
	"doorway/views"
	"doorway/views/components"
)

// ReviewPage is step 6: everything at once, each answer with a Change link, and the confirm
// button. Key is the idempotency key that makes a double click book once.
type ReviewPage struct {
	views.Page
	Hold components.Hold
	Rows []Row
	Key  string
}

// Row is one answer on the review or confirmation page.
type Row struct {
	Label  string
	Lines  []string
	List   []string // shown as a bulleted list under Lines
	Change string   // URL of the step that edits it, "" for none
	TestID string
}
