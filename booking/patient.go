package booking

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// PatientForm is what a patient types on the details step, as typed.
type PatientForm struct {
	FirstName string
	LastName  string
	DOB       string // YYYY-MM-DD or M/D/YYYY as one field (scripts, older forms); else the parts
	DOBYear   string // the date of birth typed in three fields, in the page's order
	DOBMonth  string
	DOBDay    string
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
	nanp      = regexp.MustCompile(`^\+1[2-9][0-9]{2}[2-9][0-9]{6}$`)
	mrnRe     = regexp.MustCompile(`^[A-Za-z0-9\-]{1,20}$`)
	dnsLabel  = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
)

// patientLanguages are the ISO 639-1 codes a patient may give as their preferred language,
// in the order the form lists them; views/i18n names each in every language.
var patientLanguages = []string{"en", "es", "zh", "vi", "ar", "ko", "ru", "tl", "fr", "ht", "pt", "de",
	"hi", "ta", "so", "pl", "ja", "it", "uk", "fa"}

// PatientLanguages returns the codes a patient may prefer, in form order.
func PatientLanguages() []string { return slices.Clone(patientLanguages) }

// Limits on what a patient types. Names are counted in characters, emails in bytes (RFC 5321).
const (
	MaxNameChars  = 60
	MaxEmailBytes = 254
	MaxEmailLocal = 64
)

// NormalizePhone turns a US 10-digit number or an international +number into E.164. North
// American numbers must follow the numbering plan (area code and exchange not starting with
// 0 or 1); others need a plausible length (8 to 15 digits).
func NormalizePhone(s string) (string, bool) {
	s = phoneJunk.ReplaceAllString(CleanText(s), "")
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
	if strings.HasPrefix(s, "+1") {
		return s, nanp.MatchString(s)
	}
	return s, e164.MatchString(s)
}

// validEmail checks an address as a mail server would: one address, within the RFC 5321
// lengths, a domain of at least two valid labels.
func validEmail(e string) bool {
	if len(e) > MaxEmailBytes {
		return false
	}
	a, err := mail.ParseAddress(e)
	at := strings.LastIndexByte(e, '@')
	if err != nil || a.Address != e || at < 1 || at > MaxEmailLocal {
		return false
	}
	labels := strings.Split(strings.ToLower(e[at+1:]), ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !dnsLabel.MatchString(l) {
			return false
		}
	}
	return true
}

// Validate checks the form and returns the patient to book, or the errors beside each field.
// today is the clinic's current date, used to check the date of birth.
func (f PatientForm) Validate(today time.Time) (Patient, FieldErrors) {
	fe := FieldErrors{}
	p := Patient{Language: strings.ToLower(CleanText(f.Language))}
	p.FirstName, p.LastName = CleanText(f.FirstName), CleanText(f.LastName)
	checkName(fe, "first_name", p.FirstName, MsgFirstNameMissing, MsgFirstNameLong, MsgFirstNameLetters)
	checkName(fe, "last_name", p.LastName, MsgLastNameMissing, MsgLastNameLong, MsgLastNameLetters)
	p.DOB = checkDOB(fe, f.birthDate(), today)
	phone, email := CleanText(f.Phone), CleanText(f.Email)
	if phone != "" {
		if n, ok := NormalizePhone(phone); ok {
			p.Phone = n
		} else {
			fe["phone"] = MsgPhoneFormat
		}
	}
	switch {
	case email == "":
	case len(email) > MaxEmailBytes:
		fe["email"] = MsgEmailLong
	case !validEmail(email):
		fe["email"] = MsgEmailFormat
	default:
		p.Email = email
	}
	if phone == "" && email == "" {
		fe["phone"] = MsgContactMissing
	}
	if p.Language != "" && !slices.Contains(patientLanguages, p.Language) {
		fe["language"] = MsgLanguageUnknown
	}
	if m := CleanText(f.MRN); m != "" {
		if !mrnRe.MatchString(m) {
			fe["mrn"] = MsgMRNFormat
		} else {
			p.Identifiers = append(p.Identifiers, Identifier{ID: m, IDType: "MR"})
		}
	}
	return p, fe
}

// checkName records the error a name has, if any: missing, too long, or without a letter
// (only digits, symbols or invisible characters).
func checkName(fe FieldErrors, field, name string, missing, long, letters Msg) {
	switch {
	case name == "":
		fe[field] = missing
	case utf8.RuneCountInString(name) > MaxNameChars:
		fe[field] = long
	case !hasLetter(name):
		fe[field] = letters
	}
}

// birthDate is the date of birth as typed: the one field when given, else the three parts
// as YYYY-MM-DD (numbers that cannot be a date stay as typed, to be refused).
func (f PatientForm) birthDate() string {
	if d := CleanText(f.DOB); d != "" {
		return d
	}
	y, m, d := CleanText(f.DOBYear), CleanText(f.DOBMonth), CleanText(f.DOBDay)
	if y == "" && m == "" && d == "" {
		return ""
	}
	yi, err1 := strconv.Atoi(y)
	mi, err2 := strconv.Atoi(m)
	di, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil || len(y) != 4 {
		return y + "-" + m + "-" + d
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
}

// checkDOB returns the date of birth as YYYY-MM-DD, or records why it is not one: the date
// input's YYYY-MM-DD, or M/D/YYYY typed where there is no date input, not in the future and
// not over 125 years ago.
func checkDOB(fe FieldErrors, typed string, today time.Time) string {
	dob, err := time.Parse(time.DateOnly, normalDate(typed))
	switch {
	case typed == "":
		fe["dob"] = MsgDOBMissing
	case err != nil:
		fe["dob"] = MsgDOBFormat
	case dob.After(today):
		fe["dob"] = MsgDOBFuture
	case dob.Before(today.AddDate(-125, 0, 0)):
		fe["dob"] = MsgDOBOld
	default:
		return dob.Format(time.DateOnly)
	}
	return ""
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
