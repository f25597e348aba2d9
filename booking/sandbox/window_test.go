package sandbox

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestNewRefusesPastAndBeyondHorizon: a patient visit cannot be booked for a time that has
// passed or past the rolling horizon, even when the provider's template covers it.
func TestNewRefusesPastAndBeyondHorizon(t *testing.T) {
	f := newFixture(t)
	tok := f.login()
	slots := f.slotsFor(tok, week())
	if len(slots) == 0 {
		t.Fatal("no open slots in the test week")
	}
	sl := slots[0]
	f.clock.Advance(sl.Start.Sub(testNow) + time.Hour) // the slot is now an hour in the past
	tok = f.login()
	code, m := f.post("/endpoint", tok, newMsg(appointmentFor(sl, "PAST-1")))
	if code != http.StatusConflict || !strings.Contains(errorTexts(m), "past") {
		t.Errorf("New in the past: %d %q, want 409 naming the past", code, errorTexts(m))
	}
	f.clock.Advance(-(sl.Start.Sub(testNow) + time.Hour) - 200*24*time.Hour) // now the slot is past the horizon
	tok = f.login()
	code, m = f.post("/endpoint", tok, newMsg(appointmentFor(sl, "FAR-1")))
	if code != http.StatusConflict || !strings.Contains(errorTexts(m), "horizon") {
		t.Errorf("New beyond the horizon: %d %q, want 409 naming the horizon", code, errorTexts(m))
	}
}
