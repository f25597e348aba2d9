package web

import (
	"os"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"doorway/booking"
)

// TestMain lowers bcrypt's cost for the desk's tests: what they prove (identical answers,
// limits, sessions, refusals) does not depend on it, and a cost-12 hash under the race
// detector on a busy machine takes longer than a request may. booking's own tests keep 12.
func TestMain(m *testing.M) {
	booking.PasswordCost = bcrypt.MinCost
	os.Exit(m.Run())
}
