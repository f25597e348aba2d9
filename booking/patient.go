package booking

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// PatientForm is what a patient types on the details step, as typed.
type PatientForm struct {
	FirstName string
	LastName  string
	DOB       string // YYYY-MM-DD (the date input's format)
	Phone     string
	Email     string
	Language  string
	MRN       string
}

// Field names used by PatientForm errors, in display order.
var PatientFields = []string{"first_name", "last_name", "dob", "phone", "email", "language", "mrn"}

var (
	phoneJunk = regexp.MustCompile(`[\s().\-]`)
	e164      = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)
	mrnRe     = regexp.MustCompile(`^[A-Za-z0-9\-]{1,20}$`)
	langRe    = regexp.MustCompile(`^[a-z]{2}$`)
)

// NormalizePhone turns a US 10-digit number or an international +number into E.164.
func NormalizePhone(s string) (string, bool) {
	s = phoneJunk.ReplaceAllString(strings.TrimSpace(s), "")
	if s == "" {
		return "", false
	}
	if !strings.HasPrefix(s, "+") {
		switch {
		case len(s) == 10:
			s = "+1" + s
		case len(s) == 11 && s[0] == '1':
			s = "+" + s
		default:
			return "", false
		}
	}
	return s, e164.MatchString(s)
}

// Validate checks the form and returns the patient to book, or the errors beside each field.
// today is the clinic's current date, used to check the date of birth.
func (f PatientForm) Validate(today time.Time) (Patient, FieldErrors) {
	fe := FieldErrors{}
	p := Patient{Language: strings.ToLower(strings.TrimSpace(f.Language))}
	p.FirstName = CleanText(f.FirstName)
	p.LastName = CleanText(f.LastName)
	if p.FirstName == "" {
		fe["first_name"] = MsgFirstNameMissing
	} else if len(p.FirstName) > 60 {
		fe["first_name"] = MsgFirstNameLong
	}
	if p.LastName == "" {
		fe["last_name"] = MsgLastNameMissing
	} else if len(p.LastName) > 60 {
		fe["last_name"] = MsgLastNameLong
	}
	dob, err := time.Parse("2006-01-02", strings.TrimSpace(f.DOB))
	switch {
	case strings.TrimSpace(f.DOB) == "":
		fe["dob"] = MsgDOBMissing
	case err != nil:
		fe["dob"] = MsgDOBFormat
	case dob.After(today):
		fe["dob"] = MsgDOBFuture
	case dob.Before(today.AddDate(-125, 0, 0)):
		fe["dob"] = MsgDOBOld
	default:
		p.DOB = dob.Format("2006-01-02")
	}
	if strings.TrimSpace(f.Phone) != "" {
		if n, ok := NormalizePhone(f.Phone); ok {
			p.Phone = n
		} else {
			fe["phone"] = MsgPhoneFormat
		}
	}
	if e := strings.TrimSpace(f.Email); e != "" {
		if a, err := mail.ParseAddress(e); err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
			fe["email"] = MsgEmailFormat
		} else {
			p.Email = e
		}
	}
	if strings.TrimSpace(f.Phone) == "" && strings.TrimSpace(f.Email) == "" {
		fe["phone"] = MsgContactMissing
	}
	if p.Language != "" && !langRe.MatchString(p.Language) {
		fe["language"] = MsgLanguageUnknown
	}
	if m := strings.TrimSpace(f.MRN); m != "" {
		if !mrnRe.MatchString(m) {
			fe["mrn"] = MsgMRNFormat
		} else {
			p.Identifiers = append(p.Identifiers, Identifier{ID: m, IDType: "MR"})
		}
	}
	return p, fe
}

// CleanText is free text as Doorway keeps it: NFC-normalised, without control characters or
// invisible format characters (bidi overrides such as U+202E, zero-width spaces), with runs
// of white space made one space and the ends trimmed.
func CleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			if unicode.IsSpace(r) {
				return ' '
			}
			return -1
		}
		return r
	}, norm.NFC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

// hasLetter reports whether s has at least one letter: a name of digits or symbols only is
// a typing slip.
func hasLetter(s string) bool {
	return strings.ContainsFunc(s, unicode.IsLetter)
}
