package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"doorway/booking"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
)

// downloadCalendar serves the appointment as an iCalendar file for "Add to calendar".
func (s *Server) downloadCalendar(c echo.Context) error {
	a, err := s.bookedAppointment(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="appointment.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", s.calendar(s.messages(c), a, s.svc.Now()))
}

// calendar renders a as an RFC 5545 VCALENDAR with one VEVENT in the location's own zone
// (DTSTART;TZID=America/Chicago), with a VTIMEZONE describing that zone's offsets for the
// year, so calendars show the right local time whatever their own zone. Its words are in the
// page's language m. The summary names only the visit type and the clinic: nothing about the
// patient.
func (s *Server) calendar(m *i18n.Messages, a booking.Appointment, now time.Time) []byte {
	loc := s.clinic.LocationOf(a.Location)
	zone := loc.Zone()
	prov, _ := s.clinic.Provider(a.Provider.ID)
	// A canceled visit's file cancels the event it put in the calendar: the same UID, a
	// higher SEQUENCE and METHOD:CANCEL (RFC 5546).
	status, method, sequence := "CONFIRMED", "PUBLISH", "0"
	switch a.Status {
	case booking.StatusRequested:
		status = "TENTATIVE"
	case booking.StatusCanceled, booking.StatusFailed:
		status, method, sequence = "CANCELLED", "CANCEL", "1"
	}
	desc := m.Calendar.Description(a.VisitNumber, prov.DisplayName(), loc.Phone)
	for _, in := range patient.Instructions(m, s.clinic, a) {
		desc += "\n" + in
	}
	var b icsWriter
	b.line("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Doorway//Booking//"+strings.ToUpper(m.Lang), "CALSCALE:GREGORIAN", "METHOD:"+method)
	writeTimezone(&b, zone, a.Start)
	b.line("BEGIN:VEVENT",
		"UID:"+escapeText(a.VisitNumber)+"@doorway",
		"SEQUENCE:"+sequence,
		"DTSTAMP:"+now.UTC().Format("20060102T150405Z"),
		"DTSTART;TZID="+zone.String()+":"+a.Start.In(zone).Format("20060102T150405"),
		"DTEND;TZID="+zone.String()+":"+a.End().In(zone).Format("20060102T150405"),
		"SUMMARY;LANGUAGE="+m.Lang+":"+escapeText(m.Calendar.Summary(patient.VisitTypeName(m, s.clinic, a.VisitType), s.clinic.Name)),
		"LOCATION:"+escapeText(loc.Name+", "+loc.Address.OneLine()),
		"DESCRIPTION;LANGUAGE="+m.Lang+":"+escapeText(desc),
		"STATUS:"+status,
		"END:VEVENT", "END:VCALENDAR")
	return []byte(b.String())
}

// writeTimezone describes zone around at: the offset change before the start of at's year
// and every change during it (none for zones without daylight saving).
func writeTimezone(b *icsWriter, zone *time.Location, at time.Time) {
	b.line("BEGIN:VTIMEZONE", "TZID:"+zone.String())
	yearStart := time.Date(at.In(zone).Year(), 1, 1, 0, 0, 0, 0, zone)
	yearEnd := yearStart.AddDate(1, 0, 0)
	var changes []time.Time
	if start, _ := yearStart.ZoneBounds(); !start.IsZero() {
		changes = append(changes, start)
	}
	for t := yearStart; ; {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(yearEnd) {
			break
		}
		changes = append(changes, end)
		t = end
	}
	if len(changes) == 0 {
		name, off := at.In(zone).Zone()
		b.line("BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:"+offset(off), "TZOFFSETTO:"+offset(off),
			"TZNAME:"+name, "END:STANDARD")
	}
	for _, ch := range changes {
		_, before := ch.Add(-time.Second).In(zone).Zone()
		name, after := ch.In(zone).Zone()
		kind := "STANDARD"
		if ch.In(zone).IsDST() {
			kind = "DAYLIGHT"
		}
		// DTSTART is the local time of the change on the clock being replaced.
		onset := ch.In(time.FixedZone("", before)).Format("20060102T150405")
		b.line("BEGIN:"+kind, "DTSTART:"+onset, "TZOFFSETFROM:"+offset(before), "TZOFFSETTO:"+offset(after),
			"TZNAME:"+name, "END:"+kind)
	}
	b.line("END:VTIMEZONE")
}

// offset formats seconds east of UTC as iCalendar's +hhmm.
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	return fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
}

// escapeText escapes an iCalendar TEXT value.
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// icsWriter writes content lines with CRLF endings, folded at 75 octets without splitting
// a UTF-8 character.
type icsWriter struct{ strings.Builder }

func (b *icsWriter) line(lines ...string) {
	for _, l := range lines {
		for first := true; ; first = false {
			limit := 75
			if !first {
				b.WriteByte(' ')
				limit = 74
			}
			if len(l) <= limit {
				b.WriteString(l + "\r\n")
				break
			}
			cut := limit
			for cut > 0 && !utf8.RuneStart(l[cut]) {
				cut--
			}
			b.WriteString(l[:cut] + "\r\n")
			l = l[cut:]
		}
	}
}
