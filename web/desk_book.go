package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/desk"
)

// Booking for a caller: one screen with the search on top and, below, the open times to choose
// from and the patient's details in one form; its POST holds the chosen time and books it
// (the same service, holds and outbox as the patient's flow) and opens the visit: two
// screens in all.

const pathDeskBook = "/desk/book"

// deskSearch reads the search from the query: a visit type (the first when none), a location
// (the staff member's by default), a provider (anyone), a first day (today); a week of times.
func (s *Server) deskSearch(c echo.Context) (booking.Preferences, url.Values, bool) {
	q := c.Request().URL.Query()
	p := booking.Preferences{VisitType: q.Get("visit_type")}
	searched := p.VisitType != ""
	if vt, ok := s.clinic.VisitType(p.VisitType); !ok || !vt.SelfBook {
		p.VisitType, searched = s.firstSelfBook(), false
	}
	loc := q.Get("location")
	if !q.Has("location") {
		loc = staffOf(c).Location
	}
	if _, ok := s.clinic.Location(loc); ok {
		p.Locations = []string{loc}
	}
	if _, ok := s.clinic.Provider(q.Get("provider")); ok {
		p.Providers = []string{q.Get("provider")}
	}
	today := s.svc.Today()
	from, err := time.Parse(time.DateOnly, q.Get("from"))
	if err != nil || from.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)) {
		from = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	}
	p.From, p.To = from.Format(time.DateOnly), from.AddDate(0, 0, 6).Format(time.DateOnly)
	keep := url.Values{"visit_type": {p.VisitType}, "location": {loc}, "provider": {q.Get("provider")}, "from": {p.From}}
	return p, keep, searched
}

// showDeskBook is the booking screen.
func (s *Server) showDeskBook(c echo.Context) error {
	p, keep, searched := s.deskSearch(c)
	return s.renderDeskBook(c, http.StatusOK, p, keep, searched, "", booking.PatientForm{}, nil)
}

// renderDeskBook searches (when asked) and renders the screen with what was chosen and typed.
func (s *Server) renderDeskBook(c echo.Context, status int, p booking.Preferences, keep url.Values, searched bool,
	chosen string, f booking.PatientForm, fe booking.FieldErrors) error {
	var slots []booking.Slot
	if searched {
		res, err := s.svc.Search(c.Request().Context(), p, sessionID(c))
		if err != nil {
			return err
		}
		slots = res.Slots
	}
	page := desk.NewBookPage(s.deskPage(c, "book"), s.messages(c), s.clinic, desk.BookOf{Prefs: p, Slots: slots, Ref: s.refs.ref,
		Chosen: chosen, Form: f, Errors: fe, Key: s.confirmKey(c), Search: keep.Encode(), Searched: searched})
	return s.render(c, status, desk.Book(page))
}

// deskBook holds the chosen time and books it for the caller, audited under the staff member.
func (s *Server) deskBook(c echo.Context) error {
	p, keep, _ := s.deskSearch(c)
	f := booking.PatientForm{
		FirstName: c.FormValue("first_name"), LastName: c.FormValue("last_name"), DOB: c.FormValue("dob"),
		DOBYear: c.FormValue("dob_year"), DOBMonth: c.FormValue("dob_month"), DOBDay: c.FormValue("dob_day"),
		Phone: c.FormValue("phone"), Email: c.FormValue("email"), Language: c.FormValue("language"), MRN: c.FormValue("mrn"),
	}
	person, fe := f.Validate(s.svc.Today())
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
		return s.renderDeskBook(c, http.StatusUnprocessableEntity, p, keep, true, ref, f, fe)
	}
	ctx := c.Request().Context()
	if _, _, err := s.svc.Hold(ctx, sessionID(c), p, slotKey); err != nil {
		if code := booking.ErrorCode(err); code == booking.CodeSlotTaken || code == booking.CodeInvalid {
			fe["slot"] = booking.MsgOf(err)
			return s.renderDeskBook(c, http.StatusConflict, p, keep, true, "", f, fe)
		}
		return err
	}
	vt, _ := s.clinic.VisitType(p.VisitType)
	st := staffOf(c)
	by := s.actor(c)
	by.Kind, by.Session = "staff", "staff:"+strconv.FormatInt(st.ID, 10)
	a, err := s.svc.Confirm(ctx, booking.ConfirmRequest{By: &by, Key: key, SessionID: sessionID(c), Patient: person, VisitType: vt})
	if err != nil {
		return err
	}
	s.metrics.booked(string(a.Status))
	s.log.InfoContext(ctx, "booked by the desk", "request_id", requestID(c), "visit_number", a.VisitNumber, "staff_id", st.ID)
	return redirect(c, pathDesk+"/visit/"+url.PathEscape(a.VisitNumber)+"?booked=1")
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
