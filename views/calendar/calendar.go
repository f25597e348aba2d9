// Package calendar writes an appointment as an iCalendar file (RFC 5545): the one the
// confirmation and manage pages offer for download and the one every email carries. Both
// describe the same calendar event: every visit of one chain of moves shares the event's UID
// (the first visit's), and each change raises its SEQUENCE, so a calendar that took the first
// file updates its entry with each later one (RFC 5546: a REQUEST with a higher SEQUENCE
// replaces, a CANCEL removes).
package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"doorway/booking"
	"doorway/views/i18n"
	"doorway/views/pages/patient"
)

// Methods (RFC 5546): a download publishes; an email invites (REQUEST) or cancels.
const (
	Publish = "PUBLISH"
	Request = "REQUEST"
	Cancel  = "CANCEL"
)

// Event is which calendar event a file describes, and how it changes it.
type Event struct {
	UID      string // "<first visit of the chain>@doorway"
	Sequence int    // 0 when booked; one more for each move, and for the cancel
	Method   string // Publish, Request or Cancel
	// Organizer is the address the clinic's emails come from, and Attendee the patient's:
	// an iTIP REQUEST or CANCEL names both (RFC 5546 §3.2); a download names neither.
	Organizer, OrganizerName, Attendee string
}

// EventOf is the event of a, whose chain of moves is l, sent with method (a canceled or
// failed appointment's file cancels the event whatever method is asked for).
func EventOf(l booking.Lineage, a booking.Appointment, method string) Event {
	e := Event{UID: l.First + "@doorway", Sequence: l.Moves, Method: method}
	if a.Status == booking.StatusCanceled || a.Status == booking.StatusFailed {
		e.Sequence, e.Method = l.Moves+1, Cancel
	}
	return e
}

// File renders a as an RFC 5545 VCALENDAR with one VEVENT in the location's own zone
// (DTSTART;TZID=America/Chicago), with a VTIMEZONE describing that zone's offsets for the
// year, so calendars show the right local time whatever their own zone. Its words are in m's
// language. The summary names only the visit type and the clinic: nothing about the patient.
func File(m *i18n.Messages, c *booking.Clinic, a booking.Appointment, e Event, now time.Time) []byte {
	loc := c.LocationOf(a.Location)
	zone := loc.Zone()
	prov, _ := c.Provider(a.Provider.ID)
	status := "CONFIRMED"
	switch {
	case e.Method == Cancel:
		status = "CANCELLED"
	case a.Status == booking.StatusRequested:
		status = "TENTATIVE"
	}
	desc := m.Calendar.Description(a.VisitNumber, prov.DisplayName(), loc.Phone)
	for _, in := range patient.Instructions(m, c, a) {
		desc += "\n" + in
	}
	var b icsWriter
	b.line("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Doorway//Booking//"+strings.ToUpper(m.Lang), "CALSCALE:GREGORIAN", "METHOD:"+e.Method)
	writeTimezone(&b, zone, a.Start)
	b.line("BEGIN:VEVENT",
		"UID:"+escapeText(e.UID),
		"SEQUENCE:"+strconv.Itoa(e.Sequence),
		"DTSTAMP:"+now.UTC().Format("20060102T150405Z"),
		"DTSTART;TZID="+zone.String()+":"+a.Start.In(zone).Format("20060102T150405"),
		"DTEND;TZID="+zone.String()+":"+a.End().In(zone).Format("20060102T150405"),
		"SUMMARY;LANGUAGE="+m.Lang+":"+escapeText(m.Calendar.Summary(patient.VisitTypeName(m, c, a.VisitType), c.Name)),
		"LOCATION:"+escapeText(loc.Name+", "+loc.Address.OneLine()),
		"DESCRIPTION;LANGUAGE="+m.Lang+":"+escapeText(desc),
		"STATUS:"+status)
	if e.Organizer != "" && e.Method != Publish {
		b.line("ORGANIZER;CN=" + paramText(e.OrganizerName) + ":mailto:" + e.Organizer)
		if e.Attendee != "" {
			b.line("ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:" + e.Attendee)
		}
	}
	b.line("END:VEVENT", "END:VCALENDAR")
	return []byte(b.String())
}

// paramText quotes a parameter value (RFC 5545 §3.2): no double quotes or controls inside.
func paramText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '"' || r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, s)
	return `"` + s + `"`
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
