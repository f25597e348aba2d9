package web

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz answers while the process is up.
func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// readyz answers 200 when the database, the EHR and (when configured) the SMTP server are
// reachable, 503 otherwise, naming the failed check (not its error text, which stays in the
// log). A patient can book with the SMTP server down (the emails wait in the outbox), but an
// instance that cannot send should not look healthy to whoever watches it.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{}
	status := http.StatusOK
	run := func(name string, check func(context.Context) error) {
		if check == nil {
			return
		}
		if err := check(ctx); err != nil {
			s.log.WarnContext(ctx, "readiness check failed", "check", name, "err", err)
			checks[name], status = "unavailable", http.StatusServiceUnavailable
			return
		}
		checks[name] = "ok"
	}
	if s.db != nil {
		run("database", s.db.PingContext)
	}
	run("ehr", s.cfg.ReadyCheck)
	run("smtp", s.cfg.MailCheck)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(status, map[string]any{"ready": status == http.StatusOK, "checks": checks})
}

// showMetrics writes the Prometheus text exposition.
func (s *Server) showMetrics(c echo.Context) error {
	var buf bytes.Buffer
	s.metrics.write(&buf)
	if s.svc.Emailing() {
		writeEmails(&buf, s.svc.EmailCounts())
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", buf.Bytes())
}
