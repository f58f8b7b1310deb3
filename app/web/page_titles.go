package web

import (
	"strings"

	"github.com/mitwirken/mitwirken/app"
)

// Page titles that name what the page is about, so that no two pages of a
// kind share a title (WCAG 2.4.2): the data of each page says what to name.

func (d *adminDrawPage) TitleArgs(string) []any        { return []any{"Event", d.Event.Title} }
func (d *eventActionPage) TitleArgs(lang string) []any { return []any{"Event", d.Event.Title} }
func (d *invitationsPage) TitleArgs(lang string) []any { return []any{"Event", d.Event.Title} }
func (p outboxMessagePage) TitleArgs(lang string) []any {
	return []any{"Number", p.ID, "Subject", p.Subject}
}
func (d *boardPage) TitleArgs(lang string) []any { return []any{"Text", d.CardHeading()} }

// maxHeadingText is how much of a text names its page; longer text is cut
// at a word with "…" (the whole text follows on the page).
const maxHeadingText = 60

// CardHeading is the start of the card's text, for its page title and h1.
func (d *boardPage) CardHeading() string {
	if d.Card == nil {
		return ""
	}
	return shortText(d.Card.Text, maxHeadingText)
}

// shortText cuts text to at most n characters at a word boundary.
func shortText(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:–-") + " …"
}

// contentEditPage is the edit form of a content block, named by its title
// in the page's language, as its h1 shows it.
type contentEditPage struct{ *app.ContentBlock }

func (p contentEditPage) TitleArgs(lang string) []any { return []any{"Title", p.Title(lang)} }

func (p *quotaPage) TitleArgs(string) []any { return []any{"Event", p.Event.Title} }

func (d *eventFormPage) TitleArgs(string) []any {
	if d.Event == nil {
		return nil
	}
	return []any{"Event", d.Event.Title}
}
