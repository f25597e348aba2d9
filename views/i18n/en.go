package i18n

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"doorway/booking"
)

// English is US English: "Tuesday, March 4, 9:30 AM, Central time".
var English = &Messages{
	Lang: "en",
	Name: "English",
	Format: Format{
		Day:      func(t time.Time) string { return t.Format("Monday, January 2") },
		DayYear:  func(t time.Time) string { return t.Format("Monday, January 2, 2006") },
		ShortDay: func(t time.Time) string { return t.Format("Mon, Jan 2") },
		Clock: func(t time.Time) string {
			c, pm := clock12(t)
			if pm {
				return c + " PM"
			}
			return c + " AM"
		},
		Birth:    func(t time.Time) string { return t.Format("January 2, 2006") },
		Minutes:  func(n int) string { return hoursMinutes(n, "hour", "hours", "minute", "minutes", " ") },
		Or:       join("or"),
		Weekday:  func(d time.Weekday) string { return d.String() },
		Weekdays: func(d time.Weekday) string { return d.String() + "s" },
		Zone: usZone(map[string]string{"eastern": "Eastern time", "central": "Central time", "mountain": "Mountain time",
			"arizona": "Arizona time", "pacific": "Pacific time", "alaska": "Alaska time", "hawaii": "Hawaii time",
			"atlantic": "Atlantic time", "uk": "UK time", "utc": "UTC"}, func(z string) string { return z + " time" }),
	},
	Layout: Layout{
		Skip:      "Skip to main content",
		Tagline:   "Book an appointment",
		Questions: "Questions? Call us at {phone}.",
		Emergency: "In an emergency, call 911.",
		Crisis:    "In a mental health crisis, call or text 988.",
		Step:      func(n, of int) string { return "Step " + strconv.Itoa(n) + " of " + strconv.Itoa(of) },
		Steps:     [6]string{"", "Reason", "Type of visit", "Time", "Your details", "Check and book"},
		Back:      "Back",
		SwitchTo:  "Language",
		Describe: func(clinic string) string {
			return "Book an appointment at " + clinic + " online: see open times, hold the one that suits you, and get a confirmation at once."
		},
	},
	Reason: ReasonPage{
		Find:       "Find a reason",
		FindHint:   "A word is enough: knee, cough, refill.",
		FindButton: "Find",
		Common:     "Common reasons",
		Matches:    func(q string) string { return "Reasons that match “" + q + "”" },
		NoMatch: func(q string) string {
			return "No listed reason matches “" + q + "”. Choose from the list, or tell us in a few words below."
		},
		MoreReasons:   func(n int) string { return "All reasons (" + strconv.Itoa(n) + " more)" },
		Title:         "Reason for your visit",
		Heading:       "What would you like to be seen for?",
		Lede:          "Choose the closest match. If it's an emergency, don't book: call 911.",
		Manage:        "Already booked? Change or cancel your appointment",
		OtherReasons:  "Other reasons",
		UrgentGroup:   "Urgent symptoms",
		UrgentHint:    "Choose one of these and we'll tell you where to get help now.",
		NotListed:     "Not listed?",
		SomethingElse: "Something else",
		TypedLabel:    "Tell us in a few words",
		TypedHint:     "For example: a follow-up about my thyroid. Only the clinic sees this.",
		Continue:      "Continue",
	},
	Urgent: UrgentPage{
		Title:          "Please get help now",
		Heading:        "Please get help now",
		DoubtHeading:   "Could this be an emergency?",
		Doubt:          "Something you wrote can be a sign that you need care right away. If you have chest pain, trouble breathing, heavy bleeding, signs of a stroke, or you feel very unwell, call {911} or go to the nearest emergency room now.",
		GoOn:           "It isn't an emergency: continue booking",
		Crisis:         "Call or text {988} (Suicide & Crisis Lifeline) now, or call {911} when you are in danger.",
		Emergency:      "What you describe may need care right away. Call {911} or go to the nearest emergency room.",
		DontWait:       "Please don't wait for an appointment. We can't book this online because it may need care sooner than our next open time.",
		WhereHeading:   "Where to get help",
		Help911:        "A life-threatening emergency: call {911}.",
		Help988:        "Thoughts of suicide or a mental health crisis: call or text {988}.",
		HelpUrgentCare: "Not an emergency, but it can't wait: go to an urgent care clinic, or call us at {phone}.",
		NotUrgent:      "It isn't urgent: choose another reason",
	},
	VisitType: VisitTypePage{
		Title:               "Type of visit",
		Heading:             "What kind of visit do you need?",
		CallHeading:         "Please call us to book this",
		CallNote:            "This kind of visit needs a clinician to arrange it first, so it can't be booked online.",
		CallUs:              "Call us at {phone} and we'll find a time with you.",
		ChooseAnotherReason: "Choose another reason",
		Seen:                func(clinic string) string { return "Have you been seen at " + clinic + " in the last 3 years?" },
		SeenHint:            "At any of our locations, by any of our clinicians.",
		Yes:                 "Yes",
		No:                  "No, I'm new",
		Legend:              "Type of visit",
		ForNew:              "For new patients",
		ForReturning:        "For patients we've seen before",
	},
	Filters: Filters{
		Summary:      "Filter the times",
		Dates:        "Dates",
		From:         "From",
		To:           "To",
		Days:         "Which days?",
		DaysHint:     "Leave all unticked for any day.",
		Bands:        "What time of day?",
		BandsHint:    "Leave all unticked for any time. Times are local to each clinic.",
		Band:         map[booking.Band]string{booking.Morning: "Morning", booking.Afternoon: "Afternoon", booking.Evening: "Evening"},
		BandHint:     map[booking.Band]string{booking.Morning: "Before noon", booking.Afternoon: "Noon to 5 PM", booking.Evening: "After 5 PM"},
		Location:     "Where?",
		AnyLocation:  "Any of our clinics",
		Who:          "Provider's name",
		WhoHint:      "Part of a name is enough. Leave it empty to see anyone: that finds the soonest times.",
		Specialty:    "Specialty",
		AnySpecialty: "Any specialty",
		Speaks:       "Speaks",
		AnyLanguage:  "Any language",
		Apply:        "Show times",
		Clear:        "Clear filters",
		ProviderSpeaks: func(langs []string) string {
			return "Speaks " + join("and")(langs)
		},
		ProviderAt: func(places []string) string { return "At " + join("and")(places) },
	},
	Times: TimesPage{
		Earlier:   "Earlier",
		NextWeek:  "Next week",
		Weeks:     "Weeks",
		MoreTimes: func(n int) string { return "+" + strconv.Itoa(n) + " more" },
		NoTimes:   "No times",
		MoreGroups: func(n int) string {
			if n == 1 {
				return "1 more provider this day"
			}
			return strconv.Itoa(n) + " more providers this day"
		},
		ProvidersOf: func(first, last, total int) string {
			return "Providers " + strconv.Itoa(first) + " to " + strconv.Itoa(last) + " of " + strconv.Itoa(total)
		},
		ClinicsOf: func(first, last, total int) string {
			return "Clinics " + strconv.Itoa(first) + " to " + strconv.Itoa(last) + " of " + strconv.Itoa(total)
		},
		AllAt:           func(place string) string { return "Every open time at " + place },
		StillLooking:    "Still looking for open times",
		StillLookingWhy: "The clinic's schedule is taking longer than usual to answer. The times will show here as soon as it does: this page looks again by itself every few seconds.",
		LookAgain:       "Look again",
		PrevClinics:     "Previous clinics",
		NextClinics:     "More clinics",
		PrevProviders:   "Previous providers",
		NextProviders:   "More providers",
		AllWith:         func(name string) string { return "Every open time with " + name },
		AllOn:           func(day string) string { return "Every open time on " + day },
		BackToAll:       "Back to everyone",
		Title:           "Choose a time",
		Heading:         "Choose a time",
		Change:          "Change",
		ChangeWhat:      "what you're looking for",
		Holding:         "You're holding {when}. {keep}, or choose another below.",
		Keep:            "Keep this time",
		Soonest:         "Soonest: {when} with {who}.",
		ChooseSoonest:   "Choose the soonest time",
		Arrange:         "Arrange times",
		ByDay:           "By day",
		ByProvider:      "By provider",
		ByLocation:      "By location",
		Count: func(n int, atLeast bool) string {
			switch {
			case atLeast:
				return "At least " + strconv.Itoa(n) + " open times, earliest first."
			case n == 1:
				return "1 open time."
			}
			return strconv.Itoa(n) + " open times, earliest first."
		},
		ZoneAll:     func(zone string) string { return "All times are " + zone + "." },
		ZoneEach:    "Times are local to each clinic.",
		Incomplete:  "The clinic's schedule sent only part of the open times on some days. Narrow your search (a time of day, a clinic or a provider) to see every one.",
		AllTimes:    "All times",
		Bands:       map[booking.Band]string{booking.Morning: "Mornings", booking.Afternoon: "Afternoons", booking.Evening: "Evenings"},
		NoneHeading: "No open times match",
		TryThese:    "Try one of these:",
		CallToFind:  "Or call us at {phone} and we'll find a time with you.",
		Widen: map[booking.Widening]string{booking.WidenDays: "Any day of the week", booking.WidenBands: "Any time of day",
			booking.WidenProviders: "Any provider", booking.WidenLocations: "Any of our clinics", booking.WidenLater: "The next 7 days"},
		None:     englishNone,
		Searched: englishSearched,
		FromPush: "The clinic's schedule isn't answering, so these are the open times it last sent us. We'll confirm your booking with the clinic.",
	},
	Hold: HoldNotice{
		Holding:  "We're holding {clock} on {day} ({zone}) for you for {left}.",
		TickOne:  "1 more minute",
		TickMany: "{n} more minutes",
		Over:     "a moment longer",
		Ended:    "Your hold has ended. You can still continue: if the time was taken meanwhile, we will show you the nearest open times.",
	},
	Details: DetailsPage{
		Title:        "Your details",
		Heading:      "Who is the appointment for?",
		Intro:        "Enter the patient's details as the clinic has them. If you're booking for your child, enter your child's name and date of birth.",
		FirstName:    "First name",
		LastName:     "Last name",
		DOB:          "Date of birth",
		DOBHint:      "For example, 7 21 1984.",
		Year:         "Year",
		Month:        "Month",
		Day:          "Day",
		DOBOrder:     [3]string{"month", "day", "year"},
		Phone:        "Mobile phone",
		PhoneHint:    "We'll text a reminder. Give a mobile number, an email address, or both.",
		Email:        "Email address",
		Language:     "Preferred language",
		LanguageHint: "We'll arrange an interpreter when you need one.",
		MRN:          "Medical record number (optional)",
		MRNHint:      "If you know it: it's on your patient portal or a past visit summary.",
		Continue:     "Continue",
	},
	Review: ReviewPage{
		Title:     "Check and book",
		Heading:   "Check and book",
		Reason:    "Reason",
		VisitType: "Type of visit",
		When:      "When",
		With:      "With",
		Where:     "Where",
		Who:       "Patient",
		At:        func(day, clock string) string { return day + " at " + clock },
		Born:      func(d string) string { return "Born " + d },
		Mobile:    func(p string) string { return "Mobile " + p },
		Prefers:   func(l string) string { return "Prefers " + l },
		Record:    func(n string) string { return "Medical record number " + n },
		Change:    "Change",
		Consent:   "By booking, you agree that the clinic may contact you about this appointment.",
		Book:      "Book this appointment",
	},
	Booked: BookedPage{
		Heading: map[booking.Status]string{
			booking.StatusBooked:    "You're booked",
			booking.StatusRequested: "We're confirming your appointment",
			booking.StatusFailed:    "We couldn't book this time",
			booking.StatusCanceled:  "This appointment is canceled",
		},
		Text: map[booking.Status]string{
			booking.StatusBooked:    "Your appointment is confirmed with the clinic.",
			booking.StatusRequested: "We've sent your booking to the clinic and are waiting for their system to confirm it. This usually takes a minute. You don't need to book again: refresh this page to see the latest.",
			booking.StatusFailed:    "The clinic's system couldn't confirm this time (it may have been booked by phone meanwhile), so nothing is booked. Please choose another time, or call us and we'll help.",
			booking.StatusCanceled:  "This appointment has been canceled. You're welcome to book another.",
		},
		Other:       func(status string) string { return "This appointment's status is: " + status + "." },
		VisitNumber: "Your visit number is {number}",
		When:        "When",
		VisitType:   "Type of visit",
		With:        "With",
		Where:       "Where",
		For:         "For",
		Before:      "Before your visit",
		Span:        func(day, from, to string) string { return day + ", " + from + " to " + to },
		Phone:       func(p string) string { return "Phone " + p },
		Print:       "Print",
		BookAnother: "Book another appointment",
		Map:         "Directions on a map",
		Google:      "Google Calendar",
		Outlook:     "Outlook",
		ICS:         "Apple or other calendar (.ics)",
		Calendars:   "Add to your calendar",
		NextHeading: "What happens next",
		Next: []string{
			"The clinic has your appointment: there is nothing more to do now.",
			"Bring a photo ID, your insurance card and a list of the medicines you take.",
			"If you can't come, please call {phone} as soon as you can, so someone else can have the time.",
		},
		ForFamily: "Book for someone in your family",
		Emailed:   "We'll email your confirmation, and a reminder before the visit, to the address you gave.",
		NoEmail:   "No email is sent from this site: keep your confirmation code and this page's link.",
	},
	Manage: ManagePages{
		FindTitle:    "Find your appointment",
		FindIntro:    "To see, change or cancel an appointment, enter the code from its confirmation and the patient's last name and date of birth.",
		CodeLabel:    "Confirmation code",
		CodeHint:     "6 letters and numbers, for example K7M-4QX. The visit number works too.",
		LastName:     "Patient's last name",
		LastNameHint: "As it was given when booking.",
		Find:         "Find my appointment",
		NoCode:       "No code? Call us at {phone}.",
		BookInstead:  "Book a new appointment instead",
		Title:        "Your appointment",
		CodeIs:       "Your confirmation code is {code}",
		Status: map[booking.Status]string{
			booking.StatusBooked:    "Booked. The clinic has your appointment.",
			booking.StatusRequested: "We're confirming this appointment with the clinic.",
			booking.StatusCanceled:  "This appointment is canceled.",
			booking.StatusFailed:    "The clinic could not book this time. Please book another.",
			booking.StatusNoShow:    "This appointment was missed.",
			booking.StatusArrived:   "You have checked in for this appointment.",
		},
		Moved:     "Your appointment has moved to the time below.",
		Canceled:  "Your appointment is canceled. The time is free for someone else.",
		ByClinic:  "The clinic changed this appointment. Here it is as it now stands.",
		MovedHere: "This appointment replaced one you had booked before.",
		Change:    "Change the time",
		CancelIt:  "Cancel the appointment",
		TooLate: func(h int) string {
			return "Within " + strconv.Itoa(h) + " hours of the visit it can't be changed online: please call the clinic."
		},
		Call:        "Call {phone}",
		CancelTitle: "Cancel your appointment",
		CancelWhy:   "Why are you canceling?",
		Reasons: map[string]string{"better": "I'm feeling better", "conflict": "Something else came up", "elsewhere": "I'm being seen somewhere else",
			"transport": "I can't get there", "cost": "Cost or insurance", "other": "Another reason"},
		Other:         "Tell us more",
		OtherHint:     "Only if you chose another reason. Don't include medical details.",
		ConfirmCancel: "Cancel the appointment",
		Keep:          "Keep my appointment",
		Link:          "Manage this appointment",
		LinkHint:      "Keep this link: it opens this appointment to change or cancel it.",
		MovingFrom:    "Instead of",
		MoveIt:        "Move my appointment",
		MoveHeading:   "Check and move",
		MovingNote: func(when string) string {
			return "You're moving your appointment of " + when + ". Choose the new time."
		},
		MovedHeading:   "Your appointment has moved",
		MovedText:      "The clinic has your new time, and your old time is free for someone else.",
		CalendarUpdate: "Update your calendar (.ics)",
		StartFind:      "Find another appointment",
		RemindersOn: func(h int) string {
			return "We'll email you a reminder " + strconv.Itoa(h) + " hours before the visit."
		},
		RemindersOff:  "You won't get a reminder email for this visit.",
		StopReminders: "No reminder email",
		SendReminders: "Email me a reminder",
	},
	Desk: DeskPages{
		Nav:         "Front desk",
		Day:         "Day",
		SignOut:     "Sign out",
		Idle:        "For privacy you are signed out after 15 minutes without activity.",
		IdleSoon:    "You will be signed out in 2 minutes: load a page to stay signed in.",
		SignInTitle: "Front desk sign-in",
		SignIn:      "Sign in",
		Email:       "Email",
		Password:    "Password",
		Tagline:     "Front desk",
		Date:        "Day",
		Location:    "Location",
		Show:        "Show",
		Days:        "Days",
		PrevDay:     "Previous day",
		Today:       "Today",
		NextDay:     "Next day",
		Stale:       "The clinic's schedule did not answer in time: visits booked there by phone may be missing, and open times are not shown.",
		NoProviders: "Nobody works at this location.",
		Nothing:     "Nothing booked or open.",
		Booked:      "Booked",
		InEHR:       "booked in the clinic's system",
		Holding:     "Being booked online",
		Blocked:     "Blocked",
		Open:        "Open",
		DayOf:       func(day, location string) string { return day + " at " + location },
		Status:      map[booking.Status]string{booking.StatusBooked: "booked", booking.StatusRequested: "confirming with the EHR", booking.StatusFailed: "failed", booking.StatusCanceled: "canceled", booking.StatusNoShow: "no-show", booking.StatusArrived: "arrived"},
		Book:        "Book",
		BookTitle:   "Book for a caller",
		ShowTimes:   "Show times",
		VisitType:   "Visit type",
		Provider:    "Provider",
		Anyone:      "Anyone",
		Everyone:    "Everyone",
		From:        "From",
		Time:        "Time",
		Patient:     "Patient",
		NoTimes:     "No open time in the week from that day: try another day, place or provider.",
		Booked2:     "Booked for the caller.",
		VisitTitle:  "Appointment",
		BackToDay:   "Back to the day",
		Canceled:    "Canceled for the patient. The time is free again.",
		AuditTitle:  "Audit log",
		AuditCapped: "Only the newest 500 entries are shown: narrow the filter.",
		NoRows:      "No entry matches.",
		CSV:         "Download as CSV",
		VisitNumber: "Visit number",
		StaffMember: "Staff member",
		Action:      "Action",
		AnyAction:   "Any action",
		StaffSignIn: "Staff sign-in",
		When:        "When",
		Who:         "Who",
		Actions:     map[string]string{"book": "Booked", "cancel": "Canceled", "reschedule": "Moved", "find": "Found (patient)", "find_failed": "Find failed", "sign_in": "Signed in", "sign_in_failed": "Sign-in failed", "sign_out": "Signed out", "override": "Override", "resend": "Confirmation sent again", "reminders_on": "Reminders on (patient)", "reminders_off": "Reminders off (patient)", "retry": "Sent again (needs attention)", "resolve": "Marked resolved (needs attention)", "kiosk_create": "Kiosk created", "kiosk_code": "Kiosk code issued", "kiosk_revoke": "Kiosk revoked", "kiosk_enroll": "Kiosk set up", "kiosk_enroll_failed": "Kiosk setup failed"},
		Address:     "Address",
		Detail:      "Details",
		StatusLabel: "Status",
		CodeLabel:   "Confirmation code",
		CancelWhy:   "Why is the patient canceling?",
		Lift:        "Also show times patients cannot book",
		Rules: map[booking.Rule]string{booking.RuleLeadTime: "sooner than the lead time", booking.RuleHorizon: "beyond the booking horizon",
			booking.RuleSelfBook: "staff-only visit type", booking.RuleDoubleBook: "a time already booked"},
		NoDoubleBook: func(vt string) string {
			return vt + " cannot be double-booked: the clinic allows it only for some visit types."
		},
		StaffOnly:    "staff only",
		Override:     "Override",
		OverrideWhy:  "Why bend the rules?",
		OverrideHint: "Times marked Override are outside what patients may book. Booking one needs a reason, recorded under your name and sent to the clinic's system.",
		OverrideReasons: map[string]string{"urgent": "Clinically urgent", "clinician": "A clinician asked for it",
			"follow_up": "A follow-up the clinic arranged", "access": "The patient cannot come at other times", "other": "Another reason"},
		OverrideNote:     "In your words",
		OverrideNoteHint: "Needed for another reason. Up to 200 characters.",
		Returning:        "Returning patient?",
		FindIt:           "Find",
		UseIt:            "Use these details",
		FirstNameStart:   "First name (optional)",
		DOBHint:          "For example, 7/21/1984.",
		NobodyFound:      "Nobody with that name and date of birth has booked here or has a visit in the clinic's schedule. Type their details below.",
		Born:             func(date string) string { return "born " + date },
		SeenHere:         func(day string) string { return "last booked here for " + day },
		SeenEHR:          func(day string) string { return "in the clinic's schedule on " + day },
		Move:             "Move to another time",
		Resend:           "Send the confirmation email again",
		Resent:           "The confirmation email is on its way again.",
		MoveTitle:        "Move an appointment",
		MoveIt:           "Move to this time",
		Moving:           func(patient, when string) string { return "Moving " + patient + "'s visit from " + when + "." },
		Moved:            "Moved for the patient. The old time is canceled at the clinic once this one is booked.",
		Attention: DeskAttention{
			Title: "Needs attention",
			Nav: func(n int) string {
				if n == 0 {
					return "Needs attention"
				}
				return "Needs attention (" + strconv.Itoa(n) + ")"
			},
			Intro: "What Doorway could not finish by itself, newest first. Each group says what to do; when it is done, mark the item resolved with a note.",
			Empty: "Nothing needs attention right now.",
			Headings: map[booking.AttentionKind]string{
				booking.AttentionFailed:     "Refused by the clinic's system",
				booking.AttentionMoveCancel: "Moved, but the old time is still booked",
				booking.AttentionStuck:      "Not delivered after 15 minutes",
				booking.AttentionEmail:      "Emails that did not reach the patient",
				booking.AttentionInbound:    "Changes from the clinic's system that Doorway could not apply",
			},
			Todo: map[booking.AttentionKind]string{
				booking.AttentionFailed:     "The clinic's system refused these messages, or Doorway gave up after many tries. A refused booking means the patient thinks they are booked and is not: call them to find another time. Send again only once the cause is fixed.",
				booking.AttentionMoveCancel: "These patients moved their visit: the new time is booked, but the old one is still booked in the clinic's system. Send the cancel again, or cancel the old visit in the clinic's system by hand.",
				booking.AttentionStuck:      "The clinic's system has not taken these for 15 minutes; Doorway keeps trying. Check that the clinic's system is up, send again now, and call the patient if the visit is soon.",
				booking.AttentionEmail:      "The email did not reach the patient: the mail server refused it, or Doorway gave up after many tries. Call them to give the time (or tell them of the change or cancellation) and check their address. Send again only once the cause is fixed, such as the mail server's settings or a full mailbox: the email goes to the address given when booking.",
				booking.AttentionInbound:    "The clinic's system sent these changes and Doorway could not apply them, so the schedule here may be out of date. Check the visit in the clinic's system and ask whoever runs Doorway to replay the change once the cause is fixed.",
			},
			Messages: map[booking.OutboxKind]string{booking.OutboxNew: "Booking", booking.OutboxCancel: "Cancel",
				booking.OutboxEmailConfirm: "Confirmation email", booking.OutboxEmailChange: "Change email",
				booking.OutboxEmailCancel: "Cancellation email", booking.OutboxEmailReminder: "Reminder email"},
			MovedFrom: func(visit string) string { return "moved from " + visit },
			Inbound:   func(event string) string { return "Change from the clinic's system: " + event },
			Patient:   "Patient",
			Phone:     "Phone",
			Email:     "Email",
			Visit:     "Visit",
			Since:     "Since",
			Said:      "The clinic's system said",
			MailSaid:  "The mail server said",
			Received:  "Received",
			Why:       "Why",
			Detail:    "Details",
			Attempts: func(n int) string {
				if n == 1 {
					return "1 try"
				}
				return strconv.Itoa(n) + " tries"
			},
			Reasons: map[string]string{
				booking.DeadInvalid:    "A field is missing or wrong",
				booking.DeadUnwanted:   "An event Doorway does not take",
				booking.DeadOutOfRange: "A time beyond what Doorway keeps",
				booking.DeadNotFound:   "It refers to something Doorway does not know",
				booking.DeadConflict:   "It contradicts what Doorway has",
				booking.DeadOther:      "Something else",
			},
			OpenVisit: func(visit string) string { return "Open visit " + visit },
			Retry:     "Send again now",
			Resolve:   "Mark resolved",
			Note:      "Note: what you did",
			NoteHint:  "Required, up to 500 characters. Kept with the item; staff only.",
			Notices: map[string]string{
				"resolved":      "Marked resolved. It has left the list.",
				"delivered":     "Sent again, and the clinic's system took it. It has left the list.",
				"refused":       "Sent again, and the clinic's system refused it again: its answer is below.",
				"pending":       "Sent again, but it has not gone through yet. Doorway keeps trying; it comes back here if it is still not through in 15 minutes.",
				"email_sent":    "Sent again, and the mail server took it. It has left the list.",
				"email_refused": "Sent again, and the mail server refused it again: its answer is below. Call the patient.",
				"email_pending": "Sent again, but the mail server has not taken it yet. Doorway keeps trying; it comes back here if it fails for good.",
			},
		},
	},
	Kiosk: KioskPages{
		Tagline:          "Book a visit here",
		EnrollTitle:      "Set up this kiosk",
		EnrollIntro:      "This tablet is not a kiosk yet. An administrator creates a kiosk at the front desk and gets a one-time code: type it here.",
		EnrollCode:       "Enrollment code",
		CodeHint:         "8 letters and numbers, for example K7M4-QXAC.",
		Enroll:           "Set up",
		NextHeading:      "Next available today at this location",
		NextIntro:        "Tap a time to book it. Then tell us why you need to be seen.",
		SomethingElse:    "Something else: choose why you need to be seen",
		NoneToday:        "There are no open times left today at this location.",
		SoonestOther:     "The soonest other times:",
		SeeDesk:          "Please see the front desk.",
		WhyHeading:       "What brings you in?",
		WhyIntro:         "We keep your time while you choose.",
		NoVisitType:      "This visit cannot be booked on the kiosk. Please see the front desk.",
		Bring:            "What to bring",
		BringAlways:      "A photo ID and your insurance card.",
		PhoneHint:        "The clinic calls this number if your visit changes.",
		Email:            "Email (optional)",
		StartHeading:     "Why do you need to be seen?",
		StartIntro:       "Tap a reason, or tell us in your own words.",
		Other:            "Something else",
		OtherHint:        "Tell us in a few words.",
		Next:             "Next",
		VisitTypeHeading: "What kind of visit do you need?",
		TimesHeading:     "Choose a time",
		TimesIntro:       "The soonest times are first.",
		NoTimes:          "There is no open time this week. Please ask at the front desk.",
		Today:            "Today",
		Tomorrow:         "Tomorrow",
		Time:             func(day, clock, provider string) string { return day + ", " + clock + " with " + provider },
		DetailsHeading:   "Who is the visit for?",
		DetailsIntro:     "We keep this time for you while you type.",
		Held:             func(when, provider, place string) string { return when + " with " + provider + " at " + place },
		Book:             "Book this time",
		TellDesk:         "Tell the front desk now. They will help you right away.",
		DoneHeading:      "You are booked",
		DoneIntro:        "Take your slip: it has your time and a code to change or cancel.",
		CodeLabel:        "Confirmation code",
		Print:            "Print my slip",
		DoneSoon:         "This screen starts over in 30 seconds.",
		SlipHeading:      "Your appointment",
		SlipScan:         "Scan to see, change or cancel it on your phone.",
		SlipNote:         "Keep this slip. The code opens your appointment at the front desk or online.",
		StartOver:        "Start over",
		IdleHeading:      "Are you still there?",
		IdleText:         "This screen starts over in {n} seconds and forgets what you typed.",
		Continue:         "Continue",
		AdminTitle:       "Kiosks",
		AdminIntro:       "A kiosk is a clinic tablet where walk-ins book. Create one, then type its one-time code on the tablet at /kiosk within 24 hours. Revoking a kiosk stops its tablet at once.",
		Name:             "Name",
		NameHint:         "For example, Lobby tablet. Shown in the day view beside what it books.",
		Location:         "Location",
		Create:           "Create kiosk",
		NewCode:          "New code",
		Revoke:           "Revoke",
		Revoked:          "Revoked",
		Enrolled:         "Enrolled",
		NotEnrolled:      "Not set up yet",
		CodeOnce: func(name, code, until string) string {
			return "The code for " + name + " is " + code + ". Type it on the tablet before " + until + ". It is shown only once."
		},
		CodeWaits: func(until string) string { return "a code works until " + until },
		Nobody:    "No kiosk yet.",
		Source:    func(name string) string { return "kiosk: " + name },
	},
	Funnel: FunnelPage{
		Nav:           "Numbers",
		Title:         "Booking numbers",
		Intro:         "How many people searched, found no fitting time, held a time, booked, canceled and moved, day by day.",
		From:          "From",
		To:            "To",
		Reason:        "Reason",
		VisitType:     "Visit type",
		Channel:       "Who",
		AnyReason:     "Any reason",
		AnyVisitType:  "Any visit type",
		AnyChannel:    "Anyone",
		Show:          "Show",
		Channels:      map[booking.Channel]string{booking.ChannelWeb: "Patients online", booking.ChannelDesk: "Front desk", booking.ChannelClinic: "The clinic (EHR)", booking.ChannelKiosk: "Kiosks"},
		ReasonTyped:   "Typed by the patient",
		ReasonNone:    "No reason asked",
		ReasonUnknown: "Not kept (cancellations and moves)",
		NoVisitType:   "No visit type",
		Range:         func(from, to string) string { return "From " + from + " to " + to },
		ByDay:         "By day",
		ByReason:      "By reason",
		ByVisitType:   "By visit type",
		Day:           "Day",
		Searches:      "Searches",
		NoFit:         "No fitting time",
		Holds:         "Holds",
		Bookings:      "Bookings",
		Conversion:    "Bookings per search",
		Cancels:       "Cancellations",
		Reschedules:   "Moves",
		Total:         "Total",
		CSV:           "Download as CSV",
		Nothing:       "Nothing was counted in these days.",
		Notes: "Counts only: no patient, session or address is kept. A search counts once per browser and set of choices until that browser books; " +
			"one that found no open time is also counted under no fitting time. Cancellations and moves are counted by visit type: " +
			"an appointment does not keep the reason it was searched for. Counts reach this page within a few seconds.",
	},
	Calendar: CalendarFile{
		Summary: func(vt, clinic string) string { return vt + " at " + clinic },
		Description: func(visit, provider, phone string) string {
			return "Visit number " + visit + ". With " + provider + ". Clinic phone " + phone + "."
		},
	},
	Email: EmailWords{
		Subject: map[booking.EmailKind]func(string, string) string{
			booking.EmailConfirmation: func(when, clinic string) string { return "Booked: " + when + ", " + clinic },
			booking.EmailChange:       func(when, clinic string) string { return "Changed: your appointment is now " + when + ", " + clinic },
			booking.EmailCancellation: func(when, clinic string) string { return "Canceled: your appointment of " + when + ", " + clinic },
			booking.EmailReminder:     func(when, clinic string) string { return "Reminder: your appointment " + when + ", " + clinic },
		},
		Heading: map[booking.EmailKind]string{
			booking.EmailConfirmation: "You're booked",
			booking.EmailChange:       "Your appointment has changed",
			booking.EmailCancellation: "Your appointment is canceled",
			booking.EmailReminder:     "Your appointment is coming up",
		},
		Lead: map[booking.EmailKind]string{
			booking.EmailConfirmation: "The clinic has your appointment. Here are the details.",
			booking.EmailChange:       "Your appointment has moved to a new time, with a new confirmation code. Your old time is free for someone else.",
			booking.EmailCancellation: "Your appointment is canceled, and the time is free for someone else. You're welcome to book another.",
			booking.EmailReminder:     "This is a reminder of your appointment.",
		},
		Attached: map[booking.EmailKind]string{
			booking.EmailConfirmation: "The attached calendar file adds the visit to your calendar.",
			booking.EmailChange:       "The attached calendar file moves the visit in your calendar.",
			booking.EmailCancellation: "The attached calendar file removes the visit from your calendar.",
			booking.EmailReminder:     "The attached calendar file adds the visit to your calendar if it isn't there yet.",
		},
		Hello:     func(name string) string { return "Hello " + name + "," },
		Was:       "Instead of",
		Manage:    "See, change or cancel your appointment",
		Reminders: "Don't want reminders? Turn them off on your appointment's page.",
		Footer: func(clinic string) string {
			return "You're getting this email because an appointment with " + clinic + " was booked for this address. Please don't reply with medical questions: call us instead."
		},
		At: func(day, clock, zone string) string { return day + ", " + clock + " " + zone },
	},
	Errors: ErrorPage{
		Heading:    englishHeading,
		Message:    englishStatusMessage,
		Summary:    "There is a problem",
		Prefix:     "Error: ",
		TryAgain:   "Try again",
		StartAgain: "Start again",
		ChooseTime: "Choose a time",
		BackToForm: "Go back to the form",
		CallUs:     "You can also call us at {phone}.",
	},
	Problems:  englishProblems,
	Languages: englishLanguages,
}

func englishHeading(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Please check and try again"
	case http.StatusUnprocessableEntity:
		return "Please check your answers"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusForbidden:
		return "This form has expired"
	case http.StatusNotFound:
		return "We couldn't find that"
	case http.StatusConflict:
		return "That time is no longer available"
	case http.StatusTooManyRequests:
		return "Too many tries"
	case http.StatusServiceUnavailable:
		return "The clinic's schedule isn't answering"
	case http.StatusRequestEntityTooLarge:
		return "That was too much"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return "Please check and try again"
}

func englishStatusMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return "We couldn't find that page."
	case http.StatusForbidden:
		return "This form has expired or came from somewhere else. Please go back, reload the page and try again."
	case http.StatusTooManyRequests:
		return "That was a lot of tries in a short time. Please wait a minute, then try again."
	case http.StatusRequestEntityTooLarge:
		return "That form was larger than we accept. Please shorten what you typed and try again."
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "The clinic's schedule is taking too long to answer. Please try again in a moment."
	case http.StatusMethodNotAllowed:
		return "That page can't be used that way."
	case 499:
		return "The request was canceled."
	}
	if status >= 500 {
		return "Something went wrong on our side. Please try again."
	}
	return "Something in that request wasn't right. Please go back and try again."
}

// englishSearched is "Sick visit (20 minutes) · Tue, Mar 4 to Mon, Mar 17 · Mondays ·
// mornings · with Maya Okafor, MD".
func englishSearched(s Search) string {
	parts := []string{s.VisitType + " (" + s.Length + ")", s.From + " to " + s.To}
	if d := englishDays(s.Days); d != "" {
		parts = append(parts, d)
	}
	if b := englishBands(s.Bands); b != "" {
		parts = append(parts, b)
	}
	if len(s.Providers) > 0 {
		parts = append(parts, "with "+join("or")(s.Providers))
	}
	if len(s.Locations) > 0 {
		parts = append(parts, "at "+join("or")(s.Locations))
	}
	return strings.Join(parts, " · ")
}

// englishNone is "There are no open times for a sick visit from Tue, Mar 4 to Mon, Mar 17
// on Mondays in the mornings with Maya Okafor, MD."
func englishNone(s Search) string {
	why := "There are no open times for a " + strings.ToLower(s.VisitType) + " from " + s.From + " to " + s.To
	if d := englishDays(s.Days); d != "" {
		why += " on " + d
	}
	if b := englishBands(s.Bands); b != "" {
		why += " in the " + b
	}
	if len(s.Providers) > 0 {
		why += " with " + join("or")(s.Providers)
	}
	if len(s.Locations) > 0 {
		why += " at " + join("or")(s.Locations)
	}
	return why + "."
}

func englishDays(days []time.Weekday) string {
	var names []string
	for _, d := range weekOrder(days) {
		names = append(names, d.String()+"s")
	}
	return join("and")(names)
}

func englishBands(bands []booking.Band) string {
	var names []string
	for _, b := range bandOrder(bands) {
		names = append(names, strings.ToLower(string(b))+"s")
	}
	return join("and")(names)
}

var englishProblems = map[booking.Msg]string{
	booking.MsgInternal:    "Something went wrong on our side. Please try again.",
	booking.MsgEHRSlow:     "The clinic's schedule took too long to answer. Please try again.",
	booking.MsgEHRDown:     "The clinic's scheduling system is not answering right now. Please try again in a few minutes.",
	booking.MsgEHRGarbled:  "The clinic's scheduling system sent an answer we could not read. Please try again later.",
	booking.MsgEHRRefused:  "The clinic's scheduling system could not accept this request.",
	booking.MsgEHRChanged:  "This appointment was changed in the clinic's scheduling system meanwhile.",
	booking.MsgEHRSignIn:   "We could not sign in to the clinic's scheduling system. Please call the clinic.",
	booking.MsgEHRLacking:  "This request is missing something the clinic's scheduling system needs.",
	booking.MsgMalformed:   "This message can't be used",
	booking.MsgFormUnread:  "We couldn't read that form. Please try again.",
	booking.MsgPageExpired: "This page is out of date. Please check your booking again and confirm.",

	booking.MsgReasonMissing:      "Choose a reason, or tell us in a few words.",
	booking.MsgReasonUnknown:      "Choose a reason from the list.",
	booking.MsgReasonTypedMissing: "Tell us in a few words what you'd like to be seen for.",
	booking.MsgReasonTypedLong:    "Please keep it to 200 characters or fewer.",

	booking.MsgSeenMissing:           "Tell us whether you've been seen here in the last 3 years.",
	booking.MsgVisitTypeMissing:      "Choose the type of visit you need.",
	booking.MsgVisitTypeUnknown:      "Choose a type of visit from the list.",
	booking.MsgVisitTypeForNew:       "That visit is for new patients. As you've been seen here before, choose another type of visit.",
	booking.MsgVisitTypeForReturning: "That visit is for patients we've seen before. As you're new, choose a visit for new patients.",

	booking.MsgFromMissing:       "Enter the first date you could come in.",
	booking.MsgFromFormat:        "Enter a date like 2026-03-04 (year, month, day).",
	booking.MsgFromPast:          "Choose today or a later date.",
	booking.MsgFromTooFar:        "Choose a date within the next year.",
	booking.MsgToMissing:         "Enter the last date you could come in.",
	booking.MsgToFormat:          "Enter a date like 2026-03-17 (year, month, day).",
	booking.MsgToBeforeFrom:      "The last date must be on or after the first date.",
	booking.MsgToSpan:            "Choose dates at most 14 days apart: the times show up to two weeks at once, and \"Next week\" goes on from there.",
	booking.MsgDaysUnknown:       "Choose days from the list.",
	booking.MsgBandsUnknown:      "Choose times of day from the list.",
	booking.MsgProvidersUnknown:  "Choose providers from the list.",
	booking.MsgLocationsUnknown:  "Choose clinics from the list.",
	booking.MsgLocationsNoneWork: "None of the providers you chose work at these clinics. Choose another clinic, or leave the clinics unticked.",
	booking.MsgWidenUnknown:      "Choose how to widen the search.",
	booking.MsgNoProviderMatches: "No provider who offers this visit matches. Try part of a name, or clear the filters to see anyone.",

	booking.MsgSlotUnknown:           "Choose a time from the list.",
	booking.MsgSlotTaken:             "That time was just taken. Here are the nearest open times.",
	booking.MsgSlotHeld:              "Someone else is booking that time. Here are the nearest open times.",
	booking.MsgTooManyHolds:          "You are holding too many times at once from this device. Book or let go of one of them first, or call us.",
	booking.MsgSlotGone:              "Sorry, that time was just taken. Please choose another.",
	booking.MsgHoldExpired:           "Your held time has expired. Please pick a time again.",
	booking.MsgHoldLetGo:             "Your held time has ended, so we let it go. Please choose a time again: we've kept your other answers.",
	booking.MsgBookedElsewhere:       "We can't show that appointment in this browser. Your confirmation message has the details, or call us.",
	booking.MsgAlreadyCanceled:       "This appointment is already canceled.",
	booking.MsgCannotCancel:          "This appointment can no longer be canceled.",
	booking.MsgTooLateToChange:       "It's too close to the visit to change it online: please call the clinic.",
	booking.MsgCodeInUse:             "Something went wrong on our side. Please try again.",
	booking.MsgManageNotFound:        "We couldn't find that appointment. Check the code, the last name and the date of birth, or call us.",
	booking.MsgManageCodeMissing:     "Enter the confirmation code or the visit number.",
	booking.MsgManageLinkBad:         "This link doesn't work any more: it has expired or was changed. Find your appointment with its code instead.",
	booking.MsgManageTooMany:         "Too many tries from this connection. Wait a few minutes, or call us.",
	booking.MsgCancelReasonMissing:   "Choose why you are canceling.",
	booking.MsgCancelOtherMissing:    "Tell us the reason, or choose one from the list.",
	booking.MsgSignInFailed:          "That email and password do not match an account that may sign in. Check them and try again, or ask your administrator.",
	booking.MsgPasswordTooLong:       "Use a password of at most 72 bytes (fewer with accented letters).",
	booking.MsgPasswordTooShort:      "Use a password of at least 10 characters.",
	booking.MsgEmailTaken:            "A staff account with that email exists already.",
	booking.MsgAdminOnly:             "Only an administrator may open this page.",
	booking.MsgOverrideNeeded:        "This time is outside what patients may book: choose why you are bending the rules.",
	booking.MsgOverrideReasonMissing: "Choose why you are bending the rules.",
	booking.MsgOverrideNoteMissing:   "Say why in your words.",
	booking.MsgOverrideNotAllowed:    "Only an administrator may book outside the rules for patients.",
	booking.MsgDoubleBookNotAllowed:  "This visit type cannot be booked on a time already booked: choose an open time.",
	booking.MsgFunnelSpan:            "Choose at most a year of days (366).",
	booking.MsgKioskCodeWrong:        "That code does not set up a kiosk: it may be mistyped, used already or expired. Check it, or ask for a new code at the front desk.",
	booking.MsgKioskNameMissing:      "Give the kiosk a name.",
	booking.MsgKioskNameLong:         "Use at most 60 characters for the name.",
	booking.MsgKioskLocation:         "Choose one of the clinic's locations.",
	booking.MsgKioskGone:             "This kiosk was revoked. Ask an administrator for a new code.",

	booking.MsgNoteMissing:    "Write what you did, for whoever reads it next.",
	booking.MsgNoteLong:       "Keep the note to 500 characters or fewer.",
	booking.MsgAttentionGone:  "That item no longer needs attention: someone resolved it, or the message went through meanwhile.",
	booking.MsgCannotRetry:    "This one cannot be sent again from here: call the patient, or mark it resolved with a note.",
	booking.MsgRetryBusy:      "Doorway is sending this message right now. Wait a minute and look again.",
	booking.MsgRetryTimeTaken: "The time of this booking was taken meanwhile, so it cannot be sent again. Call the patient to find another time, then mark it resolved.",

	booking.MsgFirstNameMissing: "Enter your first name.",
	booking.MsgFirstNameLong:    "First name must be 60 characters or fewer.",
	booking.MsgLastNameMissing:  "Enter your last name.",
	booking.MsgLastNameLong:     "Last name must be 60 characters or fewer.",
	booking.MsgFirstNameLetters: "A first name needs at least one letter.",
	booking.MsgLastNameLetters:  "A last name needs at least one letter.",
	booking.MsgEmailLong:        "An email address can be at most 254 characters long.",
	booking.MsgDOBMissing:       "Enter your date of birth.",
	booking.MsgDOBFormat:        "Enter the month, day and year you were born, for example 7 21 1984.",
	booking.MsgDOBFuture:        "Date of birth cannot be in the future.",
	booking.MsgDOBOld:           "Check the year of your date of birth.",
	booking.MsgPhoneFormat:      "Enter a mobile number like 308-201-3344, or +44 20 7946 0958.",
	booking.MsgEmailFormat:      "Enter an email address like name@example.com.",
	booking.MsgContactMissing:   "Enter a mobile number or an email address so we can reach you.",
	booking.MsgPhoneMissing:     "Enter a phone number so the clinic can reach you.",
	booking.MsgLanguageUnknown:  "Choose a language from the list.",
	booking.MsgMRNFormat:        "A medical record number has only letters, digits and dashes (up to 20).",

	booking.MsgTokenMissing:     "The verification-token header is required.",
	booking.MsgTokenWrong:       "The verification token does not match.",
	booking.MsgBodyTooLarge:     "The message is larger than we accept.",
	booking.MsgBodyUnread:       "The message body could not be read.",
	booking.MsgEventUnwanted:    "This address accepts Scheduling notifications only.",
	booking.MsgBodyNotJSON:      "The message is not JSON, or it is cut off.",
	booking.MsgChallengeMissing: "The verification challenge is missing.",
	booking.MsgAlreadyReplayed:  "This dead letter was replayed already.",
	booking.MsgNotEnabled:       "This service is not enabled.",
}

var englishLanguages = []LanguageName{
	{"en", "English"}, {"es", "Spanish"}, {"zh", "Chinese"}, {"vi", "Vietnamese"},
	{"ar", "Arabic"}, {"ko", "Korean"}, {"ru", "Russian"}, {"tl", "Tagalog"},
	{"fr", "French"}, {"ht", "Haitian Creole"}, {"pt", "Portuguese"}, {"de", "German"},
	{"hi", "Hindi"}, {"ta", "Tamil"}, {"so", "Somali"}, {"pl", "Polish"}, {"ja", "Japanese"},
	{"it", "Italian"}, {"uk", "Ukrainian"}, {"fa", "Persian"},
}
