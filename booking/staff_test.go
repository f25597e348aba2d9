package booking

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Passwords: bcrypt at cost 12, 10 to 72 bytes (bcrypt reads 72: longer is refused, never cut).
func TestHashPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != 12 {
		t.Errorf("cost %d, %v; want 12", cost, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(h), []byte("correct horse battery")) != nil {
		t.Error("the hash does not match its password")
	}
	for pw, want := range map[string]Msg{"short": MsgPasswordTooShort, strings.Repeat("x", 73): MsgPasswordTooLong} {
		if _, err := HashPassword(pw); MsgOf(err) != want {
			t.Errorf("a %d-byte password: %v, want %s", len(pw), err, want)
		}
	}
	if _, err := HashPassword(strings.Repeat("x", 72)); err != nil {
		t.Errorf("a 72-byte password: %v", err)
	}
}
