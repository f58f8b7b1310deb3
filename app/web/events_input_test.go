package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestRegistrationSearchLimit: a search longer than 100 characters is not
// cut (which could split a character) but refused with the message next to
// the field; 100 characters of two bytes each are fine.
func TestRegistrationSearchLimit(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ev := createEvent(t, a)
	u := a.CreateUser(t, "suche@example.org", "Jörg Suchbar", app.RoleCitizen)
	if _, err := a.Platform.Events.Register(context.Background(), u, ev.ID, app.RegistrationInput{}); err != nil {
		t.Fatal(err)
	}
	c := a.SessionClient(t, eventAdmin(t, a))
	long := strings.Repeat("ä", 101)
	res := c.Get(eventAdminURL(ev) + "?q=" + url.QueryEscape(long))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("q"), "höchstens 100 Zeichen") {
		t.Fatalf("too long search: %d %q", res.Status, res.FieldError("q"))
	}
	if res.Doc.Find("#error-summary a[href='#f-q']").Length() != 1 {
		t.Error("error summary does not link to the search field")
	}
	if res.Doc.Find("#f-q").AttrOr("aria-describedby", "") != "f-q-error" {
		t.Error("search field is not described by its error")
	}
	if rows := res.Doc.Find("table tbody tr"); rows.Length() != 1 || !strings.Contains(rows.Text(), "Jörg Suchbar") {
		t.Fatalf("refused search should list all: %s", res.Text())
	}
	ok := strings.Repeat("ä", 100)
	res = c.Get(eventAdminURL(ev) + "?q=" + url.QueryEscape(ok))
	mustStatus(t, res, http.StatusOK)
	if res.FieldError("q") != "" || res.Doc.Find("#f-q").AttrOr("value", "") != ok {
		t.Fatalf("100 characters: %q %q", res.FieldError("q"), res.Doc.Find("#f-q").AttrOr("value", ""))
	}
	res = c.Get(eventAdminURL(ev) + "?q=" + url.QueryEscape("Jörg"))
	mustStatus(t, res, http.StatusOK)
	if rows := res.Doc.Find("table tbody tr"); rows.Length() != 1 || res.FieldError("q") != "" {
		t.Fatalf("search: %s", res.Text())
	}
}

// TestSelectionAnswersTooMany: more answers than an event can have
// categories are refused with their own message, not as a consent error.
func TestSelectionAnswersTooMany(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ev, _ := quotaEvent(t, a, 5)
	u := a.CreateUser(t, "viele@example.org", "Viele Antworten", app.RoleCitizen)
	answers := map[int64]string{}
	for i := range app.MaxSelectionCategories + 1 {
		answers[int64(1000+i)] = "x"
	}
	_, err := a.Platform.Events.Register(context.Background(), u, ev.ID, app.RegistrationInput{Selection: answers, AnswersConsent: true})
	e, ok := app.AsError(err)
	if !ok || e.Code != app.CodeInvalid || e.Msg.ID != "events.answers_too_many" || len(e.Fields) != 0 {
		t.Fatalf("too many answers: %v", err)
	}
	// Through the form, crafted extra fields never reach the limit error.
	c := a.SessionClient(t, u)
	values := url.Values{"answers_consent": {"true"}}
	for i := range app.MaxSelectionCategories + 3 {
		values.Set(fmt.Sprintf("answer_cat_%d", 1000+i), "x")
	}
	res := c.PostForm(eventURL(ev)+"/anmelden", values)
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("answers_consent") != "" {
		t.Fatalf("crafted answers: %d consent error %q", res.Status, res.FieldError("answers_consent"))
	}
}

// TestTooManyDelegatesAtFirstField: the message about too many delegates
// stands next to a field the form renders, and the summary links to it.
func TestTooManyDelegatesAtFirstField(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	_, ev := forumSetup(t, a)
	if _, err := a.Platform.Events.ImportInvitations(ctx, eventAdmin(t, a), ev.ID,
		[]byte("organisation,art,stadtbezirk,email,plaetze\nVerein Eins,Bürgerverein,9,eins@verein.example,1\n")); err != nil {
		t.Fatal(err)
	}
	link := mailPath(a, a.Mail.WaitFor("eins@verein.example", "Einladung").Link(t, "/einladung/"))
	org := a.Client(t)
	mustStatus(t, org.Get(link), http.StatusOK)
	res := org.PostForm(link, url.Values{
		"d1_name": {"Erste Person"}, "d1_email": {"erste@verein.example"},
		"d2_name": {"Zweite Person"}, "d2_email": {"zweite@verein.example"},
	})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("d1_name"), "hat 1 Platz.") {
		t.Fatalf("too many delegates: %d %q %s", res.Status, res.FieldError("d1_name"), res.Text())
	}
	if res.Doc.Find("#f-d1_name").Length() != 1 || res.Doc.Find("#error-summary a[href='#f-d1_name']").Length() != 1 {
		t.Fatal("the error is not at a rendered field linked from the summary")
	}
}

// TestStadtgebietPositionNotANumber: a position that is not a number gets
// the German message at the field instead of a bad request page.
func TestStadtgebietPositionNotANumber(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.SessionClient(t, eventAdmin(t, a))
	res := c.Submit(c.Get("/admin/stadtgebiete/neu"), "main form", url.Values{"name": {"West"}, "bezirke": {"6"}, "position": {"abc"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("position"), "ganze Zahl") {
		t.Fatalf("position abc: %d %q", res.Status, res.FieldError("position"))
	}
	if res.Doc.Find("#f-position").AttrOr("value", "") != "abc" {
		t.Error("submitted position is not kept")
	}
	res = c.Submit(c.Get("/admin/stadtgebiete/neu"), "main form", url.Values{"name": {"West"}, "bezirke": {"6"}, "position": {"1001"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("position"), "1000") {
		t.Fatalf("position 1001: %d %q", res.Status, res.FieldError("position"))
	}
	res = c.Submit(c.Get("/admin/stadtgebiete/neu"), "main form", url.Values{"name": {"West"}, "bezirke": {"6"}, "position": {""}})
	if !strings.Contains(res.Text(), "Das Stadtgebiet ist gespeichert") || !strings.Contains(res.Text(), "West") {
		t.Fatalf("empty position: %d %s", res.Status, res.Text())
	}
}

// TestEventTimeGermanFormat: the example the error message gives
// ("14.04.2026, 18:00") is accepted, with or without the comma.
func TestEventTimeGermanFormat(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.SessionClient(t, eventAdmin(t, a))
	page := c.Get("/admin/veranstaltungen/neu")
	res := c.Submit(page, "main form", formValues(map[string]string{
		"title": "Werkstattgespräch Grün", "format": "werkstattgespraech", "venue": "Stadtbüro Leipzig",
		"address": "Katharinenstraße 1, 04109 Leipzig", "starts_at": "14.05.2030, 18:00", "ends_at": "14.05.2030 20:30",
		"capacity": "35", "themes": "verkehr",
	}))
	if !strings.Contains(res.Text(), "Die Veranstaltung ist angelegt") {
		t.Fatalf("German date: %d %v %s", res.Status, res.FieldError("starts_at")+res.FieldError("ends_at"), res.Text())
	}
	evs, _, err := a.Store.ListEvents(context.Background(), store.EventFilter{All: true})
	if err != nil || len(evs) != 1 {
		t.Fatalf("events: %d %v", len(evs), err)
	}
	ev := evs[0]
	if got := ev.StartsAt.In(app.Berlin).Format("02.01.2006 15:04"); got != "14.05.2030 18:00" {
		t.Fatalf("starts at %s", got)
	}
	if got := ev.EndsAt.In(app.Berlin).Format("02.01.2006 15:04"); got != "14.05.2030 20:30" {
		t.Fatalf("ends at %s", got)
	}
	res = c.Submit(page, "main form", formValues(map[string]string{"starts_at": "14.05.2030 um 18", "title": "x"}))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("starts_at"), "14.04.2026, 18:00") {
		t.Fatalf("bad date: %d %q", res.Status, res.FieldError("starts_at"))
	}
}

// TestDrawCheckHouseholdOnly: with the household rule and no categories the
// draw page says so instead of "Quoten in 0 Kategorien".
func TestDrawCheckHouseholdOnly(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ev, _ := quotaEvent(t, a, 2, "", "", "")
	admin := eventAdmin(t, a)
	if err := a.Store.SaveSelectionSettings(context.Background(), admin, &app.SelectionSettings{EventID: ev.ID, Algorithm: "leximin", Household: app.HouseholdEmailSurname}); err != nil {
		t.Fatal(err)
	}
	res := a.SessionClient(t, admin).Get(eventAdminURL(ev) + "/auslosung")
	mustStatus(t, res, http.StatusOK)
	text := res.Text()
	if !strings.Contains(text, "Es gelten keine Quoten, aber die Haushaltsregel") || strings.Contains(text, "0 Kategorien") {
		t.Fatalf("household only: %s", text)
	}
}
