package storetest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"doorway/booking"
	"doorway/store"
)

// BenchBooking measures the store's part of one booking, as the app makes it: hold a time,
// renew the hold, create the appointment with its outbox message, claim and settle the
// delivery, apply the EHR's notification of it. "serial" books one after another; "parallel"
// books from 8 goroutines at once (SQLite writers take turns; PostgreSQL serves them together,
// each provider's calendar locked on its own). The backends' tests run it as BenchmarkBooking.
func BenchBooking(b *testing.B, be Backend) {
	b.Run("serial", func(b *testing.B) {
		db := open(b, be.DSN(b))
		b.ResetTimer()
		for i := range b.N {
			bookOnce(b, db, i)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		db := open(b, be.DSN(b))
		var next atomic.Int64
		b.SetParallelism(4) // 8 goroutines on 2 cores
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				bookOnce(b, db, int(next.Add(1)))
			}
		})
	})
}

// bookOnce makes booking i: its own session, and a time of one of 9 providers that no other
// booking of the run has.
func bookOnce(b *testing.B, db *store.DB, i int) {
	ctx := context.Background()
	sess := fmt.Sprint("s", i)
	sl := testSlot(fmt.Sprint("P", i%9), t0.Add(time.Duration(i/9)*30*time.Minute), 30)
	if err := db.PutHold(ctx, testHold(sess, sl, t0), t0); err != nil {
		b.Fatal(err)
	}
	if _, err := db.RenewHold(ctx, sess, t0.Add(11*time.Minute), t0); err != nil {
		b.Fatal(err)
	}
	a := testAppointment(sl)
	if _, _, err := db.CreateAppointment(ctx, booking.Booking{Key: sess, SessionID: sess, Appointment: a}, t0); err != nil {
		b.Fatal(err)
	}
	msgs, err := db.DueMessages(ctx, t0, 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range msgs { // under load another goroutine's message may come first: settle it
		if err := db.RecordAttempt(ctx, m.ID, "", true, t0, t0); err != nil {
			b.Fatal(err)
		}
	}
	n := booking.Notification{Key: "n" + sess, Event: "New", Appointment: a}
	if _, err := db.ApplyNotification(ctx, n, t0); err != nil {
		b.Fatal(err)
	}
}
