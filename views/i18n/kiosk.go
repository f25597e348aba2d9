package i18n

// KioskPages is the words of the kiosk (a clinic tablet on which walk-ins book), and of the
// admin's list of kiosks at the desk.
type KioskPages struct {
	Tagline string // beside the clinic's name on every kiosk screen
	// Enrolling a tablet.
	EnrollTitle, EnrollIntro, EnrollCode, CodeHint, Enroll string
	// The walk-in's screens. The first: the next open times today at the kiosk's location.
	NextHeading, NextIntro, SomethingElse string
	NoneToday, SoonestOther, SeeDesk      string // nothing left today: the soonest other day, and the desk
	WhyHeading, WhyIntro                  string // the reasons of the visit type whose time was picked
	NoVisitType                           string // a reason with nothing bookable here
	Bring, BringAlways                    string // the slip's "what to bring"
	PhoneHint, Email                      string // the details: a phone always, the email optional
	StartHeading, StartIntro              string
	Other, OtherHint, Next                string
	VisitTypeHeading                      string
	TimesHeading, TimesIntro, NoTimes     string
	Today, Tomorrow                       string                                   // the marks on today's and tomorrow's times
	Time                                  func(day, clock, provider string) string // a time's button
	DetailsHeading, DetailsIntro          string
	Held                                  func(when, provider, place string) string
	Book                                  string
	TellDesk                              string // the urgent screen: go to the front desk now
	DoneHeading, DoneIntro                string
	CodeLabel, Print, DoneSoon            string
	SlipHeading, SlipScan, SlipNote       string
	StartOver                             string
	// The idle warning: its heading, its text with {n} for the seconds left, its button.
	IdleHeading, IdleText, Continue string
	// The desk's list of kiosks (admins).
	AdminTitle, AdminIntro, Name, NameHint, Location, Create string
	NewCode, Revoke, Revoked, Enrolled, NotEnrolled          string
	CodeOnce                                                 func(name, code, until string) string
	CodeWaits                                                func(until string) string
	Nobody                                                   string // no kiosk yet
	Source                                                   func(name string) string
}
