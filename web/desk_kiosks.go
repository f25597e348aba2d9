package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/desk"
)

// The admin's kiosks: create one (a name and its location) and see its one-time enrollment
// code once; issue a new code (a replaced tablet); revoke one. Each is audited under the
// admin.

const pathDeskKiosks = "/desk/kiosks"

// showKiosks is the list of kiosks.
func (s *Server) showKiosks(c echo.Context) error {
	return s.renderKiosks(c, http.StatusOK, "", "", nil)
}

// renderKiosks renders the list, with a code just issued or the new kiosk's form errors.
func (s *Server) renderKiosks(c echo.Context, status int, issued, name string, fe booking.FieldErrors) error {
	kiosks, err := s.svc.Kiosks(c.Request().Context())
	if err != nil {
		return err
	}
	p := desk.NewKiosksPage(s.deskPage(c, "kiosks"), s.messages(c), s.clinic, kiosks, s.svc.Now(), issued, name, fe)
	return s.render(c, status, desk.Kiosks(p))
}

// createKiosk creates a kiosk and shows its code, this once (the page is not stored: a
// refresh asks to post again rather than showing the code from a cache).
func (s *Server) createKiosk(c echo.Context) error {
	name := c.FormValue("name")
	k, code, err := s.svc.CreateKiosk(c.Request().Context(), name, c.FormValue("location"), s.staffActor(c))
	if booking.ErrorCode(err) == booking.CodeInvalid {
		return s.renderKiosks(c, http.StatusUnprocessableEntity, "", name, booking.FieldErrors{booking.FieldOf(err): booking.MsgOf(err)})
	}
	if err != nil {
		return err
	}
	return s.renderKiosks(c, http.StatusOK, s.issued(c, k, code), "", nil)
}

// newKioskCode issues a new enrollment code for a kiosk and shows it once.
func (s *Server) newKioskCode(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return booking.Fail(booking.CodeNotFound, booking.MsgKioskGone)
	}
	k, code, err := s.svc.NewEnrollmentCode(c.Request().Context(), id, s.staffActor(c))
	if err != nil {
		return err
	}
	return s.renderKiosks(c, http.StatusOK, s.issued(c, k, code), "", nil)
}

// revokeKiosk revokes a kiosk: its tablet shows the enrollment form at its next request.
func (s *Server) revokeKiosk(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return booking.Fail(booking.CodeNotFound, booking.MsgKioskGone)
	}
	if err := s.svc.RevokeKiosk(c.Request().Context(), id, s.staffActor(c)); err != nil {
		return err
	}
	return redirect(c, pathDeskKiosks)
}

// issued is the sentence naming a code just issued and until when it works.
func (s *Server) issued(c echo.Context, k booking.Kiosk, code string) string {
	m := s.messages(c)
	until := k.CodeExpires.In(s.clinic.Home().Zone())
	return m.Kiosk.CodeOnce(k.Name, code, m.Format.ShortDay(until)+" "+m.Format.Clock(until))
}
