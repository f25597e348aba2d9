package redox

import (
	"strings"

	"doorway/booking"
)

// patientOut returns nil for a hold or block (no identifier, no name): Redox sends those
// without Patient. Demographics carry only what Doorway collects, never SSN.
func patientOut(p booking.Patient) *Patient {
	ids := identifiersOut(p.Identifiers)
	if ids == nil && p.FirstName == "" && p.LastName == "" {
		return nil
	}
	d := Demographics{FirstName: p.FirstName, LastName: p.LastName, DOB: p.DOB, Sex: p.Sex,
		PhoneNumber: Phone{Mobile: p.Phone}, Language: p.Language}
	if p.Email != "" {
		d.EmailAddresses = []string{p.Email}
	}
	return &Patient{Identifiers: ids, Demographics: d}
}

// patientIn reads a patient. Doorway keeps one phone: mobile first (it texts reminders),
// then home, then office, since Dev Tools patients have only a home number.
func patientIn(p *Patient) booking.Patient {
	d := p.Demographics
	out := booking.Patient{Identifiers: identifiersIn(p.Identifiers), FirstName: d.FirstName, LastName: d.LastName,
		DOB: d.DOB, Sex: d.Sex, Language: d.Language}
	for _, ph := range []string{d.PhoneNumber.Mobile, d.PhoneNumber.Home, d.PhoneNumber.Office} {
		if ph != "" {
			out.Phone = ph
			break
		}
	}
	// EmailAddresses is loosely typed (see TextList): skip entries that cannot be an address.
	for _, e := range d.EmailAddresses {
		if strings.Contains(e, "@") {
			out.Email = e
			break
		}
	}
	return out
}

// statusOut is the Visit.Status text Doorway sends, in the vocabulary REDOX-SCHEDULING §5
// recommends. A requested appointment is sent as Scheduled: New asks the EHR to schedule it.
func statusOut(s booking.Status) string {
	switch s {
	case booking.StatusCanceled:
		return "Canceled"
	case booking.StatusNoShow:
		return "NoShow"
	case booking.StatusArrived:
		return "Arrived"
	case booking.StatusFailed:
		return ""
	default:
		return "Scheduled"
	}
}

// statusIn maps the EHR's free-text Visit.Status, case- and punctuation-insensitively.
// Redox defines no vocabulary, so unknown or empty text means the visit simply exists.
func statusIn(text string) booking.Status {
	norm := strings.NewReplacer(" ", "", "-", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(text)))
	switch norm {
	case "canceled", "cancelled", "cancel":
		return booking.StatusCanceled
	case "noshow", "noshowed":
		return booking.StatusNoShow
	case "arrived", "checkedin", "completed", "complete", "comp":
		return booking.StatusArrived
	}
	return booking.StatusBooked
}
