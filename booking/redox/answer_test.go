package redox

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"doorway/booking"
)

// Entries of query answers, good and bad, for TestBadEntriesAreSkipped.
const (
	goodSlot       = `{"ID":"S-1","DateTime":"2025-03-10T14:00:00.000Z","Duration":30,"Location":{"Department":"Family Medicine"}}`
	slotNoTime     = `{"ID":"S-2","Duration":30}`
	slotWordyTime  = `{"ID":"S-3","DateTime":"Monday at ten","Duration":30}`
	slotWrongType  = `{"ID":"S-4","DateTime":"2025-03-10T15:00:00.000Z","Duration":"thirty"}`
	slotNumberedID = `{"ID":{"a":1},"DateTime":"2025-03-10T15:00:00.000Z","Duration":30}`
	goodVisit      = `{"VisitNumber":"SB-1","VisitDateTime":"2025-03-12T16:30:00.000Z","Duration":30,
	 "Location":{"Department":"Family Medicine"},"Patient":{"Identifiers":[{"ID":"0000000001","IDType":"MR"}]}}`
	// visitNoPatient names a patient in a field Doorway logs nothing of: the log test looks for it.
	visitNoPatient = `{"VisitNumber":"SB-2","VisitDateTime":"2025-03-12T17:00:00.000Z","Duration":30,
	 "Location":{"Department":"Family Medicine"},"Reason":"Ada Lovell, knee"}`
	visitWrongType = `{"VisitNumber":"SB-3","VisitDateTime":"2025-03-12T17:30:00.000Z","Duration":{"min":30},
	 "Location":{"Department":"Family Medicine"},"Patient":{"Identifiers":[{"ID":"0000000002","IDType":"MR"}]}}`
)

func slotsReply(entries ...string) reply {
	return reply{Status: 200, Body: `{"Meta":{"DataModel":"Scheduling","EventType":"AvailableSlotsResponse"},"AvailableSlots":[` +
		strings.Join(entries, ",") + `]}`}
}

func visitsReply(entries ...string) reply {
	return reply{Status: 200, Body: `{"Meta":{"DataModel":"Scheduling","EventType":"Booked"},"Visits":[` +
		strings.Join(entries, ",") + `]}`}
}

// TestBadEntriesAreSkipped: one slot or visit the EHR got wrong is left out and counted; the
// rest of the answer is used.
func TestBadEntriesAreSkipped(t *testing.T) {
	tests := []struct {
		name        string
		event       string
		reply       reply
		wantIDs     []string // slot IDs or visit numbers kept, in order
		wantSkipped int
		wantPaths   []string // in the log line
	}{
		{"slot without DateTime", EventAvailableSlots, slotsReply(slotNoTime, goodSlot), []string{"S-1"}, 1, []string{"AvailableSlots[0].DateTime"}},
		{"slot with a word for a time", EventAvailableSlots, slotsReply(goodSlot, slotWordyTime), []string{"S-1"}, 1, []string{"AvailableSlots[1].DateTime"}},
		{"slot with a Duration of the wrong type", EventAvailableSlots, slotsReply(slotWrongType, goodSlot), []string{"S-1"}, 1, []string{"AvailableSlots[0].Duration"}},
		{"slot that is null", EventAvailableSlots, slotsReply("null", goodSlot, "42"), []string{"S-1"}, 2, []string{"AvailableSlots[0].DateTime", "AvailableSlots[2]"}},
		{"slot with an object for an ID", EventAvailableSlots, slotsReply(slotNumberedID, goodSlot), []string{"S-1"}, 1, []string{"AvailableSlots[0].ID"}},
		{"every slot bad is an empty page", EventAvailableSlots, slotsReply(slotNoTime, slotWrongType), nil, 2, nil},
		{"visit without Patient", EventBooked, visitsReply(goodVisit, visitNoPatient), []string{"SB-1"}, 1, []string{"Visits[1].Patient"}},
		{"visit with a Duration object", EventBooked, visitsReply(visitWrongType, goodVisit), []string{"SB-1"}, 1, []string{"Visits[0].Duration"}},
		{"nothing bad, nothing skipped", EventBooked, visitsReply(goodVisit), []string{"SB-1"}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDouble(t)
			d.then(tt.reply)
			var logs bytes.Buffer
			cfg := testConfig(t, d)
			cfg.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
			c := newTestClient(t, cfg)
			var ids []string
			var skipped int
			if tt.event == EventAvailableSlots {
				page, err := c.AvailableSlots(t.Context(), slotQuery())
				if err != nil {
					t.Fatalf("AvailableSlots: %v", err)
				}
				for _, s := range page.Slots {
					ids = append(ids, s.ID)
				}
				skipped = page.Skipped
			} else {
				page, err := c.Booked(t.Context(), bookedQuery())
				if err != nil {
					t.Fatalf("Booked: %v", err)
				}
				for _, v := range page.Visits {
					ids = append(ids, v.VisitNumber)
				}
				skipped = page.Skipped
			}
			if !slices.Equal(ids, tt.wantIDs) || skipped != tt.wantSkipped {
				t.Errorf("kept %q, skipped %d; want %q, skipped %d", ids, skipped, tt.wantIDs, tt.wantSkipped)
			}
			checkSkipLog(t, logs.String(), tt.event, tt.wantSkipped, tt.wantPaths)
		})
	}
}

// checkSkipLog finds the one warning about skipped entries (none when nothing was skipped)
// and checks it names the event, the count and the paths, and no patient data.
func checkSkipLog(t *testing.T, logs, event string, skipped int, paths []string) {
	t.Helper()
	var line map[string]any
	for l := range strings.Lines(logs) {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "redox answer entries skipped" {
			line = m
		}
	}
	if skipped == 0 {
		if line != nil {
			t.Errorf("logged %v, want no skip warning", line)
		}
		return
	}
	if line == nil {
		t.Fatalf("no skip warning in logs:\n%s", logs)
	}
	if line["event_type"] != event || line["skipped"] != float64(skipped) {
		t.Errorf("log line %v, want event_type %s and skipped %d", line, event, skipped)
	}
	got, _ := json.Marshal(line["paths"])
	for _, p := range paths {
		if !strings.Contains(string(got), `"`+p+`"`) {
			t.Errorf("log paths %s, want %s among them", got, p)
		}
	}
	for _, phi := range []string{"Lovell", "knee", "Monday at ten", "0000000002"} {
		if strings.Contains(logs, phi) {
			t.Errorf("logs carry %q:\n%s", phi, logs)
		}
	}
}

// TestBrokenEnvelopeStillFails: skipping is for entries; an answer whose list is not a list,
// or whose Meta is broken, is still unreadable.
func TestBrokenEnvelopeStillFails(t *testing.T) {
	for name, body := range map[string]string{
		"slots not an array": `{"Meta":{"DataModel":"Scheduling","EventType":"AvailableSlotsResponse"},"AvailableSlots":{"ID":"S-1"}}`,
		"Meta not an object": `{"Meta":"Scheduling","AvailableSlots":[]}`,
		"no slots key":       `{"Meta":{"DataModel":"Scheduling","EventType":"AvailableSlotsResponse"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			d := newDouble(t)
			d.then(reply{Status: 200, Body: body})
			_, err := newTestClient(t, testConfig(t, d)).AvailableSlots(t.Context(), slotQuery())
			if booking.MsgOf(err) != booking.MsgEHRGarbled {
				t.Errorf("err = %v, want the garbled-answer error", err)
			}
		})
	}
}
