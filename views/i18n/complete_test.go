package i18n

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"doorway/booking"
)

// cognates are paths where a Spanish text may equal the English one: words that are the
// same in both languages.
var cognates = map[string]bool{
	"Languages[12].Name": true, // hindi
	"Languages[13].Name": true, // tamil
}

// sampleInts are the numbers every func taking an int is called with: counts, minutes and
// the HTTP statuses the error page names.
var sampleInts = []int{1, 2, 20, 90, 300, 400, 401, 403, 404, 405, 409, 413, 422, 429, 499, 500, 502, 503}

// checkComplete compares a translation with English, field by field: every text must be
// there and differ from English (but for cognates), every map must have English's keys, and
// every func must answer non-empty, different words for sample values. It returns one line
// per problem, naming the field's path.
func checkComplete(en, tr *Messages) []string {
	var c completeness
	c.walk("", reflect.ValueOf(en).Elem(), reflect.ValueOf(tr).Elem())
	return c.problems
}

type completeness struct{ problems []string }

func (c *completeness) add(path, format string, args ...any) {
	c.problems = append(c.problems, path+": "+fmt.Sprintf(format, args...))
}

func (c *completeness) walk(path string, en, tr reflect.Value) {
	switch en.Kind() {
	case reflect.String:
		c.text(path, en.String(), tr.String())
	case reflect.Struct:
		for i := range en.NumField() {
			c.walk(join1(path, en.Type().Field(i).Name), en.Field(i), tr.Field(i))
		}
	case reflect.Array, reflect.Slice:
		if en.Len() != tr.Len() {
			c.add(path, "%d entries, English has %d", tr.Len(), en.Len())
			return
		}
		for i := range en.Len() {
			c.walk(fmt.Sprintf("%s[%d]", path, i), en.Index(i), tr.Index(i))
		}
	case reflect.Map:
		for _, k := range en.MapKeys() {
			v := tr.MapIndex(k)
			if !v.IsValid() {
				c.add(fmt.Sprintf("%s[%v]", path, k), "missing")
				continue
			}
			c.walk(fmt.Sprintf("%s[%v]", path, k), en.MapIndex(k), v)
		}
	case reflect.Func:
		c.function(path, en, tr)
	}
}

func (c *completeness) text(path, en, tr string) {
	switch {
	case strings.HasPrefix(path, "Details.DOBOrder"): // identifiers, in each language's order
	case strings.HasSuffix(path, ".Code"): // an identifier, the same in every language
		if tr != en {
			c.add(path, "%q, English has %q (same order in every language)", tr, en)
		}
	case strings.TrimSpace(tr) == "" && en != "":
		c.add(path, "empty")
	case tr != "" && strings.EqualFold(tr, en) && !cognates[path]:
		c.add(path, "the same as English: %q", tr)
	}
}

// function calls en and tr with sample arguments of each parameter's type.
func (c *completeness) function(path string, en, tr reflect.Value) {
	if tr.IsNil() {
		c.add(path, "missing")
		return
	}
	for _, args := range sampleArgs(en.Type()) {
		got := tr.Call(args)[0].String()
		want := en.Call(args)[0].String()
		c.text(fmt.Sprintf("%s%v", path, args), want, got)
	}
}

func sampleArgs(ft reflect.Type) [][]reflect.Value {
	calls := [][]reflect.Value{nil}
	for i := range ft.NumIn() {
		var values []reflect.Value
		switch t := ft.In(i); t {
		case reflect.TypeFor[int]():
			for _, n := range sampleInts {
				values = append(values, reflect.ValueOf(n))
			}
		case reflect.TypeFor[bool]():
			values = append(values, reflect.ValueOf(false), reflect.ValueOf(true))
		case reflect.TypeFor[time.Time]():
			values = append(values, reflect.ValueOf(time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC)), reflect.ValueOf(time.Date(2026, 12, 5, 17, 5, 0, 0, time.UTC)))
		case reflect.TypeFor[time.Weekday]():
			for d := time.Sunday; d <= time.Saturday; d++ {
				values = append(values, reflect.ValueOf(d))
			}
		case reflect.TypeFor[string]():
			values = append(values, reflect.ValueOf("America/Chicago"), reflect.ValueOf("Xx"))
		case reflect.TypeFor[[]string]():
			values = append(values, reflect.ValueOf([]string{"Aa", "Bb", "Cc"}))
		case reflect.TypeFor[Search]():
			values = append(values, reflect.ValueOf(Search{VisitType: "Vv", Length: "Ll", From: "Ff", To: "Tt"}),
				reflect.ValueOf(Search{VisitType: "Vv", Length: "Ll", From: "Ff", To: "Tt", Days: []time.Weekday{1, 3},
					Bands: []booking.Band{booking.Morning}, Providers: []string{"Pp"}, Locations: []string{"Qq"}}))
		default:
			panic("sampleArgs: no sample of " + t.String())
		}
		var next [][]reflect.Value
		for _, call := range calls {
			for _, v := range values {
				next = append(next, append(append([]reflect.Value(nil), call...), v))
			}
		}
		calls = next
	}
	return calls
}

func join1(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// TestSpanishIsComplete: every page, error and notice has Spanish words of its own.
func TestSpanishIsComplete(t *testing.T) {
	for _, p := range checkComplete(English, Spanish) {
		t.Error(p)
	}
}

// TestCompletenessCheckFails proves the check above can fail: a Spanish table with one
// message emptied, one left in English and one problem sentence missing is refused, and each
// is named.
func TestCompletenessCheckFails(t *testing.T) {
	broken := *Spanish
	broken.Reason.Heading = ""
	broken.Details.Continue = English.Details.Continue
	broken.Problems = map[booking.Msg]string{}
	for k, v := range Spanish.Problems {
		if k != booking.MsgDOBFuture {
			broken.Problems[k] = v
		}
	}
	got := strings.Join(checkComplete(English, &broken), "\n")
	for _, want := range []string{"Reason.Heading: empty", "Details.Continue: the same as English", "Problems[dob.future]: missing"} {
		if !strings.Contains(got, want) {
			t.Errorf("the check missed %q; it said:\n%s", want, got)
		}
	}
}

// TestEveryMessageHasWords: each booking.Msg constant (read from booking's source, so a new
// one cannot be forgotten) has a sentence in every language.
func TestEveryMessageHasWords(t *testing.T) {
	msgs := messageConstants(t)
	if len(msgs) < 40 {
		t.Fatalf("found %d booking.Msg constants; is the parser looking in the right place?", len(msgs))
	}
	for _, m := range Supported {
		for _, msg := range msgs {
			if strings.TrimSpace(m.Problems[booking.Msg(msg)]) == "" {
				t.Errorf("%s: no words for booking.Msg %q", m.Lang, msg)
			}
		}
	}
}

// messageConstants parses package booking and returns the value of every constant of type Msg.
func messageConstants(t *testing.T) []string {
	return bookingConstants(t, func(_ string, typ ast.Expr) bool {
		id, ok := typ.(*ast.Ident)
		return ok && id.Name == "Msg"
	})
}

// TestEveryAuditActionHasWords: each booking.Audit* action (read from booking's source) is in
// booking.AuditActions, which the audit log's filter lists, and has a name in every language.
func TestEveryAuditActionHasWords(t *testing.T) {
	actions := bookingConstants(t, func(name string, typ ast.Expr) bool {
		return typ == nil && strings.HasPrefix(name, "Audit") && len(name) > len("Audit")
	})
	if len(actions) < 10 {
		t.Fatalf("found %d audit actions; is the parser looking in the right place?", len(actions))
	}
	for _, a := range actions {
		if !slices.Contains(booking.AuditActions, a) {
			t.Errorf("booking.AuditActions lacks %q: the audit log cannot filter by it", a)
		}
		for _, m := range Supported {
			if strings.TrimSpace(m.Desk.Actions[a]) == "" {
				t.Errorf("%s: no name for the audit action %q", m.Lang, a)
			}
		}
	}
}

// bookingConstants parses package booking and returns the value of every string constant
// keep accepts by its name and declared type (nil when untyped).
func bookingConstants(t *testing.T, keep func(name string, typ ast.Expr) bool) []string {
	t.Helper()
	entries, err := os.ReadDir("../../booking")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("../../booking", e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, name := range vs.Names[:min(len(vs.Names), len(vs.Values))] {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if ok && lit.Kind == token.STRING && keep(name.Name, vs.Type) {
						out = append(out, strings.Trim(lit.Value, `"`))
					}
				}
			}
		}
	}
	return out
}
