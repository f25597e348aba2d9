package views

import (
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	phoenix, _ := time.LoadLocation("America/Phoenix")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := time.Date(2026, 3, 3, 9, 30, 0, 0, chicago)
	tests := []struct{ name, got, want string }{
		{"day", Day(at), "Tuesday 3 March"},
		{"day with year", DayYear(at), "Tuesday 3 March 2026"},
		{"short day", ShortDay(at), "Tue 3 Mar"},
		{"morning clock", Clock(at), "9:30 am"},
		{"afternoon clock", Clock(at.Add(8 * time.Hour)), "5:30 pm"},
		{"US zone", ZoneName(chicago), "Central time"},
		{"Arizona", ZoneName(phoenix), "Arizona time"},
		{"other zone", ZoneName(berlin), "Europe/Berlin time"},
		{"minutes", Minutes(40), "40 minutes"},
		{"one hour", Minutes(60), "1 hour"},
		{"hour and a half", Minutes(90), "1 hour 30 minutes"},
		{"languages", Speaks([]string{"en", "es", "vi"}), "Speaks English, Spanish and Vietnamese"},
		{"one language", Speaks([]string{"en"}), "Speaks English"},
		{"unknown language", Language("xx"), "xx"},
		{"US phone", Phone("+15552013344"), "(555) 201-3344"},
		{"other phone", Phone("+442079460958"), "+442079460958"},
		{"tel link", TelURL("(308) 555-0100"), "tel:3085550100"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
