package redox

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"doorway/booking"
)

// maxMinutes bounds any duration we accept: no visit, slot or block outlasts the longest
// search window, and the bound keeps float-to-int conversions safe.
var maxMinutes = booking.MaxWindow.Minutes()

// notification checks New, Modification, Reschedule, Cancel and NoShow. Visit.Duration is
// required except on Cancel and NoShow, as in the schemas.
func (c *checker) notification(kind string, m *Message) {
	v := m.Visit
	if v == nil {
		c.add("Visit", "is required")
		return
	}
	needDuration := kind != EventCancel && kind != EventNoShow
	c.visitCore("Visit", v, needDuration)
	if kind == EventReschedule {
		c.timestamp("Visit.OldDateTime", v.OldDateTime)
	}
}

// visitCore checks what every visit needs: number, start, duration, department.
func (c *checker) visitCore(path string, v *Visit, needDuration bool) {
	c.required(path+".VisitNumber", v.VisitNumber)
	if c.required(path+".VisitDateTime", v.VisitDateTime) {
		c.timestamp(path+".VisitDateTime", v.VisitDateTime)
	}
	switch {
	case v.Duration == nil && needDuration:
		c.add(path+".Duration", "is required")
	case v.Duration != nil:
		c.minutes(path+".Duration", float64(*v.Duration), needDuration)
	}
	if v.Location == nil {
		c.add(path+".Location", "is required")
	} else {
		c.required(path+".Location.Department", v.Location.Department)
	}
}

// minutes checks a duration in minutes; positive says whether zero is refused.
func (c *checker) minutes(path string, d float64, positive bool) {
	switch {
	case d < 0 || (positive && d == 0):
		c.add(path, "must be a positive number of minutes, got %v", d)
	case d > maxMinutes:
		c.add(path, "must be at most %v minutes, got %v", maxMinutes, d)
	}
}

// bookedVisits checks a BookedResponse: each visit is a full visit and, unlike
// notifications, must carry Patient.Identifiers with ID and IDType (the schema says so).
func (c *checker) bookedVisits(visits []BookedVisit) {
	if visits == nil {
		c.add("Visits", "is required")
		return
	}
	for i := range visits {
		c.bookedVisit(fmt.Sprintf("Visits[%d]", i), &visits[i])
	}
}

// bookedVisit checks one BookedResponse visit found at path.
func (c *checker) bookedVisit(path string, bv *BookedVisit) {
	c.visitCore(path, &bv.Visit, true)
	for _, f := range []struct{ name, v string }{
		{"LastUpdated", bv.LastUpdated}, {"ScheduledDateTime", bv.ScheduledDateTime}, {"CancelDateTime", bv.CancelDateTime},
	} {
		c.timestamp(path+"."+f.name, f.v)
	}
	switch {
	case bv.Patient == nil:
		c.add(path+".Patient", "is required")
	case bv.Patient.Identifiers == nil:
		c.add(path+".Patient.Identifiers", "is required")
	default:
		for j, id := range bv.Patient.Identifiers {
			p := fmt.Sprintf("%s.Patient.Identifiers[%d]", path, j)
			c.required(p+".ID", id.ID)
			c.required(p+".IDType", id.IDType)
		}
	}
}

// slots checks AvailableSlotsResponse.AvailableSlots or PushSlots.Slots.
func (c *checker) slots(key string, slots []Slot) {
	if slots == nil {
		c.add(key, "is required")
		return
	}
	for i := range slots {
		c.slot(fmt.Sprintf("%s[%d]", key, i), &slots[i])
	}
}

// slot checks one slot found at path.
func (c *checker) slot(path string, s *Slot) {
	if c.required(path+".DateTime", s.DateTime) {
		c.timestamp(path+".DateTime", s.DateTime)
	}
	if s.Duration == 0 {
		c.add(path+".Duration", "is required")
	} else {
		c.minutes(path+".Duration", float64(s.Duration), true)
	}
}

// preferences checks the seed's VisitPreference vocabulary (REDOX-SCHEDULING §S).
func (c *checker) preferences(prefs []VisitPreference) {
	for i, p := range prefs {
		path := fmt.Sprintf("Visit.VisitPreference[%d]", i)
		if _, ok := unitMinutes(p.DurationUnit); !ok {
			c.add(path+".DurationUnit", "must be minutes or hours, got %q", p.DurationUnit)
		} else if _, err := preferenceMinutes(p); err != nil {
			c.add(path+".Duration", "%v", err)
		}
		for j, d := range p.Day {
			if _, ok := booking.ParseWeekday(d); !ok {
				c.add(fmt.Sprintf("%s.Day[%d]", path, j), "must be a day of the week (Monday or Mon), got %q", d)
			}
		}
		for j, t := range p.Time {
			if _, ok := booking.ParseBand(t); !ok {
				c.add(fmt.Sprintf("%s.Time[%d]", path, j), "must be Morning, Afternoon or Evening, got %q", t)
			}
		}
	}
}

// unitMinutes maps a DurationUnit to minutes per unit. The seed leaves the vocabulary open;
// Doorway sends "minutes" and accepts the common spellings of minutes and hours. An empty
// unit means minutes, the unit of every other Redox duration.
func unitMinutes(unit string) (float64, bool) {
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "", "minutes", "minute", "mins", "min", "m":
		return 1, true
	case "hours", "hour", "hrs", "hr", "h":
		return 60, true
	}
	return 0, false
}

// preferenceMinutes returns the preferred length in whole minutes (0 when not given).
func preferenceMinutes(p VisitPreference) (int, error) {
	per, ok := unitMinutes(p.DurationUnit)
	if !ok {
		return 0, fmt.Errorf("unit must be minutes or hours, got DurationUnit %q", p.DurationUnit)
	}
	s := strings.TrimSpace(string(p.Duration))
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < 0 || v*per > maxMinutes {
		return 0, fmt.Errorf("must be a number between 0 and %v minutes, got %q", maxMinutes, s)
	}
	return int(v*per + 0.5), nil
}
