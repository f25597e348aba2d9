package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// instance is the one connection a Doorway instance keeps to itself, outside the pool, for as
// long as it runs. It does two things no pooled connection could:
//   - it holds the session-level advisory lock (lockSpace, id), which tells the other
//     instances this one is alive: its outbox claims are stamped with id, and a claim whose
//     id nobody holds was left by an instance that has gone (Backend.ClaimerGone);
//   - it LISTENs on the schema's channel, where every instance announces the time spans whose
//     open times changed (Backend.Announce), and calls the subscribers so each instance drops
//     its own cached searches of that time.
//
// When the connection breaks it is re-established with backoff; meanwhile id reads 0 (claim
// nothing) and afterwards subscribers drop everything, since announcements were missed.
type instance struct {
	cfg     *pgx.ConnConfig
	channel string
	id      atomic.Int64 // the advisory lock held now; 0 while disconnected
	last    int64        // the id held before a reconnect, tried first again (run's goroutine only)
	mu      sync.Mutex
	subs    []func(start, end time.Time)
	stop    context.CancelFunc
	done    chan struct{}
}

// allTime is the span subscribers are given when announcements may have been missed.
func allTime() (start, end time.Time) {
	return time.Unix(0, 0).UTC(), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
}

// startInstance connects (failing at once if it cannot) and keeps the connection in a
// goroutine until close.
func startInstance(ctx context.Context, dsn, channel string) (*instance, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: connection string: %w", err)
	}
	in := &instance{cfg: cfg, channel: channel, done: make(chan struct{})}
	conn, err := in.connect(ctx)
	if err != nil {
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	in.stop = cancel
	go in.run(runCtx, conn)
	return in, nil
}

// connect opens the connection, locks an instance id (the previous one if still free, so
// claims made before a short outage stay this instance's) and listens on the channel.
func (in *instance) connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, in.cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: instance connection: %w", err)
	}
	id, err := lockID(ctx, conn, in.last)
	if err == nil {
		_, err = conn.Exec(ctx, "LISTEN "+pgx.Identifier{in.channel}.Sanitize())
	}
	if err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("postgres: instance connection: %w", err)
	}
	in.last = id
	in.id.Store(id)
	return conn, nil
}

// lockID takes the advisory lock of want, or of a random free id when want is 0 or taken (by
// another instance, or by this one's previous session the server has not yet noticed closed).
func lockID(ctx context.Context, conn *pgx.Conn, want int64) (int64, error) {
	for range 20 {
		id := want
		if id == 0 {
			id = rand.Int64N(1<<31-1) + 1
		}
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockSpace, int32(id)).Scan(&ok); err != nil {
			return 0, fmt.Errorf("lock instance id: %w", err)
		}
		if ok {
			return id, nil
		}
		want = 0
	}
	return 0, errors.New("lock instance id: no free id in 20 tries")
}

// run hands notifications to the subscribers until close, re-establishing the connection
// whenever it breaks.
func (in *instance) run(ctx context.Context, conn *pgx.Conn) {
	defer close(in.done)
	for {
		in.listen(ctx, conn)
		in.id.Store(0)
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		conn.Close(closeCtx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if conn = in.reconnect(ctx); conn == nil {
			return
		}
		in.publish(allTime())
	}
}

// listen waits for notifications on conn and publishes each, until the wait fails: ctx
// ended (closing), or the connection broke (run re-establishes it).
func (in *instance) listen(ctx context.Context, conn *pgx.Conn) {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return
		}
		start, end, ok := parseSpan(n.Payload)
		if !ok {
			start, end = allTime()
		}
		in.publish(start, end)
	}
}

// reconnect retries connect with a backoff from 100 ms to 5 s until it succeeds (the
// connection) or ctx ends (nil).
func (in *instance) reconnect(ctx context.Context) *pgx.Conn {
	wait := 100 * time.Millisecond
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		if conn, err := in.connect(ctx); err == nil {
			return conn
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func (in *instance) subscribe(fn func(start, end time.Time)) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.subs = append(in.subs, fn)
}

func (in *instance) publish(start, end time.Time) {
	in.mu.Lock()
	subs := in.subs
	in.mu.Unlock()
	for _, fn := range subs {
		fn(start, end)
	}
}

// close ends the connection, releasing the instance's advisory lock, and waits for run.
func (in *instance) close() {
	in.stop()
	<-in.done
}

// parseSpan reads an Announce payload, "start,end" in unix seconds.
func parseSpan(payload string) (start, end time.Time, ok bool) {
	a, b, found := strings.Cut(payload, ",")
	s, err1 := strconv.ParseInt(a, 10, 64)
	e, err2 := strconv.ParseInt(b, 10, 64)
	if !found || err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, false
	}
	return time.Unix(s, 0).UTC(), time.Unix(e, 0).UTC(), true
}
