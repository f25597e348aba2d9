package booking

import (
	"encoding/json"
	"strings"
)

// DefaultLang is the language of clinic text given as a plain string, and the language the
// EHR is spoken to in.
const DefaultLang = "en"

// Text is clinic-written text (a reason's label, a visit type's name, what to bring) in one or
// more languages, keyed by ISO 639-1 code: {"en": "Knee pain", "es": "Dolor de rodilla"}. A
// clinic file may give a plain string, which is DefaultLang.
type Text map[string]string

// In is the text in lang, falling back to DefaultLang and then to any language given, so a
// clinic that wrote only English still shows something to a Spanish-speaking patient.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t[DefaultLang]; s != "" {
		return s
	}
	for _, s := range t {
		return s
	}
	return ""
}

// String is the text in DefaultLang: what the EHR and the clinic's staff read.
func (t Text) String() string { return t.In(DefaultLang) }

// UnmarshalYAML accepts a plain string or a mapping of language to string. It uses yaml.v3's
// function form, so this package need not import a YAML library.
func (t *Text) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err == nil {
		*t = Text{DefaultLang: s}
		return nil
	}
	var m map[string]string
	if err := unmarshal(&m); err != nil {
		return err
	}
	*t = m
	return nil
}

// UnmarshalJSON accepts a JSON string or an object of language to string.
func (t *Text) UnmarshalJSON(b []byte) error {
	if s := strings.TrimSpace(string(b)); strings.HasPrefix(s, `"`) {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*t = Text{DefaultLang: v}
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*t = m
	return nil
}

// Texts is a list of clinic-written lines (instructions), each in one or more languages.
type Texts []Text

// In is every line in lang.
func (ts Texts) In(lang string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(lang)
	}
	return out
}

// En is shorthand for English-only clinic text, for tests and code-built catalogues.
func En(s string) Text { return Text{DefaultLang: s} }
