package views

import (
	"bytes"
	"context"
	"testing"

	"github.com/a-h/templ"
)

func TestSay(t *testing.T) {
	tests := []struct {
		name, sentence string
		parts          map[string]templ.Component
		want           string
	}{
		{"plain words are escaped", `Call <us> & "now"`, nil, `Call &lt;us&gt; &amp; &#34;now&#34;`},
		{"a part in place", "Call us at {phone}.", map[string]templ.Component{"phone": Tel("(308) 555-0100")},
			`Call us at <a href="tel:3085550100">(308) 555-0100</a>.`},
		{"emergency numbers link themselves", "Call {911} or text {988}.", nil,
			`Call <a href="tel:911">911</a> or text <a href="tel:988">988</a>.`},
		{"parts where the language puts them", "Le guardamos las {clock} del {day}.", map[string]templ.Component{
			"clock": Strong("9:30 a. m."), "day": Plain("martes 4 de marzo")}, `Le guardamos las <strong>9:30 a. m.</strong> del martes 4 de marzo.`},
		{"an unknown token is written as it is", "Hello {name}", nil, "Hello {name}"},
		{"an unclosed brace", "a { b", nil, "a { b"},
		{"a countdown", "for {left}", map[string]templ.Component{"left": Countdown(600, "10 minutes")},
			`for <span data-countdown="600">10 minutes</span>`},
		{"a link's text is escaped", "{keep}", map[string]templ.Component{"keep": Link("/details?a=1&b=2", "<Keep>")},
			`<a href="/details?a=1&amp;b=2">&lt;Keep&gt;</a>`},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := Say(tt.sentence, tt.parts).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, buf.String(), tt.want)
		}
	}
}

func TestPhones(t *testing.T) {
	for in, want := range map[string]string{"+15552013344": "(555) 201-3344", "+442079460958": "+442079460958"} {
		if got := Phone(in); got != want {
			t.Errorf("Phone(%q) = %q, want %q", in, got, want)
		}
	}
	if got := TelURL("(308) 555-0100"); got != "tel:3085550100" {
		t.Errorf("TelURL = %q", got)
	}
}
