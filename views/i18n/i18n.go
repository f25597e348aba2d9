// Package i18n holds every word Doorway's people-facing pages say, one typed table per
// language (en.go, es.go): a field per sentence, so a misspelt name fails to compile, and
// funcs where a sentence takes values (dates, counts, names). The table for a request is
// chosen by the web layer (a language switch on every page, remembered in the session, else
// Accept-Language, else English) and carried to templates in the context.
package i18n

import (
	"context"
	"time"

	"golang.org/x/text/language"

	"doorway/booking"
)

// Messages is every sentence of the pages in one language.
type Messages struct {
	Lang string // ISO 639-1 code, also <html lang>
	Name string // the language's name in itself, for the language switch: "English", "Español"

	Format    Format
	Layout    Layout
	Reason    ReasonPage
	Urgent    UrgentPage
	VisitType VisitTypePage
	Filters   Filters
	Times     TimesPage
	Hold      HoldNotice
	Details   DetailsPage
	Review    ReviewPage
	Booked    BookedPage
	Manage    ManagePages
	Desk      DeskPages
	Kiosk     KioskPages
	Funnel    FunnelPage
	Calendar  CalendarFile
	Email     EmailWords
	Errors    ErrorPage

	// Problems are the sentences booking's errors and notices name (booking.Msg).
	Problems map[booking.Msg]string
	// Languages names the languages a patient may prefer, by ISO 639-1 code, in form order.
	Languages []LanguageName
}

// LanguageName is one entry of the preferred-language list.
type LanguageName struct{ Code, Name string }

// Format writes dates, times, durations and lists as the language does.
type Format struct {
	Day      func(t time.Time) string // "Tuesday, March 4" / "martes 4 de marzo"
	DayYear  func(t time.Time) string // "Tuesday, March 4, 2026"
	ShortDay func(t time.Time) string // "Tue, Mar 4"
	Clock    func(t time.Time) string // "9:30 AM" / "9:30 a. m."
	Birth    func(t time.Time) string // a date of birth: "July 21, 1984"
	Minutes  func(n int) string       // "20 minutes", "1 hour 30 minutes"
	Or       func(items []string) string
	Weekday  func(d time.Weekday) string
	Weekdays func(d time.Weekday) string // "Mondays" / "los lunes", for "on Mondays"
	Zone     func(iana string) string    // "Central time" / "hora del centro"
}

// Layout is the page shell's words.
type Layout struct {
	Skip      string // skip link
	Tagline   string
	Questions string // "Questions? Call us at {phone}."
	Emergency string // bold: "In an emergency, call 911."
	Crisis    string // "In a mental health crisis, call or text 988."
	Step      func(n, of int) string
	Steps     [6]string // the wizard's step names, by step number (index 0 unused)
	Back      string
	SwitchTo  string                     // accessible name of the language switch's nav
	Describe  func(clinic string) string // the pages' meta description
}

// ReasonPage is step 1.
type ReasonPage struct {
	Find, FindHint, FindButton, Common string
	Matches, NoMatch                   func(q string) string
	MoreReasons                        func(n int) string
	Title, Heading, Lede               string
	Manage                             string // the way to an appointment already booked
	OtherReasons                       string // group of reasons without a self-bookable visit
	UrgentGroup, UrgentHint            string
	NotListed, SomethingElse           string
	TypedLabel, TypedHint              string
	Continue                           string
}

// UrgentPage stops the flow for a red flag, or advises when typed words might be one.
type UrgentPage struct {
	Title, Heading                   string
	DoubtHeading, Doubt, GoOn        string // the advice with a way to go on booking
	Crisis                           string // "Call or text {988} ... {911} ..."
	Emergency                        string // for typed words
	DontWait                         string
	WhereHeading                     string
	Help911, Help988, HelpUrgentCare string
	NotUrgent                        string
}

// VisitTypePage is step 2.
type VisitTypePage struct {
	Title, Heading                string
	CallHeading, CallNote, CallUs string
	ChooseAnotherReason           string
	Seen                          func(clinic string) string
	SeenHint, Yes, No, Legend     string
	ForNew, ForReturning          string
}

// Filters is the filter form above the open times.
type Filters struct {
	Summary, Dates, From, To string
	Days, DaysHint           string
	Bands, BandsHint         string
	Band, BandHint           map[booking.Band]string
	Location, AnyLocation    string
	Who, WhoHint             string
	Specialty, AnySpecialty  string
	Speaks, AnyLanguage      string
	Apply, Clear             string
	ProviderSpeaks           func(languages []string) string // "Speaks English and Spanish"
	ProviderAt               func(places []string) string    // "At Kearney and North Platte"
}

// TimesPage is the open times: a week at a glance.
type TimesPage struct {
	Earlier, NextWeek, Weeks               string             // the week's paging, and its nav's name
	MoreTimes                              func(n int) string // "+3 more"
	NoTimes                                string
	MoreGroups                             func(n int) string // "4 more providers this day"
	ProvidersOf, ClinicsOf                 func(first, last, total int) string
	AllAt                                  func(place string) string // "Every open time at Kearney Clinic"
	PrevProviders, NextProviders           string
	PrevClinics, NextClinics               string
	StillLooking, StillLookingWhy          string // the EHR is slow: the page looks again by itself
	LookAgain                              string
	AllWith                                func(name string) string
	AllOn                                  func(day string) string
	BackToAll                              string
	Title, Heading, Change, ChangeWhat     string
	Holding                                string // "You're holding {when}. {keep}, or choose another below."
	Keep                                   string
	Soonest                                string // "Soonest: {when} with {who}."
	ChooseSoonest                          string
	Arrange, ByDay, ByProvider, ByLocation string
	Count                                  func(n int, atLeast bool) string // atLeast: the EHR capped some days' answers
	ZoneAll                                func(zone string) string
	ZoneEach                               string
	Incomplete                             string
	AllTimes                               string
	Bands                                  map[booking.Band]string // "Mornings"
	NoneHeading, TryThese, CallToFind      string
	Widen                                  map[booking.Widening]string
	// None says why nothing was found: a sentence from the search's parts, each already in
	// words (empty when not chosen).
	None func(s Search) string
	// Searched is the search in one line, shown above the times and on the review.
	Searched func(s Search) string
	FromPush string
}

// Search is a search's parts, for TimesPage.None and Searched: names already in the page's
// language, days and bands as values.
type Search struct {
	VisitType, Length    string // "Sick visit", "20 minutes"
	From, To             string // short days: "Tue, Mar 4"
	Days                 []time.Weekday
	Bands                []booking.Band
	Providers, Locations []string // display names; empty = any
}

// HoldNotice is the notice shown while a time is held; TickOne, TickMany, Over and Ended are
// for the countdown script.
type HoldNotice struct {
	Holding           string // "We're holding {clock} on {day} ({zone}) for you for {left}."
	TickOne, TickMany string // "1 more minute", "{n} more minutes"
	Over, Ended       string
}

// DetailsPage is step 5.
type DetailsPage struct {
	Title, Heading, Intro             string
	FirstName, LastName, DOB, DOBHint string
	Year, Month, Day                  string    // the date of birth's three fields
	DOBOrder                          [3]string // "month", "day", "year" in the order people write them
	Phone, PhoneHint, Email           string
	Language, LanguageHint            string
	MRN, MRNHint                      string
	Continue                          string
}

// ReviewPage is step 6.
type ReviewPage struct {
	Title, Heading                            string
	Reason, VisitType, When, With, Where, Who string
	At                                        func(day, clock string) string
	Born, Mobile, Prefers, Record             func(v string) string
	Change, Consent, Book                     string
}

// BookedPage is the confirmation.
type BookedPage struct {
	Heading, Text                             map[booking.Status]string
	Other                                     func(status string) string // a status without its own heading
	VisitNumber                               string                     // "Your visit number is {number}"
	When, VisitType, With, Where, For, Before string
	Span                                      func(day, from, to string) string
	Phone                                     func(phone string) string
	Print, BookAnother                        string
	Map, Google, Outlook, ICS                 string // "Map", the calendar links
	NextHeading                               string
	Next                                      []string // what happens next; "{phone}" becomes the clinic's number
	ForFamily                                 string   // book again, keeping the contact details
	Calendars                                 string   // the calendar links' group name
	Emailed                                   string   // an email confirmation is on its way
	NoEmail                                   string   // this server sends no email (no SMTP configured)
}

// ManagePages is finding an appointment, its page, canceling and moving it.
type ManagePages struct {
	FindTitle, FindIntro          string
	CodeLabel, CodeHint, LastName string
	LastNameHint, Find            string
	NoCode                        string // "No code? Call us at {phone}."
	BookInstead                   string
	Title                         string // "Your appointment"
	CodeIs                        string // "Your confirmation code is {code}"
	Status                        map[booking.Status]string
	Moved, Canceled               string                 // notices after the patient's own change
	MovedHere                     string                 // "This appointment replaced the one of {when}."
	ByClinic                      string                 // the clinic changed or canceled it
	Change, CancelIt              string                 // the actions
	TooLate                       func(hours int) string // within the cutoff: call
	Call                          string                 // "Call {phone}"
	CancelTitle, CancelWhy        string
	Reasons                       map[string]string // booking.CancelReasons
	Other, OtherHint              string
	ConfirmCancel, Keep           string
	Link                          string                   // "Manage this appointment" on the confirmation
	LinkHint                      string                   // keep the link: it opens the appointment
	MovingFrom                    string                   // the review's row: the appointment being moved
	MoveIt                        string                   // the review's button when moving
	MoveHeading                   string                   // the review's heading when moving
	MovingNote                    func(when string) string // on the times when moving
	MovedHeading, MovedText       string                   // the confirmation of a move
	CalendarUpdate                string                   // the .ics of a canceled appointment
	StartFind                     string                   // "Find another appointment"
	RemindersOn                   func(hours int) string   // "We'll email you a reminder 24 hours before the visit."
	RemindersOff                  string                   // no reminder for this visit
	StopReminders, SendReminders  string                   // the switch's buttons
}

// DeskPages is the front desk's words.
type DeskPages struct {
	Nav, Day, SignOut                    string
	Idle, IdleSoon                       string // the idle sign-out, and its warning a couple of minutes before
	SignInTitle, SignIn                  string
	Email, Password                      string
	Tagline                              string
	DayOf                                func(day, location string) string
	Date, Location, Show, Days           string
	PrevDay, Today, NextDay              string
	Stale, NoProviders                   string
	Nothing                              string
	Booked, Holding, Blocked             string
	InEHR                                string // a visit booked in the clinic's system, not through Doorway
	Open                                 string
	Status                               map[booking.Status]string
	Book, BookTitle, ShowTimes           string
	VisitType, Provider, Anyone          string
	Everyone                             string // the day view's every provider
	From, Time, Patient                  string
	NoTimes                              string
	Booked2                              string // the booking for a caller is done
	VisitTitle, BackToDay                string
	Canceled                             string // the desk canceled it
	AuditTitle, AuditCapped, NoRows, CSV string
	VisitNumber, StaffMember, Action     string
	AnyAction, StaffSignIn, When, Who    string
	Address                              string // where a request came from (its IP address)
	Actions                              map[string]string
	Detail                               string // an audit row's details (an override's rules and reason)
	StatusLabel, CodeLabel, CancelWhy    string // the visit page's status and confirmation code rows, the cancel's legend
	// Overrides: the times patients cannot book, offered to staff who may bend the rules.
	Lift             string                        // the legend of the rules to lift in the search
	Rules            map[booking.Rule]string       // each rule as a checkbox and a time's mark name it
	StaffOnly        string                        // after a visit type patients cannot book
	NoDoubleBook     func(visitType string) string // times already booked asked for a visit type that may not be double-booked
	Override         string                        // the mark on a time (and a visit) that bends a rule
	OverrideWhy      string                        // the legend of the reasons
	OverrideHint     string
	OverrideReasons  map[string]string
	OverrideNote     string
	OverrideNoteHint string
	// Acting for a patient: moving an appointment.
	Move, MoveTitle, MoveIt string
	Moving                  func(patient, when string) string
	Moved                   string // the notice on the new appointment
	Resend, Resent          string // sending the confirmation email again, and its notice
	// Finding a returning patient on the booking screen.
	Returning, FindIt, UseIt string
	FirstNameStart, DOBHint  string
	NobodyFound              string
	Born                     func(date string) string
	SeenHere, SeenEHR        func(day string) string
	Attention                DeskAttention
}

// FunnelPage is the admin's page of booking numbers (the funnel).
type FunnelPage struct {
	Nav, Title, Intro                      string
	From, To, Reason, VisitType, Channel   string // the filter's labels
	AnyReason, AnyVisitType, AnyChannel    string
	Show                                   string
	Channels                               map[booking.Channel]string
	ReasonTyped, ReasonNone, ReasonUnknown string // the reason codes besides the catalogue's
	NoVisitType                            string // counts with no visit type chosen
	Range                                  func(from, to string) string
	ByDay, ByReason, ByVisitType           string // the tables' headings
	Day, Searches, NoFit, Holds, Bookings  string // the columns
	Conversion, Cancels, Reschedules       string
	Total, CSV, Nothing, Notes             string
}

// CalendarFile is the words inside the .ics file.
type CalendarFile struct {
	Summary     func(visitType, clinic string) string
	Description func(visitNumber, provider, phone string) string
}

// EmailWords are the emails to patients: a confirmation, a change notice, a cancellation
// and a reminder. Subjects name the clinic and the time, nothing medical.
type EmailWords struct {
	Subject   map[booking.EmailKind]func(when, clinic string) string
	Heading   map[booking.EmailKind]string
	Lead      map[booking.EmailKind]string         // what happened, in a sentence
	Attached  map[booking.EmailKind]string         // what the attached calendar file does
	Hello     func(name string) string             // "Hello Ana,"
	Was       string                               // the change notice's row: the old time
	Manage    string                               // the manage link's words
	Reminders string                               // in a reminder: how to have no more
	Footer    func(clinic string) string           // why this email came; no medical questions by email
	At        func(day, clock, zone string) string // the subject's time: "Tuesday, March 4, 9:30 AM Central time"
}

// ErrorPage is what a failed request shows.
type ErrorPage struct {
	Heading                                      func(status int) string
	Message                                      func(status int) string // for failures without a booking.Msg
	Summary                                      string                  // the error summary's heading
	Prefix                                       string                  // "Error: " before a field's message, for screen readers
	TryAgain, StartAgain, ChooseTime, BackToForm string
	CallUs                                       string // "You can also call us at {phone}."
}

// Problem is the sentence for a booking error message, or the error page's message for
// status when the error names none.
func (m *Messages) Problem(msg booking.Msg, status int) string {
	if s, ok := m.Problems[msg]; ok && s != "" {
		return s
	}
	return m.Errors.Message(status)
}

// Tables by language, and the matcher that picks one from Accept-Language.
var (
	tables  = map[string]*Messages{"en": English, "es": Spanish}
	matcher = language.NewMatcher([]language.Tag{language.AmericanEnglish, language.Spanish})
)

// Supported are the languages Doorway speaks, in the switch's order.
var Supported = []*Messages{English, Spanish}

// For returns the table for an ISO 639-1 code, and whether Doorway speaks it.
func For(code string) (*Messages, bool) {
	m, ok := tables[code]
	return m, ok
}

// Negotiate picks the table for an Accept-Language header; English when none fits.
func Negotiate(acceptLanguage string) *Messages {
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	if len(tags) == 0 {
		return English
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return English
	}
	return Supported[i]
}

type ctxKey struct{}

// With returns ctx carrying m for the templates rendered with it.
func With(ctx context.Context, m *Messages) context.Context {
	return context.WithValue(ctx, ctxKey{}, m)
}

// T returns the table ctx carries, English when none.
func T(ctx context.Context) *Messages {
	if m, ok := ctx.Value(ctxKey{}).(*Messages); ok {
		return m
	}
	return English
}
