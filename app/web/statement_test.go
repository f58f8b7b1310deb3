package web_test

import (
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestAccessibilityStatement: the statement has what BITV 2.0 § 12 and the
// EU model statement require, in German and English: the conformance
// status with the known limitations (not a claim of full conformance),
// date and method of the evaluation, feedback by e-mail and telephone from
// the configuration besides the form, the enforcement procedure with its
// links, and an explanation in Leichte Sprache.
func TestAccessibilityStatement(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithConfig(func(c *platform.Config) {
		c.A11yEmail, c.A11yPhone = "barrierefreiheit@leipzig.example", "+49 341 123-4567"
	}))
	want := map[string][]string{
		"de": {"teilweise mit der BITV 2.0 vereinbar", "Nicht barrierefreie Inhalte", "Beiträge und Karten von Nutzerinnen und Nutzern",
			"am 4. Dezember 2026 erstellt", "Selbstbewertung", "axe-core", "Nu HTML Checker", "mit der Tastatur und ohne JavaScript",
			"E-Mail: barrierefreiheit@leipzig.example", "Telefon: +49 341 123-4567", "Durchsetzungsverfahren",
			"Durchsetzungsstelle des Freistaates Sachsen", "Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz",
			"In Leichter Sprache", "Finden Sie ein Problem auf der Seite?"},
		"en": {"partially compliant with BITV 2.0", "Non-accessible content", "prepared on 4 December 2026", "self-assessment",
			"Email: barrierefreiheit@leipzig.example", "Telephone: +49 341 123-4567", "Enforcement procedure",
			"conciliation body under § 16", "In plain English"},
	}
	for lang, sentences := range want {
		res := a.Client(t).Get("/barrierefreiheit?lang=" + lang)
		text := res.Text()
		for _, s := range sentences {
			if !strings.Contains(text, s) {
				t.Errorf("%s statement lacks %q", lang, s)
			}
		}
		for _, claim := range []string{"Diese Website ist mit den Anforderungen der BITV 2.0 (WCAG 2.1, Konformitätsstufe AA) vereinbar", "This website complies with BITV 2.0"} {
			if strings.Contains(text, claim) {
				t.Errorf("%s statement still claims full conformance", lang)
			}
		}
		links := map[string]string{}
		for _, sel := range []string{`a[href="https://www.schlichtungsstelle-bgg.de"]`, `a[href="https://www.behindertenbeauftragter.sachsen.de"]`,
			`a[href="mailto:barrierefreiheit@leipzig.example"]`, `a[href="tel:+493411234567"]`} {
			if res.Doc.Find("main "+sel).Length() == 0 {
				links[sel] = "missing"
			}
		}
		for sel := range links {
			t.Errorf("%s statement has no link %s", lang, sel)
		}
		if res.Doc.Find("main form[action='/rueckmeldung']").Length() != 1 {
			t.Errorf("%s statement lost its feedback form", lang)
		}
	}
}
