package booking

import (
	"context"
	"testing"
	"time"
)

// reportService is a service whose store keeps funnel counts, counting through a Tally over
// it, on Tuesday 1 December 2026 in Chicago.
func reportService(t *testing.T) (*Service, *funnelMem, *Tally) {
	t.Helper()
	st := newFunnelMem()
	tally := NewTally(st, nil)
	return NewService(Config{Clinic: testClinic(t), EHR: &fakeEHR{}, Holds: st, Appointments: st, Counter: tally,
		Now: func() time.Time { return testNow }, CacheFor: -1}), st, tally
}

func TestFunnelReport(t *testing.T) {
	svc, st, tally := reportService(t)
	ctx := context.Background()
	add := func(k FunnelKey, n int64) {
		if err := st.AddFunnel(ctx, []FunnelCount{{FunnelKey: k, N: n}}); err != nil {
			t.Fatal(err)
		}
	}
	add(key("2026-12-01", EventSearch, "knee"), 10)
	add(key("2026-12-01", EventNoFit, "knee"), 3)
	add(key("2026-12-01", EventHold, "knee"), 5)
	add(key("2026-11-30", EventSearch, ReasonTyped), 20)
	add(key("2026-11-30", EventBooking, ReasonTyped), 2)
	add(key("2026-11-18", EventSearch, "knee"), 100)     // the first of the 14 days
	add(key("2026-11-17", EventSearch, "knee"), 999)     // the day before them: left out
	tally.Count(key("2026-12-01", EventBooking, "knee")) // counted, not flushed yet
	cancel := key("2026-12-01", EventCancel, ReasonUnknown)
	cancel.Channel = ChannelClinic
	add(cancel, 1)

	r, err := svc.Funnel(ctx, FunnelFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Filter.From != "2026-11-18" || r.Filter.To != "2026-12-01" || len(r.Days) != DefaultFunnelDays {
		t.Fatalf("range %s to %s, %d days; want the 14 days to today", r.Filter.From, r.Filter.To, len(r.Days))
	}
	if r.Days[0].Day != "2026-12-01" || r.Days[13].Day != "2026-11-18" || r.Days[5].Searches != 0 {
		t.Errorf("days %s..%s, want newest first, every day listed", r.Days[0].Day, r.Days[13].Day)
	}
	today := r.Days[0].FunnelRow
	if (today != FunnelRow{Searches: 10, NoFit: 3, Holds: 5, Bookings: 1, Cancels: 1}) {
		t.Errorf("today %+v: want what the tally had not flushed counted in", today)
	}
	if pct, ok := today.Conversion(); !ok || pct != 10 {
		t.Errorf("today's conversion %v %v, want 10%%", pct, ok)
	}
	if pct, ok := today.NoFitShare(); !ok || pct != 30 {
		t.Errorf("today's no-fit share %v %v, want 30%%", pct, ok)
	}
	if _, ok := r.Days[5].Conversion(); ok {
		t.Error("a day without searches has a conversion")
	}
	if r.Total.Searches != 130 || r.Total.Bookings != 3 {
		t.Errorf("total %+v, want 130 searches and 3 bookings", r.Total)
	}
	if len(r.Reasons) != 3 || r.Reasons[0].Code != "knee" || r.Reasons[0].Searches != 110 || r.Reasons[1].Code != ReasonTyped {
		t.Errorf("by reason %+v, want knee (110 searches), then typed, then unknown", r.Reasons)
	}
	if len(r.VisitTypes) != 1 || r.VisitTypes[0].Code != "FU" || r.VisitTypes[0].Searches != 130 {
		t.Errorf("by visit type %+v", r.VisitTypes)
	}

	narrow, err := svc.Funnel(ctx, FunnelFilter{From: "2026-11-30", To: "2026-11-30", Reason: ReasonTyped})
	if err != nil || len(narrow.Days) != 1 || narrow.Total.Searches != 20 || narrow.Total.Bookings != 2 {
		t.Errorf("30 November, typed reasons: %+v %v", narrow, err)
	}
	byClinic, err := svc.Funnel(ctx, FunnelFilter{Channel: ChannelClinic})
	if err != nil || byClinic.Total != (FunnelRow{Cancels: 1}) {
		t.Errorf("the clinic's channel: %+v %v", byClinic.Total, err)
	}
	if to, err := svc.Funnel(ctx, FunnelFilter{To: "2026-11-30"}); err != nil || to.Filter.From != "2026-11-17" {
		t.Errorf("only the last day given: from %q %v, want the 14 days to it", to.Filter.From, err)
	}
}

func TestFunnelFilterRefused(t *testing.T) {
	svc, _, _ := reportService(t)
	for _, tc := range []struct {
		name  string
		f     FunnelFilter
		field string
		msg   Msg
	}{
		{"first day not a date", FunnelFilter{From: "last week"}, "from", MsgFromFormat},
		{"last day not a date", FunnelFilter{To: "2026-13-01"}, "to", MsgToFormat},
		{"last before first", FunnelFilter{From: "2026-12-01", To: "2026-11-30"}, "to", MsgToBeforeFrom},
		{"more than a year", FunnelFilter{From: "2025-11-30", To: "2026-12-01"}, "from", MsgFunnelSpan},
		{"a reason the clinic has not", FunnelFilter{Reason: "nope"}, "reason", MsgReasonUnknown},
		{"a visit type the clinic has not", FunnelFilter{VisitType: "NOPE"}, "visit_type", MsgVisitTypeUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := svc.Funnel(context.Background(), tc.f)
			if FieldOf(err) != tc.field || MsgOf(err) != tc.msg {
				t.Errorf("err = %v, want %s on %s", err, tc.msg, tc.field)
			}
		})
	}
	if r, err := svc.Funnel(context.Background(), FunnelFilter{From: "2025-12-01", To: "2026-11-30"}); err != nil || len(r.Days) != MaxFunnelDays-1 {
		t.Errorf("a year: %d days, %v", len(r.Days), err)
	}
}
