package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/i18n"
)

// Form carries what a person submitted and what was wrong with it, so the
// page can be rendered again with the values kept, an error next to each
// field and a summary at the top.
type Form struct {
	Values  url.Values
	Errors  map[string]string
	Order   []string
	Message string
	// Labels names the fields of Order as the page labels them (filled in
	// by render, see fieldLabels).
	Labels map[string]string
}

// SummaryEntry is one line of the error summary: "Anzeigename: Bitte …".
type SummaryEntry struct {
	ID, Label, Msg string
}

// Summary lists the errors in the order of the form, each with the name of
// its field.
func (f *Form) Summary() []SummaryEntry {
	if f == nil {
		return nil
	}
	out := make([]SummaryEntry, 0, len(f.Order))
	for _, name := range f.Order {
		out = append(out, SummaryEntry{ID: "f-" + name, Label: f.Labels[name], Msg: f.Errors[name]})
	}
	return out
}

// HasErrors reports whether there is anything to show in the summary.
func (f *Form) HasErrors() bool { return f != nil && (len(f.Errors) > 0 || f.Message != "") }

// newForm builds a form from submitted values and the error of the action.
// Secrets are never sent back.
func newForm(values url.Values, err error, loc *i18n.Localizer) *Form {
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	for k, vals := range values {
		if strings.Contains(k, "password") || k == "_csrf" {
			continue
		}
		f.Values[k] = vals
	}
	if err == nil {
		return f
	}
	e, ok := app.AsError(err)
	if !ok {
		e = app.Internal(err)
	}
	for _, fe := range e.Fields {
		if _, dup := f.Errors[fe.Field]; dup {
			continue
		}
		f.Errors[fe.Field] = loc.Msg(fe.Msg)
		f.Order = append(f.Order, fe.Field)
	}
	if len(e.Fields) == 0 {
		f.Message = loc.Msg(e.Msg)
	}
	return f
}

// Field is what the "field" partial renders: a label tied to its input, an
// optional hint, and the error linked through aria-describedby.
type Field struct {
	V            *View
	Name         string
	Type         string
	Label        string
	Hint         string
	Autocomplete string
	Required     bool
	Rows         int
	Max          int
	Options      []Option
	Groups       []OptGroup
	Empty        string
	// Lang is the language of the field's content when that is content
	// (a chapter's text, the choice of chapter titles) rather than text of
	// the page: option "content".
	Lang string
}

// ID is the element id of the input.
func (f Field) ID() string { return "f-" + f.Name }

// Value is the submitted value, or the default the handler put in the form.
func (f Field) Value() string { return f.V.Value(f.Name) }

// InputValue is the value for the input's value attribute. A date field
// keeps only a well-formed date: browsers drop anything else anyway, and
// the message next to the field says what was wrong with it.
func (f Field) InputValue() string {
	v := f.Value()
	if f.Type == "date" {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return ""
		}
	}
	return v
}

// Error is the translated error for the field.
func (f Field) Error() string { return f.V.Error(f.Name) }

// DescribedBy lists the ids of the hint and the error.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Error() != "" {
		ids = append(ids, f.ID()+"-error")
	}
	if f.Hint != "" {
		ids = append(ids, f.ID()+"-hint")
	}
	return strings.Join(ids, " ")
}

// Checked reports whether a checkbox was ticked.
func (f Field) Checked() bool { v := f.Value(); return v == "true" || v == "on" || v == "1" }

// field builds a Field for the partial: {{template "field" (field $ "email" "email" "account.email" "required" "autocomplete=email")}}.
// Options: required, hint=ID, autocomplete=X, rows=N, max=N, empty=ID,
// content (the choices are content in the content language).
func field(v *View, name, typ, label string, opts ...string) Field {
	f := Field{V: v, Name: name, Type: typ, Label: label}
	for _, o := range opts {
		key, val, _ := strings.Cut(o, "=")
		switch key {
		case "required":
			f.Required = true
		case "hint":
			f.Hint = val
		case "autocomplete":
			f.Autocomplete = val
		case "rows":
			f.Rows = atoiDefault(val, 5)
		case "max":
			f.Max = atoiDefault(val, 0)
		case "empty":
			f.Empty = val
		case "content":
			f.Lang = contentLang
		}
	}
	return f
}

// withOptions adds choices to a select field.
func withOptions(f Field, opts []Option) Field { f.Options = opts; return f }

// withGroups adds grouped choices to a select field.
func withGroups(f Field, groups []OptGroup) Field { f.Groups = groups; return f }
