package web_test

import (
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/testenv"
)

// summaryEntry is one link of an error summary as Chromium shows it, with
// the name of the field it points to.
type summaryEntry struct {
	Href, Text, Target, Label string
}

// TestErrorSummaryNamesFields submits every form of the crawl that has an
// "errors" page type empty and checks the summary: each entry links to an
// element that exists and reads "<label of that field>: <message>" in the
// page's language, and no two entries read the same (WCAG 3.3.1, 2.4.4).
func TestErrorSummaryNamesFields(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	seen := 0
	crawlA11yPagesWhere(t, a, []string{"de", "en"}, func(p a11yPage) bool { return p.submit != "" }, func(t *testing.T, p *crawledPage) {
		entries := testenv.Eval[[]summaryEntry](t, p.Tab, `(() => {
			const name = el => {
				if (!el) return "";
				let l = el.id ? document.querySelector('label[for="' + CSS.escape(el.id) + '"]') : null;
				if (!l && el.tagName === "FIELDSET") l = el.querySelector(":scope > legend");
				if (!l && el.getAttribute("aria-labelledby")) l = document.getElementById(el.getAttribute("aria-labelledby").split(" ")[0]);
				if (!l) return el.getAttribute("aria-label") || "";
				const c = l.cloneNode(true);
				c.querySelectorAll(".required, .optional, .visually-hidden, .field-hint, .field-error").forEach(n => n.remove());
				return c.textContent.replace(/\s+/g, " ").trim().replace(/[:\s]+$/, "");
			};
			return [...document.querySelectorAll("#error-summary li a")].map(a => {
				const href = a.getAttribute("href") || "";
				const el = href.startsWith("#") ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
				return {Href: href, Text: a.textContent.replace(/\s+/g, " ").trim(), Target: el ? el.tagName : "", Label: name(el)};
			});
		})()`)
		texts := map[string]bool{}
		for _, e := range entries {
			seen++
			switch {
			case e.Target == "":
				t.Errorf("%s: summary entry %q links to %q, which is not on the page", p.label(), e.Text, e.Href)
			case e.Label == "":
				t.Errorf("%s: the field %s of entry %q has no label", p.label(), e.Href, e.Text)
			case !strings.HasPrefix(e.Text, e.Label+": ") || len(e.Text) <= len(e.Label)+2:
				t.Errorf("%s: summary entry %q does not read %q", p.label(), e.Text, e.Label+": …")
			}
			if texts[e.Text] {
				t.Errorf("%s: summary entry %q twice", p.label(), e.Text)
			}
			texts[e.Text] = true
		}
	})
	if seen == 0 {
		t.Fatal("no error summary entry seen")
	}
}
