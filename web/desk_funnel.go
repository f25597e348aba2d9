package web

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/pages/desk"
)

// The admin's booking numbers (issue 12 item 8): the funnel the service counts, by day, by
// reason and by visit type, as a page and as CSV. Counts only: nothing here names a patient.

const pathDeskFunnel = "/desk/funnel"

// funnelFilter reads the page's filter from the query.
func funnelFilter(c echo.Context) booking.FunnelFilter {
	q := c.QueryParams()
	return booking.FunnelFilter{From: q.Get("from"), To: q.Get("to"), Reason: q.Get("reason"), VisitType: q.Get("visit_type"),
		Channel: booking.Channel(q.Get("channel"))}
}

// showFunnel is the numbers page. A filter the service refuses comes back with its message
// beside the field, and no numbers.
func (s *Server) showFunnel(c echo.Context) error {
	f := funnelFilter(c)
	r, err := s.svc.Funnel(c.Request().Context(), f)
	var fe booking.FieldErrors
	status, report := http.StatusOK, &r
	switch {
	case booking.ErrorCode(err) == booking.CodeInvalid:
		fe, status, report = booking.FieldErrors{booking.FieldOf(err): booking.MsgOf(err)}, http.StatusUnprocessableEntity, nil
	case err != nil:
		return err
	}
	p := desk.NewFunnelPage(s.deskPage(c, "funnel"), s.messages(c), s.clinic, f, report, fe)
	return s.render(c, status, desk.Funnel(p))
}

// funnelCSV is the page's numbers as CSV: the days and their total, or with by=reason or
// by=visit_type the groups, under their codes. Percentages have one decimal, and are empty
// when there were no searches.
func (s *Server) funnelCSV(c echo.Context) error {
	r, err := s.svc.Funnel(c.Request().Context(), funnelFilter(c))
	if err != nil {
		return err
	}
	first, rows := "day", make([]booking.FunnelGroup, 0, len(r.Days)+1)
	switch c.QueryParam("by") {
	case "reason":
		first, rows = "reason", r.Reasons
	case "visit_type":
		first, rows = "visit_type", r.VisitTypes
	default:
		for _, d := range r.Days {
			rows = append(rows, booking.FunnelGroup{Code: d.Day, FunnelRow: d.FunnelRow})
		}
		rows = append(rows, booking.FunnelGroup{Code: "total", FunnelRow: r.Total})
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="funnel-`+r.Filter.From+`-`+r.Filter.To+`.csv"`)
	h.Set(echo.HeaderCacheControl, "no-store")
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	w.Write([]string{first, "searches", "no_fit", "holds", "bookings", "bookings_per_search_pct", "cancellations", "reschedules"})
	for _, g := range rows {
		w.Write([]string{csvSafe(g.Code), itoa(g.Searches), itoa(g.NoFit), itoa(g.Holds), itoa(g.Bookings),
			csvPercent(g.Conversion()), itoa(g.Cancels), itoa(g.Reschedules)})
	}
	w.Flush()
	return w.Error()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// csvPercent is a share with one decimal, or "" when there is none.
func csvPercent(pct float64, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatFloat(pct, 'f', 1, 64)
}
