package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
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

// a11yPageNamed is the page type of the crawl with that name.
func a11yPageNamed(t *testing.T, name string) a11yPage {
	t.Helper()
	for _, p := range a11yPages {
		if p.name == name {
			return p
		}
	}
	t.Fatalf("no page type %q in a11yPages", name)
	return a11yPage{}
}

// TestLanguageSwitchAfterFailedSubmit submits forms without JavaScript
// (plain HTTP, as a browser without scripts does) so that they fail, then
// uses the language switcher on the re-rendered page: it must not lead to
// a 404 (the POST address has no GET page) and the input must still be
// there, in English, with the errors in English.
func TestLanguageSwitchAfterFailedSubmit(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	citizen := a.CreateUser(t, "switch@example.org", "Sprachwechsel", app.RoleCitizen)
	long := func(n int) string { return "Marker-Eingabe " + strings.Repeat("x", n) }
	cases := []struct {
		page, form, field string
		value             func(page *testenv.Response) string
		as                *app.User
	}{
		{page: "accessibility statement", form: "main form[action='/rueckmeldung']", field: "name",
			value: func(*testenv.Response) string { return "Erika Marker" }},
		{page: "draft chapter comment errors", form: "form#kommentar-formular", field: "body", as: citizen,
			value: func(*testenv.Response) string { return long(5001) }},
		{page: "board new with errors", form: "main form", field: "title", as: citizen,
			value: func(*testenv.Response) string { return long(300) }},
		{page: "board as host (collect)", form: "form#add-card-form", field: "text", as: citizen,
			value: func(*testenv.Response) string { return long(501) }},
		{page: "event selection form", form: "main form[action$='/anmelden']", field: "answer_age", as: citizen,
			value: func(p *testenv.Response) string {
				return p.Doc.Find("#f-answer_age option[value!='']").First().AttrOr("value", "")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.page, func(t *testing.T) {
			c := a.Client(t)
			if tc.as != nil {
				c = a.SessionClient(t, tc.as)
			}
			p := a11yPageNamed(t, tc.page)
			path := p.path
			if p.prepare != nil {
				path = p.prepare(t, a, tc.as)
			}
			page := c.Get(path + "?lang=de")
			if page.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, page.Status)
			}
			want := tc.value(page)
			if want == "" {
				t.Fatal("no value to type")
			}
			failed := c.Submit(page, tc.form, url.Values{tc.field: {want}})
			if failed.Status < 400 || failed.Doc.Find("#error-summary").Length() == 0 {
				t.Fatalf("the submit did not fail: %d %s", failed.Status, failed.URL)
			}
			switched := c.Submit(failed, ".lang-switch form:has(button[lang='en'])", nil)
			if switched.Status == http.StatusNotFound || switched.Status == http.StatusMethodNotAllowed {
				t.Fatalf("language switch answered %d at %s", switched.Status, switched.URL)
			}
			if lang := switched.Doc.Find("html").AttrOr("lang", ""); lang != "en" {
				t.Fatalf("after the switch the page is in %q, status %d", lang, switched.Status)
			}
			if switched.Doc.Find("#error-summary").Length() == 0 {
				t.Error("the errors are gone after the switch")
			}
			el := switched.Doc.Find("#f-" + tc.field)
			got := el.AttrOr("value", "")
			switch goquery.NodeName(el) {
			case "textarea":
				got = el.Text()
			case "select":
				got = el.Find("option[selected]").AttrOr("value", "")
			}
			if got != want {
				t.Errorf("input lost in the switch: %q, want %q", trunc(got), trunc(want))
			}
			// And back: German again, input still there.
			back := c.Submit(switched, ".lang-switch form:has(button[lang='de'])", nil)
			if lang := back.Doc.Find("html").AttrOr("lang", ""); lang != "de" || back.Status == http.StatusNotFound {
				t.Errorf("switching back: %d, lang %q", back.Status, lang)
			}
		})
	}
}

func trunc(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// TestLoginWordingApartFromRegistration: "anmelden" is what a person does
// for an event; for the account the pages say "einloggen" and "Konto", so
// that no sentence asks to "sich anmelden, um sich anzumelden".
func TestLoginWordingApartFromRegistration(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ev := createEvent(t, a)
	c := a.Client(t)
	page := c.Get(eventURL(ev) + "?lang=de")
	text := page.Text()
	if !strings.Contains(text, "loggen Sie sich bitte ein oder legen Sie ein Konto an") {
		t.Errorf("event page for a visitor: %q", text)
	}
	if strings.Contains(text, "melden Sie sich an, um") {
		t.Errorf("event page mixes login and registration: %q", text)
	}
	nav := strings.Join(strings.Fields(page.Doc.Find(".user-nav").Text()), " ")
	if !strings.Contains(nav, "Einloggen") || !strings.Contains(nav, "Konto anlegen") {
		t.Errorf("header offers %q", nav)
	}
	if h1 := strings.TrimSpace(c.Get("/anmelden?lang=de").Doc.Find("main h1").Text()); h1 != "Einloggen" {
		t.Errorf("login page h1 %q", h1)
	}
}
