package app

import (
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Validator collects field errors; the first error per field wins so that a
// person sees one clear message next to each field.
type Validator struct {
	fields []FieldError
}

// Add records an error for field unless the field already has one.
func (v *Validator) Add(field, id string, kv ...any) {
	if v.Has(field) {
		return
	}
	v.fields = append(v.fields, FieldError{Field: field, Msg: M(id, kv...)})
}

// Has reports whether field already has an error.
func (v *Validator) Has(field string) bool {
	for _, f := range v.fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns nil or an Invalid error holding every field error.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return Invalid(v.fields...)
}

// Line checks a single-line text: valid UTF-8, no control or direction
// override characters, at most max characters, present when required.
func (v *Validator) Line(field, value string, required bool, max int) {
	v.text(field, value, required, max, false)
}

// Text checks a multi-line text like Line but allows line breaks and tabs.
func (v *Validator) Text(field, value string, required bool, max int) {
	v.text(field, value, required, max, true)
}

func (v *Validator) text(field, value string, required bool, max int, multiline bool) {
	switch {
	case !utf8.ValidString(value):
		v.Add(field, "form.invalid_utf8")
	case required && strings.TrimSpace(value) == "":
		v.Add(field, "form.required")
	case utf8.RuneCountInString(value) > max:
		v.Add(field, "form.too_long", "Max", max)
	case HasForbiddenRunes(value, multiline):
		v.Add(field, "form.forbidden_characters")
	}
}

// HasForbiddenRunes finds control characters and Unicode direction controls,
// which can make a text display differently from what it says.
func HasForbiddenRunes(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || isBidiControl(r) {
			return true
		}
	}
	return false
}

func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F || r == 0x061C
}

// CleanLine trims a single-line input and brings it into Unicode NFC form so
// that equal-looking names compare equal. Invalid UTF-8 is left untouched for
// the validator to report.
func CleanLine(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	return norm.NFC.String(strings.TrimSpace(s))
}

// CleanText is CleanLine for multi-line text; it also unifies line endings.
func CleanText(s string) string {
	if !utf8.ValidString(s) {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return norm.NFC.String(strings.TrimSpace(s))
}

// MaxEmailLength is the longest address SMTP allows.
const MaxEmailLength = 254

// NormalizeEmail lower-cases and trims an address.
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// Email checks an email address: one plain address with a domain that has a dot.
func (v *Validator) Email(field, value string) {
	switch {
	case !utf8.ValidString(value):
		v.Add(field, "form.invalid_utf8")
	case value == "":
		v.Add(field, "form.required")
	case len(value) > MaxEmailLength:
		v.Add(field, "form.too_long", "Max", MaxEmailLength)
	case !ValidEmail(value):
		v.Add(field, "form.email_invalid")
	}
}

// ValidEmail reports whether s is a plain address like name@example.org.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 {
		return false
	}
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") &&
		!strings.ContainsAny(s, " \t\r\n<>\"")
}

// ParseDate reads a day in Berlin time written as TT.MM.JJJJ or JJJJ-MM-TT
// (what a date input sends) and returns its start in UTC; empty is nil.
func ParseDate(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, Berlin)
	if err != nil {
		if t, err = time.ParseInLocation("02.01.2006", s, Berlin); err != nil {
			return nil, err
		}
	}
	u := t.UTC()
	return &u, nil
}

// DateRange reads a period of whole days (see ParseDate; an empty end is
// open). Bad dates are reported on their field ("results.date_invalid"), an
// end before the start on toField ("results.period_invalid"). It returns the
// start of the first day and the start of the day after the last, in UTC;
// nil for an empty or bad end.
func (v *Validator) DateRange(fromField, from, toField, to string) (start, end *time.Time) {
	start, errFrom := ParseDate(from)
	last, errTo := ParseDate(to)
	if errFrom != nil {
		v.Add(fromField, "results.date_invalid")
	}
	if errTo != nil {
		v.Add(toField, "results.date_invalid")
	}
	if start != nil && last != nil && last.Before(*start) {
		v.Add(toField, "results.period_invalid")
	}
	if last != nil {
		e := last.In(Berlin).AddDate(0, 0, 1).UTC()
		end = &e
	}
	return start, end
}
