package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/desk"
)

// Booking for a caller: one screen with the search on top and, below, the open times to choose
// from and the patient's details in one form; its POST holds the chosen time and books it
// (the same service, holds and outbox as the patient's flow) and opens the visit: two
// screens in all. Staff who may override (booking.Staff.MayOverride) also see the times
// patients cannot book, marked (times already booked too, to double-book a visit type that
// allows it), and name a reason to book one. With ?move=<visit number> the
// same screen moves a patient's appointment: its visit type, no patient details, and the
// POST reschedules.

const pathDeskBook = "/desk/book"

// deskQuery is the booking screen's search as its query string has it.
type deskQuery struct {
	prefs    booking.Preferences
	keep     url.Values // the search, for the booking form's action
	searched bool
	lift     []booking.Rule       // the patients' rules lifted
	moving   *booking.Appointment // the appointment being moved
}

// deskSearch reads the search from the query: a visit type (the first when none), a location
// (the staff member's, or the moved appointment's, by default), a provider (anyone), a first
// day (today); a week of times. Only staff who may override lift rules; moving an appointment
// keeps its visit type, even one patients cannot book.
func (s *Server) deskSearch(c echo.Context) (deskQuery, error) {
	q := c.Request().URL.Query()
	st := staffOf(c)
	var d deskQuery
	defLoc := staffOf(c).Location
	if vn := q.Get("move"); vn != "" {
		a, err := s.svc.Appointment(c.Request().Context(), vn)
		if err != nil {
			return d, err
		}
		if err := s.svc.CanChange(a); err != nil && booking.MsgOf(err) != booking.MsgTooLateToChange {
			return d, err
		}
		d.moving, defLoc = &a, s.clinic.LocationOf(a.Location).ID
		q.Set("visit_type", a.VisitType.Code)
	}
	p := booking.Preferences{VisitType: q.Get("visit_type")}
	d.searched = p.VisitType != "" || d.moving != nil
	vt, ok := s.clinic.VisitType(p.VisitType)
	switch {
	case !ok || (!vt.SelfBook && !st.MayOverride() && d.moving == nil):
		p.VisitType, d.searched = s.firstSelfBook(), false
	case !vt.SelfBook:
		d.lift = append(d.lift, booking.RuleSelfBook)
	}
	if st.MayOverride() {
		for _, r := range []booking.Rule{booking.RuleLeadTime, booking.RuleHorizon, booking.RuleDoubleBook} {
			if slices.Contains(q["lift"], string(r)) {
				d.lift = append(d.lift, r)
			}
		}
	}
	loc := q.Get("location")
	if !q.Has("location") {
		loc = defLoc
	}
	if _, ok := s.clinic.Location(loc); ok {
		p.Locations = []string{loc}
	}
	if _, ok := s.clinic.Provider(q.Get("provider")); ok {
		p.Providers = []string{q.Get("provider")}
	}
	today := s.svc.Today()
	first := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	from, err := time.Parse(time.DateOnly, q.Get("from"))
	if err != nil || from.Before(first) || from.After(first.AddDate(0, 0, booking.MaxAheadDays-6)) {
		from = first
	}
	p.From, p.To = from.Format(time.DateOnly), from.AddDate(0, 0, 6).Format(time.DateOnly)
	d.prefs = p
	d.keep = url.Values{"location": {loc}, "provider": {q.Get("provider")}, "from": {p.From}}
	if d.moving != nil {
		d.keep.Set("move", d.moving.VisitNumber)
	} else {
		d.keep.Set("visit_type", p.VisitType)
	}
	for _, r := range d.lift {
		if r != booking.RuleSelfBook {
			d.keep.Add("lift", string(r))
		}
	}
	return d, nil
}

// showDeskBook is the booking screen.
func (s *Server) showDeskBook(c echo.Context) error {
	d, err := s.deskSearch(c)
	if err != nil {
		return err
	}
	return s.renderDeskBook(c, http.StatusOK, d, deskScreen{})
}

// deskScreen is what the booking screen shows besides its search: what was chosen and typed,
// the errors, and the search for a returning patient with its results.
type deskScreen struct {
	chosen   string
	form     booking.PatientForm
	override booking.Override
	errors   booking.FieldErrors
	find     desk.FindOf
}

// renderDeskBook searches (when asked) and renders the screen with v.
func (s *Server) renderDeskBook(c echo.Context, status int, d deskQuery, v deskScreen) error {
	var slots []booking.Slot
	if d.searched {
		res, err := s.svc.Search(c.Request().Context(), d.prefs, sessionID(c), d.lift...)
		if err != nil {
			return err
		}
		slots = res.Slots
	}
	vt, _ := s.clinic.VisitType(d.prefs.VisitType)
	bends := func(sl booking.Slot) []booking.Rule {
		b := s.svc.Bends(sl, vt)
		if d.moving != nil { // moving keeps the visit type: not an override
			b = slices.DeleteFunc(b, func(r booking.Rule) bool { return r == booking.RuleSelfBook })
		}
		return b
	}
	page := desk.NewBookPage(s.deskPage(c, "book"), s.messages(c), s.clinic, desk.BookOf{Prefs: d.prefs, Slots: slots, Ref: s.refs.ref,
		Bends: bends, Chosen: v.chosen, Form: v.form, Override: v.override, Errors: v.errors, Key: s.confirmKey(c), Search: d.keep.Encode(),
		Searched: d.searched, MayOverride: staffOf(c).MayOverride(), Lift: d.lift, Moving: d.moving, Find: v.find})
	return s.render(c, status, desk.Book(page))
}

// deskBook holds the chosen time and books it for the caller (or moves the appointment to
// it), audited under the staff member, with the override when the time bends a rule.
func (s *Server) deskBook(c echo.Context) error {
	d, err := s.deskSearch(c)
	if err != nil {
		return err
	}
	f := patientFormOf(c)
	o := booking.Override{Rules: d.lift, Reason: c.FormValue("override_reason"), Note: c.FormValue("override_note")}
	var person booking.Patient
	fe := booking.FieldErrors{}
	if d.moving == nil {
		person, fe = f.Validate(s.svc.Today())
	}
	ref := c.FormValue("slot")
	slotKey, ok := s.refs.key(ref)
	if !ok {
		fe["slot"] = booking.MsgSlotUnknown
	}
	key := c.FormValue("key")
	if !s.checkKey(c, key) {
		return booking.Invalid("key", booking.MsgPageExpired)
	}
	if len(fe) > 0 {
		return s.renderDeskBook(c, http.StatusUnprocessableEntity, d, deskScreen{chosen: ref, form: f, override: o, errors: fe})
	}
	ctx := c.Request().Context()
	if _, _, err := s.svc.Hold(ctx, sessionID(c), d.prefs, slotKey, d.lift...); err != nil {
		if code := booking.ErrorCode(err); code == booking.CodeSlotTaken || code == booking.CodeInvalid {
			fe["slot"] = booking.MsgOf(err)
			return s.renderDeskBook(c, http.StatusConflict, d, deskScreen{form: f, override: o, errors: fe})
		}
		return err
	}
	st := staffOf(c)
	by := s.actor(c)
	by.Kind, by.Session = "staff", "staff:"+strconv.FormatInt(st.ID, 10)
	var a booking.Appointment
	if d.moving != nil {
		a, err = s.svc.Reschedule(ctx, booking.RescheduleRequest{Key: key, SessionID: sessionID(c), Old: d.moving.VisitNumber,
			Actor: by, ByStaff: true, Override: &o})
	} else {
		vt, _ := s.clinic.VisitType(d.prefs.VisitType)
		a, err = s.svc.Confirm(ctx, booking.ConfirmRequest{By: &by, Override: &o, Key: key, SessionID: sessionID(c), Patient: person, VisitType: vt})
	}
	if field := booking.FieldOf(err); field == "override_reason" || field == "override_note" || booking.MsgOf(err) == booking.MsgOverrideNeeded {
		fe[cmp.Or(field, "override_reason")] = booking.MsgOf(err)
		return s.renderDeskBook(c, http.StatusUnprocessableEntity, d, deskScreen{chosen: ref, form: f, override: o, errors: fe})
	}
	if err != nil {
		return err
	}
	notice := "booked"
	if d.moving != nil {
		notice = "moved"
	} else {
		s.metrics.booked(string(a.Status))
	}
	s.log.InfoContext(ctx, "booked by the desk", "request_id", requestID(c), "visit_number", a.VisitNumber, "staff_id", st.ID,
		"replaces", a.Replaces, "override", !a.Override.IsZero())
	return redirect(c, pathDesk+"/visit/"+url.PathEscape(a.VisitNumber)+"?"+notice+"=1")
}

// patientFormOf is the patient's details as the form posted them.
func patientFormOf(c echo.Context) booking.PatientForm {
	return booking.PatientForm{
		FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), DOB: c.FormValue("dob"),
		DOBYear: c.FormValue("dob_year"), DOBMonth: c.FormValue("dob_month"), DOBDay: c.FormValue("dob_day"),
		Phone: c.FormValue("phone"), Email: c.FormValue("email"), Language: c.FormValue("language"), MRN: c.FormValue("mrn"),
	}
}

// deskFind looks for a returning patient by last name and date of birth (a POST: the name and
// birth date stay out of URLs and logs) and shows the booking screen with who was found.
func (s *Server) deskFind(c echo.Context) error {
	d, err := s.deskSearch(c)
	if err != nil {
		return err
	}
	q := booking.PatientQuery{Last: c.FormValue("find_last"), First: c.FormValue("find_first"), DOB: c.FormValue("find_dob")}
	v := deskScreen{find: desk.FindOf{Query: q, Asked: true}}
	if _, fe := q.Validate(); len(fe) > 0 {
		v.find.Errors = fe
		return s.renderDeskBook(c, http.StatusUnprocessableEntity, d, v)
	}
	if v.find.Found, err = s.svc.ReturningPatients(c.Request().Context(), q); err != nil {
		return err
	}
	return s.renderDeskBook(c, http.StatusOK, d, v)
}

// deskUse shows the booking screen with a returning patient's details filled in.
func (s *Server) deskUse(c echo.Context) error {
	d, err := s.deskSearch(c)
	if err != nil {
		return err
	}
	return s.renderDeskBook(c, http.StatusOK, d, deskScreen{form: patientFormOf(c)})
}

// firstSelfBook is the visit type the booking screen starts on.
func (s *Server) firstSelfBook() string {
	for _, vt := range s.clinic.VisitTypes {
		if vt.SelfBook {
			return vt.Code
		}
	}
	return s.clinic.VisitTypes[0].Code
}
