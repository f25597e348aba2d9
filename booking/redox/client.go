package redox

import (
	"context"
	"log/slog"
	"net"
	"net/url"

	"doorway/booking"
)

// Data Model API paths (REDOX-SCHEDULING §4.1): queries answer in the response of /query,
// notifications are queued by /endpoint.
const (
	pathQuery    = "/query"
	pathEndpoint = "/endpoint"
)

// Client speaks Redox Scheduling over HTTPS: it implements booking.EHR against real Redox and
// against the sandbox EHR alike. It is safe for concurrent use.
type Client struct {
	cfg    Config
	log    *slog.Logger
	tokens *tokenCache
}

var _ booking.EHR = (*Client)(nil)

// NewClient checks cfg, fills its defaults and builds a Client. It does not contact Redox:
// the first call fetches the first token.
func NewClient(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	src, method, err := cfg.tokenSource()
	if err != nil {
		return nil, err
	}
	c := &Client{
		cfg:    cfg,
		log:    cfg.Logger,
		tokens: &tokenCache{src: src, now: cfg.Now, timeout: cfg.Timeout, log: cfg.Logger},
	}
	if u, _ := url.Parse(cfg.BaseURL); u.Scheme == "http" && !isLoopback(u.Hostname()) {
		// Plain HTTP is fine for the local sandbox; anywhere else it exposes PHI and tokens.
		c.log.Warn("redox base url is not https", slog.String("base_url", cfg.BaseURL))
	}
	attrs := []slog.Attr{slog.String("base_url", cfg.BaseURL), slog.String("auth", method), slog.Bool("test", cfg.Test)}
	if js, ok := src.(*jwtSource); ok && js.keyID != "" {
		attrs = append(attrs, slog.String("key_id", js.keyID)) // public: it names the key, not its secret
	}
	c.log.LogAttrs(context.Background(), slog.LevelInfo, "redox client ready", attrs...)
	return c, nil
}

// Ping checks that Redox (or the sandbox) is reachable and accepts our credentials, by
// getting a token (cached ones count). /readyz uses it.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.tokens.get(ctx)
	return err
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// meta builds the header of an outgoing message from the configuration.
func (c *Client) meta(eventType string) Meta {
	test := c.cfg.Test
	m := Meta{
		DataModel:     DataModel,
		EventType:     eventType,
		EventDateTime: FormatTime(c.cfg.Now()),
		Test:          &test,
		Destinations:  []Endpoint{{ID: c.cfg.DestinationID, Name: c.cfg.DestinationName}},
	}
	if c.cfg.SourceID != "" || c.cfg.SourceName != "" {
		m.Source = &Endpoint{ID: c.cfg.SourceID, Name: c.cfg.SourceName}
	}
	return m
}

// AvailableSlots runs Scheduling.AvailableSlots. Slots come back as the EHR sent them; the
// caller filters and ranks. A slot the EHR sent unreadable is left out and counted in
// SlotPage.Skipped.
func (c *Client) AvailableSlots(ctx context.Context, q booking.SlotQuery) (booking.SlotPage, error) {
	if err := q.Validate(); err != nil {
		return booking.SlotPage{}, err
	}
	m := NewAvailableSlots(c.meta(EventAvailableSlots), q)
	res, err := c.send(ctx, pathQuery, m, "")
	if err != nil {
		return booking.SlotPage{}, err
	}
	slots, err := SlotsOf(res.msg)
	if err != nil {
		return booking.SlotPage{}, malformed(EventAvailableSlots, err)
	}
	c.logSkipped(ctx, EventAvailableSlots, res.skipped)
	return booking.SlotPage{Slots: slots, Incomplete: isTrue(res.msg.Meta.IsIncomplete), Skipped: len(res.skipped)}, nil
}

// Booked runs Scheduling.Booked. A visit the EHR sent unreadable is left out and counted in
// VisitPage.Skipped.
func (c *Client) Booked(ctx context.Context, q booking.BookedQuery) (booking.VisitPage, error) {
	if q.Start.IsZero() {
		// The converter would send year 1, which validates; Redox requires a real start.
		return booking.VisitPage{}, booking.Malformed("StartDateTime", "start of the window is required")
	}
	m := NewBooked(c.meta(EventBooked), q)
	res, err := c.send(ctx, pathQuery, m, "")
	if err != nil {
		return booking.VisitPage{}, err
	}
	visits, err := VisitsOf(res.msg)
	if err != nil {
		return booking.VisitPage{}, malformed(EventBooked, err)
	}
	c.logSkipped(ctx, EventBooked, res.skipped)
	return booking.VisitPage{Visits: visits, Incomplete: isTrue(res.msg.Meta.IsIncomplete), Skipped: len(res.skipped)}, nil
}

// logSkipped warns about query answer entries left out: the EHR (or its Redox mapping) sends
// something Doorway cannot read, and someone should look. JSON paths only, never values.
func (c *Client) logSkipped(ctx context.Context, event string, skipped []Problem) {
	if len(skipped) == 0 {
		return
	}
	c.log.LogAttrs(ctx, slog.LevelWarn, "redox answer entries skipped", slog.String("event_type", event),
		slog.Int("skipped", len(skipped)), slog.Any("paths", skippedPaths(skipped)))
}

// Book sends Scheduling.New. Redox's 200 means it queued the message, not that the EHR
// booked it. On CodeUnavailable the message may or may not have arrived: check with Booked
// before sending it again.
func (c *Client) Book(ctx context.Context, a booking.Appointment) error {
	_, err := c.send(ctx, pathEndpoint, NewVisitMessage(EventNew, c.meta(EventNew), a), a.VisitNumber)
	return err
}

// Modify sends Scheduling.Modification.
func (c *Client) Modify(ctx context.Context, a booking.Appointment) error {
	m := NewVisitMessage(EventModification, c.meta(EventModification), a)
	_, err := c.send(ctx, pathEndpoint, m, a.VisitNumber)
	return err
}

// Reschedule sends Scheduling.Reschedule, a carrying old's visit number and time.
func (c *Client) Reschedule(ctx context.Context, a, old booking.Appointment) error {
	_, err := c.send(ctx, pathEndpoint, NewReschedule(c.meta(EventReschedule), a, old), a.VisitNumber)
	return err
}

// Cancel sends Scheduling.Cancel.
func (c *Client) Cancel(ctx context.Context, a booking.Appointment, reason string) error {
	_, err := c.send(ctx, pathEndpoint, NewCancel(c.meta(EventCancel), a, reason), a.VisitNumber)
	return err
}

// NoShow sends Scheduling.NoShow.
func (c *Client) NoShow(ctx context.Context, a booking.Appointment, reason string) error {
	_, err := c.send(ctx, pathEndpoint, NewNoShow(c.meta(EventNoShow), a, reason), a.VisitNumber)
	return err
}

func isTrue(b *bool) bool { return b != nil && *b }
