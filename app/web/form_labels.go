package web

import (
	"bytes"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// fieldLabels finds, in a rendered page, the visible name of each field
// with an error: the text of its <label for> (without the "Pflichtfeld"
// marker), else the legend of the fieldset or the aria-label carrying its
// id. The error summary then names every field exactly as the page labels
// it, in the page's language, on every form without a second list of
// labels to keep in step (WCAG 3.3.1, 2.4.4).
func fieldLabels(page []byte, names []string) map[string]string {
	labels := make(map[string]string, len(names))
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(page))
	if err != nil {
		return labels
	}
	main := doc.Find("main")
	if main.Length() == 0 {
		main = doc.Selection
	}
	for _, name := range names {
		if l := fieldLabel(main, "f-"+name); l != "" {
			labels[name] = l
		}
	}
	return labels
}

func fieldLabel(root *goquery.Selection, id string) string {
	label := root.Find("label[for]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.AttrOr("for", "") == id
	}).First()
	if label.Length() > 0 {
		return labelText(label)
	}
	el := root.Find("[id]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.AttrOr("id", "") == id
	}).First()
	if el.Length() == 0 {
		return ""
	}
	if l := strings.TrimSpace(el.AttrOr("aria-label", "")); l != "" {
		return l
	}
	if goquery.NodeName(el) == "fieldset" {
		if lg := el.ChildrenFiltered("legend").First(); lg.Length() > 0 {
			return labelText(lg)
		}
	}
	if by := el.AttrOr("aria-labelledby", ""); by != "" {
		var parts []string
		for _, ref := range strings.Fields(by) {
			root.Find("[id]").Each(func(_ int, s *goquery.Selection) {
				if s.AttrOr("id", "") == ref {
					parts = append(parts, labelText(s))
				}
			})
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// labelText is the words of a label without its markers ("(Pflichtfeld)",
// "(freiwillig)") and without text meant only for screen readers.
func labelText(s *goquery.Selection) string {
	c := s.Clone()
	c.Find(".required, .optional, .visually-hidden, .field-hint, .field-error").Remove()
	t := strings.Join(strings.Fields(c.Text()), " ")
	return strings.TrimRight(t, ": ")
}
