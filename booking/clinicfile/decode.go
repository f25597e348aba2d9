package clinicfile

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"doorway/booking"
)

// Error is a problem in a clinic file, located to its line so the person editing
// the file can jump straight to it: "clinic.yaml:42: templates[3].start: ...".
type Error struct {
	File    string
	Line    int    // 1-based; 0 when the problem has no single line
	Field   string // path in the file, e.g. templates[3].start
	Message string
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	s += ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Message
}

// Unwrap makes errors.Is(err, booking.ErrInvalid) true, so callers map it like any bad input.
func (e *Error) Unwrap() error {
	return booking.Malformed(e.Field, "%s", e.Message)
}

// positions maps a field path ("templates[3].start") to the line it is on.
type positions map[string]int

// line finds the line of field, or of its nearest enclosing field that has one, so that a
// validation error about a missing key still points at the entry it is missing from.
func (p positions) line(field string) int {
	for f := field; f != ""; f = parentPath(f) {
		if l, ok := p[f]; ok {
			return l
		}
	}
	return 0
}

func parentPath(f string) string {
	i := strings.LastIndexAny(f, ".[")
	if i < 0 {
		return ""
	}
	return f[:i]
}

// locate turns a validation error carrying a field path into an Error on its line.
func (p positions) locate(file string, err error) error {
	var pr *problem
	if !errors.As(err, &pr) {
		return &Error{File: file, Message: err.Error()}
	}
	return &Error{File: file, Line: p.line(pr.field), Field: pr.field, Message: pr.message}
}

// yamlLine reads the line number out of yaml.v3's error text, which is the only place it
// gives one for syntax errors ("yaml: line 3: mapping values are not allowed here").
var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// yamlParserError matches the messages of yaml.v3's parser (as opposed to its scanner). For
// those yaml.v3 v3.0.1 prints the 0-based line of the construct being parsed (the opening
// bracket of an unclosed list, say), one less than the line an editor shows.
var yamlParserError = regexp.MustCompile(`^(did not find expected (<document start>|node content|key|'-' indicator|',' or ']'|',' or '}')|found duplicate %|found incompatible YAML document|found undefined tag handle)`)

func syntaxError(file string, err error) error {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return &Error{File: file, Message: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	n, _ := strconv.Atoi(m[1])
	if yamlParserError.MatchString(m[2]) {
		n++
	}
	return &Error{File: file, Line: n, Message: m[2]}
}

// checker walks the YAML node tree against the Go types before decoding. yaml.v3's own
// KnownFields check reports neither the path nor, for nested inline structs, reliably the
// line; walking the tree gives both and records every field's line for later validation
// errors.
type checker struct {
	file string
	pos  positions
}

func (c *checker) errf(line int, field, format string, args ...any) error {
	return &Error{File: c.file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)}
}

func (c *checker) check(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if t == textType {
		return c.checkText(n, path)
	}
	switch t.Kind() {
	case reflect.Pointer:
		return c.check(n, t.Elem(), path)
	case reflect.Struct:
		return c.checkMapping(n, t, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return c.errf(n.Line, path, "expected a list")
		}
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			c.pos[p] = item.Line
			if err := c.check(item, t.Elem(), p); err != nil {
				return err
			}
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return c.errf(n.Line, path, "expected a single value, not a list or mapping")
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
			return c.errf(n.Line, path, "expected a whole number, got %q", n.Value)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return c.errf(n.Line, path, "expected true or false, got %q", n.Value)
		}
	}
	return nil
}

func (c *checker) checkMapping(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind != yaml.MappingNode {
		return c.errf(n.Line, path, "expected a mapping of keys to values")
	}
	fields := map[string]reflect.Type{}
	yamlFields(t, fields)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value == "<<" && k.Tag == "!!merge" {
			// A YAML merge key (<<: *defaults) brings in another mapping's keys.
			if err := c.check(v, t, path); err != nil {
				return err
			}
			continue
		}
		p := k.Value
		if path != "" {
			p = path + "." + k.Value
		}
		ft, ok := fields[k.Value]
		if !ok {
			return c.errf(k.Line, p, "unknown key %q%s", k.Value, suggest(k.Value, fields))
		}
		if first, dup := seen[k.Value]; dup {
			return c.errf(k.Line, p, "duplicate key %q (first at line %d)", k.Value, first)
		}
		seen[k.Value] = k.Line
		c.pos[p] = k.Line
		if err := c.check(v, ft, p); err != nil {
			return err
		}
	}
	return nil
}

// yamlFields collects the YAML keys of struct t, flattening ",inline" fields.
func yamlFields(t reflect.Type, into map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if strings.Contains(opts, "inline") {
			yamlFields(f.Type, into)
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		into[name] = f.Type
	}
}

// suggest names a known key one or two edits away from a misspelt one.
func suggest(key string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for k := range fields {
		if d := editDistance(key, k); d < bestD || (d == bestD && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// textType is clinic-written text: a plain string, or a mapping of language to string.
var textType = reflect.TypeFor[booking.Text]()

// checkText accepts "Knee pain" or {en: Knee pain, es: Dolor de rodilla}: two-letter language
// codes mapped to single values.
func (c *checker) checkText(n *yaml.Node, path string) error {
	switch n.Kind {
	case yaml.ScalarNode:
		return nil
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := path + "." + k.Value
			c.pos[p] = k.Line
			if !langCode.MatchString(k.Value) {
				return c.errf(k.Line, p, "%q is not a two-letter language code like en or es", k.Value)
			}
			if v.Kind != yaml.ScalarNode {
				return c.errf(v.Line, p, "expected a single value, not a list or mapping")
			}
		}
		return nil
	}
	return c.errf(n.Line, path, "expected text, or a mapping of language to text like {en: ..., es: ...}")
}

var langCode = regexp.MustCompile(`^[a-z]{2}$`)
