package web

import (
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/desk"
)

// requireAdmin lets only an admin through (after requireStaff).
func (s *Server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if staffOf(c).Role != booking.RoleAdmin {
			return booking.Fail(booking.CodeForbidden, booking.MsgAdminOnly)
		}
		return next(c)
	}
}

// auditFilter reads the audit view's filter from the query.
func auditFilter(c echo.Context) booking.AuditFilter {
	return booking.AuditFilter{Day: c.QueryParam("day"), Actor: c.QueryParam("staff"),
		VisitNumber: strings.ToUpper(strings.TrimSpace(c.QueryParam("visit"))), Action: c.QueryParam("action")}
}

// showAudit is the admin's view of the audit log.
func (s *Server) showAudit(c echo.Context) error {
	f := auditFilter(c)
	entries, err := s.svc.SearchAudit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	staff, err := s.svc.Staff().ListStaff(c.Request().Context())
	if err != nil {
		return err
	}
	p := desk.NewAuditPage(s.deskPage(c, "audit"), s.messages(c), s.clinic, f, staff, entries)
	return s.render(c, http.StatusOK, desk.Audit(p))
}

// auditCSV is the same rows as CSV: UTC times, action codes, actors as recorded.
func (s *Server) auditCSV(c echo.Context) error {
	entries, err := s.svc.SearchAudit(c.Request().Context(), auditFilter(c))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="audit.csv"`)
	h.Set(echo.HeaderCacheControl, "no-store")
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	w.Write([]string{"at_utc", "action", "actor_kind", "actor", "visit_number", "other_visit", "ip", "user_agent", "detail"})
	for _, e := range entries {
		w.Write([]string{e.At.UTC().Format(time.RFC3339), e.Action, e.Actor.Kind, e.Actor.Session, e.VisitNumber, e.OtherVisit,
			e.Actor.IP, csvSafe(e.Actor.UserAgent), csvSafe(e.Detail)})
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a spreadsheet from reading a client-sent value as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
