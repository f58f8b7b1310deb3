package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSignupPseudonymRevealsNoAddress: the probe of the review (sign up the
// target address with a new pseudonym P, then a throwaway address with P)
// answers the same whether the target has an account or not, because an
// unverified sign-up reserves nothing; the conflict is resolved when the
// second address is verified (issue 11, item 4).
func TestSignupPseudonymRevealsNoAddress(t *testing.T) {
	a := testenv.StartApp(t)
	a.CreateUser(t, "bekannt@example.org", "Bekannt", app.RoleCitizen)
	signup := func(email, name string) string {
		c := a.Client(t)
		res := c.Submit(c.Get("/registrieren"), "main form[action='/registrieren']", url.Values{
			"email": {email}, "display_name": {name}, "password": {"ein langes Passwort"}, "privacy_consent": {"true"}})
		return res.URL.Path + " " + res.FieldError("display_name")
	}
	probe := func(target, p string) (string, string) {
		return signup(target, p), signup("wegwerf-"+p+"@example.org", p)
	}
	known1, known2 := probe("bekannt@example.org", "Probe1")
	new1, new2 := probe("unbekannt@example.org", "Probe2")
	if known1 != new1 || known2 != new2 {
		t.Fatalf("answers differ: known address %q/%q, new address %q/%q", known1, known2, new1, new2)
	}
	if !strings.HasPrefix(new2, "/registrieren/danke") {
		t.Fatalf("second sign-up with an unverified pseudonym: %q", new2)
	}
	// Both new addresses verify; the second to verify gets a free variant.
	verify := func(email string) *app.User {
		link := a.Mail.WaitFor(email, "E-Mail-Adresse").Link(t, "/konto/bestaetigen")
		a.Client(t).Get(strings.TrimPrefix(link, a.URL))
		u, err := a.Store.UserByEmail(context.Background(), email)
		if err != nil || !u.Verified() {
			t.Fatalf("%s not verified: %v", email, err)
		}
		return u
	}
	first, second := verify("unbekannt@example.org"), verify("wegwerf-Probe2@example.org")
	if first.DisplayName != "Probe2" || second.DisplayName == "Probe2" || !strings.HasPrefix(second.DisplayName, "Probe2") {
		t.Fatalf("after verification: %q and %q", first.DisplayName, second.DisplayName)
	}
}
