package views

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// Say renders a sentence from a message table. Words are escaped; each {name} in it is
// replaced by parts[name], a component (a link, a bold time, a countdown), so a translator
// keeps whole sentences and places the parts where the language puts them. {911} and {988}
// become tel: links unless parts say otherwise; an unknown {name} is written as it is.
func Say(sentence string, parts map[string]templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		for s := sentence; s != ""; {
			i := strings.IndexByte(s, '{')
			j := strings.IndexByte(s[max(i, 0):], '}')
			if i < 0 || j < 0 {
				return writeText(w, s)
			}
			name := s[i+1 : i+j]
			if err := writeText(w, s[:i]); err != nil {
				return err
			}
			part, ok := parts[name]
			switch {
			case ok:
			case name == "911" || name == "988":
				part = Tel(name)
			default:
				part = templ.Raw(templ.EscapeString("{" + name + "}"))
			}
			if err := part.Render(ctx, w); err != nil {
				return err
			}
			s = s[i+j+1:]
		}
		return nil
	})
}

func writeText(w io.Writer, s string) error {
	_, err := io.WriteString(w, templ.EscapeString(s))
	return err
}

// Tel is a phone number as a tel: link.
func Tel(phone string) templ.Component {
	return element(`<a href="`+templ.EscapeString(TelURL(phone))+`">`, phone, `</a>`)
}

// Strong is words in bold.
func Strong(text string) templ.Component { return element("<strong>", text, "</strong>") }

// Link is a link with escaped text.
func Link(href, text string) templ.Component {
	return element(`<a href="`+templ.EscapeString(href)+`">`, text, `</a>`)
}

// Countdown is the time left on a hold: text now, counted down by app.js from seconds.
func Countdown(seconds int, text string) templ.Component {
	return element(`<span data-countdown="`+strconv.Itoa(seconds)+`">`, text, `</span>`)
}

// Plain is escaped text, for a part that is only words.
func Plain(text string) templ.Component { return element("", text, "") }

func element(open, text, closing string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := io.WriteString(w, open+templ.EscapeString(text)+closing)
		return err
	})
}

// TelURL turns a display phone number into a tel: link target.
func TelURL(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if r == '+' || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return "tel:" + b.String()
}

// Phone formats an E.164 number for reading: North American numbers as "(555) 201-3344",
// others as stored.
func Phone(e164 string) string {
	if len(e164) == 12 && strings.HasPrefix(e164, "+1") {
		d := e164[2:]
		return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
	}
	return e164
}
