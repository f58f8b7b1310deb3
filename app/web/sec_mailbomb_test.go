package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

func outboxTotal(t *testing.T, a *testenv.App) int64 {
	t.Helper()
	_, n, err := a.Store.ListOutbox(context.Background(), storeOutboxAll)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMailBombingIsLimited: 60 anonymous reset or sign-up requests for one
// address put at most the per-address limit into the outbox, 60 requests
// for different addresses from one IP at most the per-IP limit; every
// request gets the same answer page (issue 11, item 8).
func TestMailBombingIsLimited(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	a.CreateUser(t, "ziel@example.org", "Zielperson", app.RoleCitizen)
	c := a.Client(t)
	for i := 0; i < 60; i++ {
		res := c.PostForm("/passwort/vergessen", url.Values{"email": {"ziel@example.org"}})
		if res.Status != http.StatusOK || res.URL.Path != "/passwort/vergessen/gesendet" {
			t.Fatalf("reset request %d: %d %s", i, res.Status, res.URL.Path)
		}
	}
	for i := 0; i < 60; i++ {
		res := c.PostForm("/registrieren", url.Values{"email": {"ziel@example.org"}, "display_name": {fmt.Sprintf("Neu %d", i)},
			"password": {"ein langes Passwort"}, "privacy_consent": {"true"}})
		if res.Status != http.StatusOK || res.URL.Path != "/registrieren/danke" {
			t.Fatalf("sign-up %d: %d %s", i, res.Status, res.URL.Path)
		}
	}
	if n := outboxTotal(t, a); n > 5 {
		t.Fatalf("%d mails to one address after 120 requests (limit 5 per hour)", n)
	} else if n == 0 {
		t.Fatal("not even the first mail was queued")
	}

	// One IP, many addresses.
	before := outboxTotal(t, a)
	for i := 0; i < 60; i++ {
		a.CreateUser(t, fmt.Sprintf("viele%d@example.org", i), fmt.Sprintf("Viele %d", i), app.RoleCitizen)
		res := c.PostForm("/passwort/vergessen", url.Values{"email": {fmt.Sprintf("viele%d@example.org", i)}})
		if res.URL.Path != "/passwort/vergessen/gesendet" {
			t.Fatalf("reset request %d: %d %s", i, res.Status, res.URL.Path)
		}
	}
	if n := outboxTotal(t, a) - before; n > 20 {
		t.Fatalf("%d mails from one IP after 60 requests (limit 20 per hour)", n)
	}
	// An hour later the address gets mail again.
	a.Clock.Advance(61 * 60 * 1e9)
	before = outboxTotal(t, a)
	c.PostForm("/passwort/vergessen", url.Values{"email": {"ziel@example.org"}})
	if outboxTotal(t, a) != before+1 {
		t.Fatal("no reset mail after the hour")
	}
}
