package i18n

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

func TestFormats(t *testing.T) {
	chicago, _ := time.LoadLocation("America/Chicago")
	at := time.Date(2026, 3, 3, 9, 30, 0, 0, chicago)
	noon := time.Date(2026, 3, 3, 12, 5, 0, 0, chicago)
	midnight := time.Date(2026, 3, 3, 0, 15, 0, 0, chicago)
	en, es := English.Format, Spanish.Format
	tests := []struct{ name, got, want string }{
		{"en day and time", en.Day(at) + ", " + en.Clock(at), "Tuesday, March 3, 9:30 AM"},
		{"es day and time", es.Day(at) + ", " + es.Clock(at), "martes 3 de marzo, 9:30 a. m."},
		{"en day with year", en.DayYear(at), "Tuesday, March 3, 2026"},
		{"es day with year", es.DayYear(at), "martes 3 de marzo de 2026"},
		{"en short day", en.ShortDay(at), "Tue, Mar 3"},
		{"es short day", es.ShortDay(at), "mar. 3 de mar."},
		{"en noon", en.Clock(noon), "12:05 PM"},
		{"es noon", es.Clock(noon), "12:05 p. m."},
		{"en after midnight", en.Clock(midnight), "12:15 AM"},
		{"en birth", en.Birth(time.Date(1984, 7, 21, 0, 0, 0, 0, time.UTC)), "July 21, 1984"},
		{"es birth", es.Birth(time.Date(1984, 7, 21, 0, 0, 0, 0, time.UTC)), "21 de julio de 1984"},
		{"en zone", en.Zone("America/Chicago"), "Central time"},
		{"es zone", es.Zone("America/Chicago"), "hora del centro"},
		{"es mountain", es.Zone("America/Denver"), "hora de la montaña"},
		{"en other zone", en.Zone("Europe/Berlin"), "Europe/Berlin time"},
		{"en minutes", en.Minutes(40), "40 minutes"},
		{"en one hour", en.Minutes(60), "1 hour"},
		{"en hour and a half", en.Minutes(90), "1 hour 30 minutes"},
		{"es hour and a half", es.Minutes(90), "1 hora y 30 minutos"},
		{"es one minute", es.Minutes(1), "1 minuto"},
		{"es list", es.Or([]string{"a", "b"}), "a o b"},
		{"es weekdays", es.Weekdays(time.Saturday), "los sábados"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestSearchSentences(t *testing.T) {
	s := Search{VisitType: "Sick visit", Length: "20 minutes", From: "Tue, Mar 3", To: "Mon, Mar 16",
		Days: []time.Weekday{time.Wednesday, time.Monday}, Bands: []booking.Band{booking.Evening, booking.Morning},
		Providers: []string{"A", "B"}, Locations: []string{"North"}}
	if got, want := English.Times.Searched(s), "Sick visit (20 minutes) · Tue, Mar 3 to Mon, Mar 16 · Mondays and Wednesdays · mornings and evenings · with A or B · at North"; got != want {
		t.Errorf("Searched = %q, want %q", got, want)
	}
	if got, want := English.Times.None(s), "There are no open times for a sick visit from Tue, Mar 3 to Mon, Mar 16 on Mondays and Wednesdays in the mornings and evenings with A or B at North."; got != want {
		t.Errorf("None = %q, want %q", got, want)
	}
	s.VisitType, s.Length, s.From, s.To = "Consulta por enfermedad", "20 minutos", "mar. 3 de mar.", "lun. 16 de mar."
	if got, want := Spanish.Times.Searched(s), "Consulta por enfermedad (20 minutos) · del mar. 3 de mar. al lun. 16 de mar. · los lunes y miércoles · por la mañana y por la noche · con A o B · en North"; got != want {
		t.Errorf("Spanish Searched = %q, want %q", got, want)
	}
}

func TestNegotiate(t *testing.T) {
	for header, want := range map[string]string{
		"":                           "en",
		"es-MX,es;q=0.9,en;q=0.8":    "es",
		"es-419":                     "es",
		"en-US,en;q=0.9,es;q=0.8":    "en",
		"fr-FR,fr;q=0.9":             "en", // nothing we speak: English
		"fr;q=0.9, es;q=0.5":         "es",
		"de-DE, en-GB;q=0.8":         "en",
		"not a header at all; q=zzz": "en",
	} {
		if got := Negotiate(header).Lang; got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
	if m, ok := For("es"); !ok || m != Spanish {
		t.Error("For(es)")
	}
	if _, ok := For("fr"); ok {
		t.Error("For(fr) claims French")
	}
	ctx := With(context.Background(), Spanish)
	if T(ctx) != Spanish || T(context.Background()) != English {
		t.Error("T does not read the table With put in the context")
	}
}

func TestProblemFallsBackToTheStatus(t *testing.T) {
	if got := English.Problem("", http.StatusNotFound); got != "We couldn't find that page." {
		t.Errorf("Problem without a message = %q", got)
	}
	if got := Spanish.Problem(booking.MsgSlotGone, http.StatusConflict); got == English.Problem(booking.MsgSlotGone, http.StatusConflict) {
		t.Errorf("Spanish problem in English: %q", got)
	}
}

// TestLanguagesNameEveryOfferedCode: the preferred-language list names exactly the codes
// booking accepts, in its order, in every language.
func TestLanguagesNameEveryOfferedCode(t *testing.T) {
	want := booking.PatientLanguages()
	for _, m := range Supported {
		var got []string
		for _, l := range m.Languages {
			got = append(got, l.Code)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s names %v, booking offers %v", m.Lang, got, want)
		}
	}
}
