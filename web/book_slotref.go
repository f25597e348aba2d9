package web

import (
	"strconv"
	"strings"
	"time"

	"doorway/booking"
)

// slotRefs names slots in forms compactly: "provider index.location index.start unix", e.g.
// "3.0.1767268800". The open-times page carries hundreds of them, so a short reference keeps
// it small; the catalogue does not change while the server runs, so indexes are stable.
type slotRefs struct {
	clinic *booking.Clinic
	prov   map[string]int
	loc    map[string]int
}

func newSlotRefs(c *booking.Clinic) slotRefs {
	r := slotRefs{clinic: c, prov: map[string]int{}, loc: map[string]int{}}
	for i, p := range c.Providers {
		r.prov[p.ID] = i
	}
	for i, l := range c.Locations {
		r.loc[l.ID] = i
	}
	return r
}

// ref is the form value for slot s.
func (r slotRefs) ref(s booking.Slot) string {
	return strconv.Itoa(r.prov[s.Provider.ID]) + "." + strconv.Itoa(r.loc[s.Location.ID]) + "." + strconv.FormatInt(s.Start.Unix(), 10)
}

// key turns a form value back into the slot's booking.Slot.Key.
func (r slotRefs) key(ref string) (string, bool) {
	parts := strings.Split(ref, ".")
	if len(parts) != 3 {
		return "", false
	}
	pi, err1 := strconv.Atoi(parts[0])
	li, err2 := strconv.Atoi(parts[1])
	sec, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || pi < 0 || pi >= len(r.clinic.Providers) || li < 0 || li >= len(r.clinic.Locations) {
		return "", false
	}
	l := r.clinic.Locations[li]
	s := booking.Slot{Start: time.Unix(sec, 0), Provider: booking.ProviderRef{ID: r.clinic.Providers[pi].ID},
		Location: booking.LocationRef{ID: l.ID, Facility: l.Facility, Department: l.Department}}
	return s.Key(), true
}
