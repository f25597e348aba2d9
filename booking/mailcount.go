package booking

import "sync"

// Email outcomes, for metrics: a fixed set.
const (
	EmailSent    = "sent"    // the server took it
	EmailRetried = "retried" // an attempt failed; it will be tried again
	EmailFailed  = "failed"  // given up: refused for good (SMTP 5xx), or out of attempts
	EmailSkipped = "skipped" // no longer applies: canceled, moved, reminders turned off
)

// EmailOutcomes are the outcomes, in a fixed order.
var EmailOutcomes = []string{EmailSent, EmailRetried, EmailFailed, EmailSkipped}

// EmailCount is how many emails of one kind had one outcome in this process.
type EmailCount struct {
	Kind    EmailKind
	Outcome string
	N       uint64
}

// emailCounts counts the mail worker's outcomes by kind.
type emailCounts struct {
	mu sync.Mutex
	n  map[EmailKind]map[string]uint64
}

func (s *Service) countEmail(k EmailKind, outcome string) {
	s.emails.mu.Lock()
	defer s.emails.mu.Unlock()
	if s.emails.n == nil {
		s.emails.n = map[EmailKind]map[string]uint64{}
	}
	if s.emails.n[k] == nil {
		s.emails.n[k] = map[string]uint64{}
	}
	s.emails.n[k][outcome]++
}

// EmailCounts returns every kind and outcome with its count (zeros too), kinds in
// EmailKinds order and outcomes in EmailOutcomes order: the labels come from fixed sets.
func (s *Service) EmailCounts() []EmailCount {
	s.emails.mu.Lock()
	defer s.emails.mu.Unlock()
	out := make([]EmailCount, 0, len(EmailKinds)*len(EmailOutcomes))
	for _, k := range EmailKinds {
		for _, o := range EmailOutcomes {
			out = append(out, EmailCount{Kind: k, Outcome: o, N: s.emails.n[k][o]})
		}
	}
	return out
}
