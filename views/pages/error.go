package pages

import "doorway/views"

// ErrorPage is the friendly page the error handler renders for every failed request.
type ErrorPage struct {
	views.Page
	Status  int
	Heading string
	Message string
	Retry   string // "Try again" link, "" for none
	Next    string // a way forward ("Choose another time"), "" for none
	NextURL string
}
