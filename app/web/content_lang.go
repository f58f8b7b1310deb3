package web

import (
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/mitwirken/mitwirken/app"
)

// contentLang is the language people and admins write in: the platform's
// content is German. On an English page every piece of it keeps
// lang="de" (WCAG 3.1.2), or screen readers read it with English
// pronunciation.
const contentLang = "de"

// A11yPhoneURL is the tel: link of the accessibility contact's number.
func (s *Site) A11yPhoneURL() template.URL {
	digits := strings.Map(func(r rune) rune {
		if r == '+' || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, s.A11yPhone)
	return template.URL("tel:" + digits)
}

// ContentLang is the language of content, for lang attributes:
// <p lang="{{$.ContentLang}}">{{.Body}}</p>.
func (v *View) ContentLang() string { return contentLang }

// contentArg is a message argument that is content (see TC).
type contentArg struct{ text, lang string }

// C marks text as content for TC: {{$.TC "draft.comment_on_title" "Chapter" ($.C .Title)}}.
func (v *View) C(text string) contentArg { return contentArg{text: text, lang: contentLang} }

// MsgC translates a domain message whose arguments named in keys are
// content (see TC): {{$.MsgC . "Category" "Value"}}.
func (v *View) MsgC(m app.Msg, keys ...string) template.HTML {
	args := make([]any, 0, 2*len(m.Args))
	for k, val := range m.Args {
		if s, ok := val.(string); ok && slices.Contains(keys, k) {
			val = v.C(s)
		}
		args = append(args, k, val)
	}
	return v.TC(m.ID, args...)
}

// TC translates a message that carries content inside a sentence of the
// page's language ("Comment on “Fachkonzept Wohnen”"): the message is
// escaped as text and each content argument is set in its own
// <span lang="de">.
func (v *View) TC(id string, args ...any) template.HTML {
	spans := map[string]string{}
	plain := make([]any, len(args))
	for i, a := range args {
		c, ok := a.(contentArg)
		if !ok {
			plain[i] = a
			continue
		}
		// Private-use characters never occur in the catalogs and survive
		// escaping unchanged.
		mark := fmt.Sprintf("\uE000%d\uE001", i)
		spans[mark] = `<span lang="` + c.lang + `">` + template.HTMLEscapeString(c.text) + `</span>`
		plain[i] = mark
	}
	out := template.HTMLEscapeString(v.T(id, plain...))
	for mark, span := range spans {
		out = strings.ReplaceAll(out, mark, span)
	}
	return template.HTML(out)
}

// CL marks text as content in a given language for TC (a mail's subject in
// the recipient's language).
func (v *View) CL(text, lang string) contentArg {
	if lang == "" {
		lang = contentLang
	}
	return contentArg{text: text, lang: lang}
}
