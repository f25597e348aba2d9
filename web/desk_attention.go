package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/desk"
)

// The desk's "Needs attention": what Doorway could not finish by itself (booking.Attention),
// with a form per action. Every retry and resolution comes back to the list: with a notice
// (303), or re-rendered with what kept it from being done.

const pathDeskAttention = "/desk/attention"

// showAttention is the list; ?done= names the notice of the action just done.
func (s *Server) showAttention(c echo.Context) error {
	notice := s.messages(c).Desk.Attention.Notices[c.QueryParam("done")]
	return s.renderAttention(c, http.StatusOK, notice, "", nil)
}

// renderAttention renders the list with a notice, a problem, or a refused note.
func (s *Server) renderAttention(c echo.Context, status int, notice, problem string, refused *desk.RefusedNote) error {
	items, err := s.svc.Attention(c.Request().Context())
	if err != nil {
		return err
	}
	p := desk.NewAttentionPage(s.deskPage(c, "attention"), s.messages(c), s.clinic, items, notice, problem, refused)
	return s.render(c, status, desk.Attention(p))
}

// retryAttention sends an item's message again, at once, and says what came of it.
func (s *Server) retryAttention(c echo.Context) error {
	outcome, err := s.svc.RetryAttention(c.Request().Context(), c.Param("id"), s.staffActor(c))
	if err != nil {
		return s.attentionProblem(c, err)
	}
	return redirect(c, pathDeskAttention+"?done="+string(outcome))
}

// resolveAttention marks an item resolved with the staff member's note.
func (s *Server) resolveAttention(c echo.Context) error {
	err := s.svc.ResolveAttention(c.Request().Context(), booking.ResolveRequest{ID: c.Param("id"), Note: c.FormValue("note"),
		StaffID: staffOf(c).ID, Actor: s.staffActor(c)})
	if booking.FieldOf(err) == "note" {
		msg := s.messages(c).Problem(booking.MsgOf(err), http.StatusUnprocessableEntity)
		return s.renderAttention(c, http.StatusUnprocessableEntity, "", "",
			&desk.RefusedNote{Item: c.Param("id"), Value: c.FormValue("note"), Error: msg})
	}
	if err != nil {
		return s.attentionProblem(c, err)
	}
	return redirect(c, pathDeskAttention+"?done=resolved")
}

// attentionProblem answers what the list itself explains (the item went meanwhile, cannot
// go again, is being sent, lost its time) with the list and the reason; anything else goes to
// the error handler.
func (s *Server) attentionProblem(c echo.Context, err error) error {
	switch booking.MsgOf(err) {
	case booking.MsgAttentionGone, booking.MsgCannotRetry, booking.MsgRetryBusy, booking.MsgRetryTimeTaken:
		status := statusOf[booking.ErrorCode(err)]
		return s.renderAttention(c, status, "", s.messages(c).Problem(booking.MsgOf(err), status), nil)
	}
	return err
}

// staffActor is the signed-in staff member as the audit log names them.
func (s *Server) staffActor(c echo.Context) booking.Actor {
	by := s.actor(c)
	by.Kind, by.Session = "staff", "staff:"+strconv.FormatInt(staffOf(c).ID, 10)
	return by
}
