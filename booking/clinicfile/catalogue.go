package clinicfile

import (
	"fmt"
	"strings"
	"time"

	"doorway/booking"
)

// MaxDoubleBookMinutes bounds the visit types a clinic file may mark double_book: a
// double-book squeezes a short visit in beside another; a long one doubled is a second clinic
// session, which the templates should say instead.
const MaxDoubleBookMinutes = 30

// validateCatalogue checks the booking catalogue's own rules and cross references (every id
// unique, every reference known, every zone loadable), then prepares it for the service.
func validateCatalogue(c *booking.Clinic) error {
	if strings.TrimSpace(c.Name) == "" {
		return problemf("name", "clinic name is required")
	}
	if len(c.Locations) == 0 {
		return problemf("locations", "at least one location is required")
	}
	locs, err := validateLocations(c.Locations)
	if err != nil {
		return err
	}
	provs := map[string]bool{}
	for i, p := range c.Providers {
		f := fmt.Sprintf("providers[%d]", i)
		switch {
		case p.ID == "":
			return problemf(f+".id", "provider id is required")
		case provs[p.ID]:
			return problemf(f+".id", "duplicate provider id %q", p.ID)
		case len(p.Locations) == 0:
			return problemf(f+".locations", "provider %s works at no location", p.ID)
		}
		provs[p.ID] = true
		for j, l := range p.Locations {
			if !locs[l] {
				return problemf(fmt.Sprintf("%s.locations[%d]", f, j), "unknown location %q", l)
			}
		}
	}
	vts, err := validateVisitTypes(c.VisitTypes, provs)
	if err != nil {
		return err
	}
	if err := validateReasons(c.Reasons, vts); err != nil {
		return err
	}
	return c.Prepare()
}

func validateLocations(ls []booking.Location) (map[string]bool, error) {
	locs := map[string]bool{}
	for i, l := range ls {
		f := fmt.Sprintf("locations[%d]", i)
		switch {
		case l.ID == "":
			return nil, problemf(f+".id", "location id is required")
		case locs[l.ID]:
			return nil, problemf(f+".id", "duplicate location id %q", l.ID)
		case l.Department == "":
			return nil, problemf(f+".department", "department is required (Redox Visit.Location.Department)")
		case l.TimeZone == "":
			return nil, problemf(f+".time_zone", "IANA time zone is required")
		}
		if _, err := time.LoadLocation(l.TimeZone); err != nil {
			return nil, problemf(f+".time_zone", "unknown time zone %q", l.TimeZone)
		}
		locs[l.ID] = true
	}
	return locs, nil
}

func validateVisitTypes(vs []booking.VisitType, provs map[string]bool) (map[string]bool, error) {
	vts := map[string]bool{}
	for i, v := range vs {
		f := fmt.Sprintf("visit_types[%d]", i)
		switch {
		case v.Code == "":
			return nil, problemf(f+".code", "visit type code is required")
		case vts[v.Code]:
			return nil, problemf(f+".code", "duplicate visit type code %q", v.Code)
		case v.Name.String() == "":
			return nil, problemf(f+".description", "a description (the visit type's name) is required")
		case v.Minutes <= 0 || v.Minutes > 480:
			return nil, problemf(f+".minutes", "minutes must be between 1 and 480")
		case v.DoubleBook && v.Minutes > MaxDoubleBookMinutes:
			return nil, problemf(f+".double_book", "a visit of %d minutes cannot be double-booked: at most %d (a short visit beside another)",
				v.Minutes, MaxDoubleBookMinutes)
		case v.WalkIn && !v.SelfBook:
			return nil, problemf(f+".walk_in", "a walk-in visit type must be self-bookable (self_book: true): the kiosk books it")
		}
		switch v.Patients {
		case booking.PatientsAny, booking.PatientsNew, booking.PatientsEstablished, "":
		default:
			return nil, problemf(f+".patients", "patients must be any, new or established")
		}
		for j, p := range v.Providers {
			if !provs[p] {
				return nil, problemf(fmt.Sprintf("%s.providers[%d]", f, j), "unknown provider %q", p)
			}
		}
		vts[v.Code] = true
	}
	return vts, nil
}

func validateReasons(rs []booking.Reason, vts map[string]bool) error {
	reasons := map[string]bool{}
	for i, r := range rs {
		f := fmt.Sprintf("reasons[%d]", i)
		switch {
		case r.ID == "" || r.Label.String() == "":
			return problemf(f, "reason id and label are required")
		case r.ID == booking.ReasonOther:
			return problemf(f+".id", "reason id %q is reserved for the typed reason", r.ID)
		case reasons[r.ID]:
			return problemf(f+".id", "duplicate reason id %q", r.ID)
		case !r.RedFlag && len(r.VisitTypes) == 0:
			return problemf(f+".visit_types", "reason %q maps to no visit type", r.ID)
		}
		reasons[r.ID] = true
		for j, v := range r.VisitTypes {
			if !vts[v] {
				return problemf(fmt.Sprintf("%s.visit_types[%d]", f, j), "unknown visit type %q", v)
			}
		}
	}
	return nil
}
