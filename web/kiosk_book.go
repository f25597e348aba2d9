package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/kiosk"
)

// A walk-in's booking on the kiosk. The first screen offers the next open times today at the
// kiosk's location for the walk-in visit types; a time tapped there is held and the person is
// asked what brings them in (the reasons of that visit type, or their own words: triaged, so a
// red flag still stops the flow). Or they choose the reason first (triaged: a red flag stops
// here and sends the person to the front desk), the visit type when more than one fits, the
// open times at the kiosk's location (today's, else the soonest other day's), the details and
// the booking in one screen, then the done screen with the slip. The same booking.Service as the patient's
// pages and the desk's, its rules and its holds; the answers live in the walk-in's
// 90-second session (a Wizard, as the patient's pages keep theirs).

const (
	pathKioskNext      = pathKiosk + "/next"
	pathKioskReason    = pathKiosk + "/reason"
	pathKioskVisitType = pathKiosk + "/visit-type"
	pathKioskTimes     = pathKiosk + "/times"
	pathKioskDetails   = pathKiosk + "/details"
	pathKioskUrgent    = pathKiosk + "/urgent"
	pathKioskDone      = pathKiosk + "/done"
	pathKioskReset     = pathKiosk + "/reset"
	pathKioskHere      = pathKiosk + "/here"
)

// chooseKioskReason records the reason, or stops at the urgent advice.
func (s *Server) chooseKioskReason(c echo.Context) error {
	w := wizard(c)
	id, typed := c.FormValue("reason"), strings.TrimSpace(c.FormValue("other"))
	choice, fe := s.clinic.ChooseReason(id, typed)
	if len(fe) > 0 {
		p := kiosk.NewStartPage(s.kioskPage(c, kiosk.ResetAfter), s.messages(c), s.clinic, pickedType(w), typed, fe)
		return s.render(c, http.StatusUnprocessableEntity, kiosk.Start(p))
	}
	if choice.Urgency.Stop() {
		// At the clinic, any sign of an emergency (even a doubtful one) goes to the desk:
		// nothing is booked for it, and nothing of it is kept.
		if err := s.setPrefs(c, w, booking.Preferences{}); err != nil {
			return err
		}
		w.Urgent, w.Pending = choice.Urgency, nil
		if err := s.save(c, w); err != nil {
			return err
		}
		return redirect(c, pathKioskUrgent)
	}
	w.Urgent = booking.Urgency{}
	if pickedType(w) != "" {
		// A time tapped on the first screen: kept when the reason fits its visit type.
		if prefs, kept := w.Prefs.WithReasonForVisit(s.clinic, choice); kept {
			w.Prefs = prefs
			if err := s.save(c, w); err != nil {
				return err
			}
			return redirect(c, pathKioskDetails)
		}
	}
	prefs := w.Prefs.WithReason(s.clinic, choice)
	prefs.Locations = []string{kioskOf(c).Location}
	prefs.From, prefs.To = "", ""
	if err := s.setPrefs(c, w, prefs.WithDefaultDates(s.svc.Today())); err != nil {
		return err
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	if w.Prefs.VisitType == "" {
		return redirect(c, pathKioskVisitType)
	}
	return redirect(c, pathKioskTimes)
}

// showKioskUrgent tells the person to get help now and to tell the front desk.
func (s *Server) showKioskUrgent(c echo.Context) error {
	w := wizard(c)
	if !w.Urgent.Stop() {
		return redirect(c, pathKiosk)
	}
	p := kiosk.UrgentPage{Page: s.kioskPage(c, kiosk.ResetAfter), Crisis: w.Urgent.Crisis}
	if r, ok := s.clinic.Reason(w.Urgent.RedFlag); ok {
		p.Advice = r.Urgent.In(s.messages(c).Lang)
	}
	return s.render(c, http.StatusOK, kiosk.Urgent(p))
}

// showKioskVisitType asks the kind of visit among those that fit the reason.
func (s *Server) showKioskVisitType(c echo.Context) error {
	w := wizard(c)
	if !w.Prefs.HasReason() {
		return redirect(c, pathKiosk)
	}
	p := kiosk.NewVisitTypePage(s.kioskPage(c, kiosk.ResetAfter), s.messages(c), s.clinic.VisitTypesFor(w.Prefs.ReasonID, booking.SeenUnasked))
	return s.render(c, http.StatusOK, kiosk.VisitType(p))
}

// chooseKioskVisitType records the kind of visit.
func (s *Server) chooseKioskVisitType(c echo.Context) error {
	w := wizard(c)
	if !w.Prefs.HasReason() {
		return redirect(c, pathKiosk)
	}
	code := c.FormValue("visit_type")
	fits := s.clinic.VisitTypesFor(w.Prefs.ReasonID, booking.SeenUnasked)
	if !slices.ContainsFunc(fits, func(v booking.VisitType) bool { return v.Code == code }) {
		return booking.Invalid("visit_type", booking.MsgVisitTypeUnknown)
	}
	if err := s.setPrefs(c, w, w.Prefs.WithVisitType(s.clinic, code)); err != nil {
		return err
	}
	if err := s.save(c, w); err != nil {
		return err
	}
	return redirect(c, pathKioskTimes)
}

// showKioskTimes is the open times at the kiosk's location, the soonest first.
func (s *Server) showKioskTimes(c echo.Context) error {
	w := wizard(c)
	switch {
	case !w.Prefs.HasReason():
		return redirect(c, pathKiosk)
	case w.Prefs.VisitType == "":
		return redirect(c, pathKioskVisitType)
	}
	res, err := s.svc.Search(c.Request().Context(), w.Prefs, sessionID(c))
	if err != nil {
		return err
	}
	notice, err := s.kioskNotice(c, w)
	if err != nil {
		return err
	}
	slots, today := s.clinic.SoonestTimes(res.Slots, s.svc.Today(), kiosk.MaxTimes)
	p := kiosk.NewTimesPage(s.kioskPage(c, kiosk.ResetAfter), s.messages(c), s.clinic, slots, today, s.svc.Today(), s.refs.ref, notice)
	return s.render(c, http.StatusOK, kiosk.Times(p))
}

// holdKioskTime holds the picked time (the cap on holds counts per kiosk) and asks who the
// visit is for; a time just taken brings the times back with a notice.
func (s *Server) holdKioskTime(c echo.Context) error {
	w := wizard(c)
	if !w.Prefs.HasReason() || w.Prefs.VisitType == "" {
		return redirect(c, pathKiosk)
	}
	if err := s.holdKiosk(c, w); err != nil {
		return err
	}
	if w.Held == nil {
		return redirect(c, pathKioskTimes)
	}
	return redirect(c, pathKioskDetails)
}

// holdKiosk holds the time the form names for w's preferences (the cap on holds counts per
// kiosk) and saves the session: w.Held is the held time, or nil with a notice when the time
// was just taken.
func (s *Server) holdKiosk(c echo.Context, w *Wizard) error {
	key, ok := s.refs.key(c.FormValue("slot"))
	if !ok {
		return booking.Invalid("slot", booking.MsgSlotUnknown)
	}
	h, _, err := s.svc.Hold(c.Request().Context(), sessionID(c), w.Prefs, key)
	switch {
	case booking.ErrorCode(err) == booking.CodeSlotTaken:
		if w.Held != nil { // an earlier time is let go too: the person is choosing again
			if err := s.svc.ReleaseHold(c.Request().Context(), sessionID(c)); err != nil {
				return err
			}
		}
		w.Held, w.Notice = nil, booking.MsgSlotGone
	case err != nil:
		return err
	default:
		w.Held, w.Notice = &h.Slot, ""
	}
	return s.save(c, w)
}

// showKioskDetails asks who the visit is for, while the time is held.
func (s *Server) showKioskDetails(c echo.Context) error {
	return s.renderKioskDetails(c, http.StatusOK, wizard(c), booking.PatientForm{}, nil)
}

// renderKioskDetails renders the details screen with what was typed and its errors, or
// goes back to the times when the hold has ended.
func (s *Server) renderKioskDetails(c echo.Context, status int, w *Wizard, f booking.PatientForm, fe booking.FieldErrors) error {
	if pickedType(w) != "" {
		return redirect(c, pathKioskReason) // no booking before the reason is triaged
	}
	if w.Held == nil {
		return redirect(c, pathKioskTimes)
	}
	h, live, err := s.currentHold(c, w)
	if err != nil || !live {
		if err == nil {
			return redirect(c, pathKioskTimes)
		}
		return err
	}
	p := kiosk.NewDetailsPage(s.kioskPage(c, kiosk.ResetAfter), s.messages(c), s.clinic, h, s.svc.Now(), s.confirmKey(c), f, fe)
	return s.render(c, status, kiosk.Details(p))
}

// bookKiosk checks the details and books the held time, under the kiosk's name; the
// session then keeps only the visit number, for the done screen.
func (s *Server) bookKiosk(c echo.Context) error {
	w := wizard(c)
	if pickedType(w) != "" {
		return redirect(c, pathKioskReason) // no booking before the reason is triaged
	}
	key := c.FormValue("key")
	if !s.checkKey(c, key) {
		return booking.Invalid("key", booking.MsgPageExpired)
	}
	f := patientFormOf(c)
	person, fe := f.ValidateWalkIn(s.svc.Today())
	if len(fe) > 0 {
		return s.renderKioskDetails(c, http.StatusUnprocessableEntity, w, f, fe)
	}
	by := s.kioskActor(c)
	req := booking.ConfirmRequest{By: &by, Kiosk: kioskOf(c).Name, Key: key, SessionID: sessionID(c), Patient: person,
		Reason: w.Prefs.ReasonWords(s.clinic), ReasonID: w.Prefs.ReasonID}
	req.VisitType, _ = s.clinic.VisitType(w.Prefs.VisitType)
	if w.Held == nil {
		req.SessionID = "" // a replay of a booking made already: only its key finds it
	}
	a, err := s.svc.Confirm(c.Request().Context(), req)
	if err != nil {
		return err
	}
	*w = Wizard{Booked: []string{a.VisitNumber}} // nothing of this person but the visit to show
	sess := session(c)
	sess.Values[wizardKey] = *w
	if err := s.sessions.Rotate(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	s.metrics.booked(string(a.Status))
	s.log.InfoContext(c.Request().Context(), "booked on a kiosk", "request_id", requestID(c), "visit_number", a.VisitNumber,
		"kiosk_id", kioskOf(c).ID, "status", a.Status)
	return redirect(c, pathKioskDone+"/"+url.PathEscape(a.VisitNumber))
}

// showKioskDone is the done screen and its slip, for the visit this session just booked.
func (s *Server) showKioskDone(c echo.Context) error {
	vn := c.Param("visit")
	if !slices.Contains(wizard(c).Booked, vn) {
		return booking.Fail(booking.CodeNotFound, booking.MsgBookedElsewhere)
	}
	a, err := s.svc.Appointment(c.Request().Context(), vn)
	if err != nil {
		return err
	}
	p, err := kiosk.NewDonePage(s.kioskPage(c, kiosk.DoneAfter), s.messages(c), s.clinic, a, s.manageURL(c, a.VisitNumber))
	if err != nil {
		return err
	}
	// Without script the browser still leaves the slip (its QR code opens the appointment)
	// for the start a little after the script would have: nobody else's finger should find it.
	c.Response().Header().Set("Refresh", strconv.Itoa(kiosk.DoneAfter+5)+"; url="+pathKiosk)
	return s.render(c, http.StatusOK, kiosk.Done(p))
}

// manageURL is the signed manage link of visit as a full address, for the slip's QR code:
// the configured public origin, else the one this request came to.
func (s *Server) manageURL(c echo.Context, visit string) string {
	origin := strings.TrimSuffix(s.cfg.BaseURL, "/")
	if origin == "" {
		origin = c.Scheme() + "://" + c.Request().Host
	}
	return origin + s.links.Path(visit)
}

// resetKiosk starts over: the held time is let go, the session deleted (its cookie too), and
// the browser sent to the start.
func (s *Server) resetKiosk(c echo.Context) error {
	if err := s.svc.ReleaseHold(c.Request().Context(), sessionID(c)); err != nil {
		return err
	}
	sess := session(c)
	clear(sess.Values) // the language too: the next person chooses their own
	sess.Options.MaxAge = -1
	if err := s.sessions.Save(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	return redirect(c, pathKiosk)
}

// kioskStillHere answers the idle warning's Continue: the request itself (requireKiosk) restarted
// the session's 90 seconds.
func (s *Server) kioskStillHere(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
