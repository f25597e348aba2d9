package patient

// ErrorPage is the friendly page the error handler renders for every failed request in the
// patient area.
type ErrorPage struct {
	Page
	Status  int
	Heading string
	Message string
	Retry   string // "Try again" link, "" for none
	Next    string // a way forward: its URL, "" for none
	NextTo  string // what the way forward leads to: "time" or "form"
}

// Ways forward from an error.
const (
	NextTime = "time" // choose a time again
	NextForm = "form" // go back to the form
)
