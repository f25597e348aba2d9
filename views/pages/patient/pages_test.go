package patient

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"doorway/views"
	"doorway/views/components"
	"doorway/views/i18n"
)

func render(t *testing.T, m *i18n.Messages, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	ctx := i18n.With(views.WithCSRF(context.Background(), "tok"), m)
	if err := c.Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestTimesComponent(t *testing.T) {
	p := TimesPage{Page: Page{Page: views.Page{Clinic: "Test"}, Step: 3, At: 2, Of: 4}, View: TimesView{View: ByProvider},
		Searched: "Sick visit (20 minutes)", Soonest: &Soonest{Ref: "0.0.1", When: "Monday, March 2, 9:00 AM (Central time)", Who: "Dr A"},
		Total: 5, Rows: []ProviderRow{{ID: "pr-1", Name: "Dr A", Initials: "DA", Cells: []Cell{
			{ID: "pr-1-a", Label: "Mon, Mar 2", Places: []Place{{Times: []Time{{Ref: "0.0.1", Label: "9:00 AM"}, {Ref: "0.0.2", Label: "9:20 AM"}}}}, More: 3, MoreURL: "/times?p=1"},
			{ID: "pr-1-b", Label: "Tue, Mar 3"}}}}}
	doc := render(t, i18n.English, Times(p))
	if got := doc.Find("[data-testid=slots] input[name=_csrf]").AttrOr("value", ""); got != "tok" {
		t.Errorf("CSRF field = %q", got)
	}
	if n := doc.Find(".week button[name=slot]").Length(); n != 2 {
		t.Errorf("%d time buttons, want 2", n)
	}
	if got := doc.Find(".cell").First().AttrOr("aria-labelledby", ""); got != "pr-1 pr-1-a" {
		t.Errorf("cell labelled by %q", got)
	}
	if got := doc.Find(".cell .more").AttrOr("href", ""); got != "/times?p=1" || !strings.Contains(doc.Find(".cell .more").Text(), "+3 more") {
		t.Errorf("more link %q %q", got, doc.Find(".cell .more").Text())
	}
	if doc.Find(".cell.empty .none").Length() != 1 {
		t.Error("a day without times does not say so")
	}
	if got := doc.Find(".views a[aria-current]").Text(); got != "By provider" {
		t.Errorf("current view %q", got)
	}
	if got := doc.Find("[data-testid=step]").Text(); !strings.Contains(got, "Step 2 of 4") {
		t.Errorf("step %q", got)
	}
	if got := doc.Find("title").Text(); got != "Choose a time · Test" {
		t.Errorf("title %q", got)
	}
	if doc.Find("[data-testid=no-results]").Length() != 0 {
		t.Error("no-results shown with results")
	}
	if got := render(t, i18n.Spanish, Times(p)).Find(".views a[aria-current]").Text(); got != "Por profesional" {
		t.Errorf("Spanish current view %q", got)
	}
	p.Rows, p.Soonest = nil, nil
	p.Empty = &Empty{Why: "Nothing.", Widen: []Widening{{Value: "later", Label: "The next 7 days"}}}
	doc = render(t, i18n.English, Times(p))
	if got := doc.Find("[data-testid=widen] button").AttrOr("value", ""); got != "later" {
		t.Errorf("widening %q", got)
	}
}

func TestTimesViewAddresses(t *testing.T) {
	for _, v := range []TimesView{{View: ByProvider}, {View: ByDay, Day: "2026-03-03"}, {View: ByProvider, Page: 2}, {View: ByProvider, Provider: "123"}} {
		u, _ := url.Parse(v.URL())
		if got := ParseTimesView(u.Query()); got != v {
			t.Errorf("%+v round-trips as %+v (%s)", v, got, v.URL())
		}
	}
	if got := ParseTimesView(url.Values{"view": {"sideways"}, "page": {"-4"}}); got.View != ByProvider || got.Page != 0 {
		t.Errorf("nonsense view %+v", got)
	}
}

func TestHoldNotice(t *testing.T) {
	h := components.Hold{Clock: "9:30 AM", Day: "Tuesday, March 3", Zone: "Central time", Minutes: 10, Seconds: 600}
	doc := render(t, i18n.English, components.HoldNotice(h))
	text := strings.Join(strings.Fields(doc.Find("[data-testid=hold-notice]").Text()), " ")
	if want := "We're holding 9:30 AM on Tuesday, March 3 (Central time) for you for 10 minutes."; text != want {
		t.Errorf("notice = %q, want %q", text, want)
	}
	if got := doc.Find("[data-countdown]").AttrOr("data-countdown", ""); got != "600" {
		t.Errorf("countdown = %q", got)
	}
	h = components.Hold{Clock: "9:30 a. m.", Day: "martes 3 de marzo", Zone: "hora del centro", Minutes: 1, Seconds: 45}
	doc = render(t, i18n.Spanish, components.HoldNotice(h))
	text = strings.Join(strings.Fields(doc.Find("[data-testid=hold-notice]").Text()), " ")
	if want := "Le guardamos las 9:30 a. m. del martes 3 de marzo (hora del centro) durante 1 minuto."; text != want {
		t.Errorf("Spanish notice = %q, want %q", text, want)
	}
	if got := doc.Find("[data-testid=hold-notice]").AttrOr("data-tick-many", ""); got != i18n.Spanish.Hold.TickMany {
		t.Errorf("countdown words %q", got)
	}
}

func TestTextInputError(t *testing.T) {
	doc := render(t, i18n.English, components.TextInput(components.Field{Name: "dob", Label: "Date of birth", Hint: "For example", Type: "date", Value: "x", Error: "Bad"}))
	in := doc.Find("input#dob")
	if in.AttrOr("aria-invalid", "") != "true" || in.AttrOr("aria-describedby", "") != "dob-hint dob-error" || in.AttrOr("value", "") != "x" {
		t.Errorf("input attributes: %v", in.Nodes[0].Attr)
	}
	if doc.Find("label[for=dob]").Length() != 1 || !strings.Contains(doc.Find("#dob-error").Text(), "Bad") {
		t.Error("label or error missing")
	}
}
