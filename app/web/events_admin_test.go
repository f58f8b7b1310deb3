package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestEventFormErrorsAndRoles: bad input gets a German message next to each
// field and stores nothing; only admins create events; a form without the
// CSRF token is refused.
func TestEventFormErrorsAndRoles(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.SessionClient(t, eventAdmin(t, a))
	page := c.Get("/admin/veranstaltungen/neu")
	mustStatus(t, page, http.StatusOK)
	res := c.Submit(page, "main form", formValues(map[string]string{
		"title": strings.Repeat("x", 151), "format": "party", "venue": "", "address": "Katharinenstraße 1",
		"starts_at": "2030-05-05T18:00", "ends_at": "2030-05-05T17:00", "capacity": "drei", "offer_hours": "0",
	}))
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.Status)
	}
	for field, want := range map[string]string{
		"title": "höchstens 150 Zeichen", "format": "aus der Liste", "venue": "füllen Sie dieses Feld aus",
		"ends_at": "nach dem Beginn", "capacity": "ganze Zahl", "offer_hours": "zwischen 1 und 336",
	} {
		if got := res.FieldError(field); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want …%s…", field, got, want)
		}
	}
	if res.Doc.Find("#error-summary a[href='#f-capacity']").Length() != 1 {
		t.Error("error summary does not link to the field")
	}
	if res.Doc.Find("#f-title").AttrOr("value", "") != strings.Repeat("x", 151) {
		t.Error("submitted values are not kept")
	}
	if n, _, _ := a.Store.ListEvents(context.Background(), store.EventFilter{All: true}); len(n) != 0 {
		t.Fatalf("%d events stored from a bad form", len(n))
	}
	res = c.Submit(page, "main form", formValues(map[string]string{
		"title": "Werkstattgespräch Mobilität", "format": "werkstattgespraech", "venue": "Stadtbüro Leipzig",
		"address": "Katharinenstraße 1, 04109 Leipzig", "starts_at": "2030-05-05T18:00", "ends_at": "2030-05-05T20:30",
		"capacity": "35", "allocation": "selection", "themes": "verkehr",
	}))
	if !strings.Contains(res.Text(), "Die Veranstaltung ist angelegt") || !strings.Contains(res.Text(), "Werkstattgespräch Mobilität") {
		t.Fatalf("create: %d %s", res.Status, res.Text())
	}

	mod := a.SessionClient(t, a.CreateUser(t, "mod@example.org", "Moderation", app.RoleModerator))
	if res := mod.Get("/admin/veranstaltungen/neu"); res.Status != http.StatusForbidden {
		t.Fatalf("moderator creating: %d", res.Status)
	}
	if res := mod.Get("/admin/veranstaltungen"); res.Status != http.StatusOK {
		t.Fatalf("moderator list: %d", res.Status)
	}
	if res := c.PostRaw("/admin/veranstaltungen", "application/x-www-form-urlencoded", []byte("title=Ohne+Token")); res.Status != http.StatusForbidden {
		t.Fatalf("without CSRF token: %d", res.Status)
	}
	// The API creates events from the same fields, admins only.
	var created map[string]any
	body := map[string]any{"title": "Fachforum Klima", "format": "fachforum", "venue": "Neues Rathaus", "address": "Martin-Luther-Ring 4",
		"starts_at": "2030-06-01T16:00:00+02:00", "ends_at": "2030-06-01T19:00:00+02:00", "capacity": 40, "allocation": "invitation"}
	if st := mod.JSON(http.MethodPost, "/api/v1/events", body, &created); st != http.StatusForbidden {
		t.Fatalf("moderator via API: %d", st)
	}
	if st := c.JSON(http.MethodPost, "/api/v1/events", body, &created); st != http.StatusCreated || created["allocation"] != "invitation" ||
		created["starts_at"] != "2030-06-01T16:00:00+02:00" || created["capacity"] != float64(40) {
		t.Fatalf("API create: %d %v", st, created)
	}
	if st := c.JSON(http.MethodPost, "/api/v1/events", map[string]any{"title": "", "capacity": "viele"}, &created); st != http.StatusUnprocessableEntity {
		t.Fatalf("API create with errors: %d", st)
	}
	fields := created["error"].(map[string]any)["fields"].(map[string]any)
	if fields["title"] == nil || fields["capacity"] == nil || fields["starts_at"] == nil {
		t.Fatalf("API field errors: %v", fields)
	}
}

// TestEventChangesReachParticipants: more seats go to the waiting list at
// once; fewer seats than taken are refused; a new time or place reaches
// everybody with an updated calendar entry; cancelling the event tells
// everybody, and registration closes.
func TestEventChangesReachParticipants(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	people := registerPeople(t, a, app.RegistrationInput{}, []string{"anna", "ben", "carla"}, ev)
	admin := a.SessionClient(t, eventAdmin(t, a))
	edit := admin.Get(eventAdminURL(ev) + "/bearbeiten")
	mustStatus(t, edit, http.StatusOK)
	res := admin.Submit(edit, "main form", url.Values{"capacity": {"2"}})
	if !strings.Contains(res.Text(), "gespeichert") {
		t.Fatalf("capacity increase: %d %s", res.Status, res.Text())
	}
	if r := registrationOf(t, a, ev, people[1]); r.Status != app.RegOffered {
		t.Fatalf("the new seat should be offered to the first waiting: %s", r.Status)
	}
	a.Mail.WaitFor("ben@example.org", "Ein Platz für Sie")
	res = admin.Submit(admin.Get(eventAdminURL(ev)+"/bearbeiten"), "main form", url.Values{"capacity": {"1"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("capacity"), "bereits 2 Plätze vergeben") {
		t.Fatalf("capacity below taken: %d %q", res.Status, res.FieldError("capacity"))
	}

	// New time: everybody active is told, with calendar entry SEQUENCE 1.
	newStart := app.LocalInput(ev.StartsAt.Add(24 * time.Hour))
	newEnd := app.LocalInput(ev.EndsAt.Add(24 * time.Hour))
	res = admin.Submit(admin.Get(eventAdminURL(ev)+"/bearbeiten"), "main form", url.Values{"starts_at": {newStart}, "ends_at": {newEnd}})
	if !strings.Contains(res.Text(), "gespeichert") {
		t.Fatalf("time change: %s", res.Text())
	}
	for _, addr := range []string{"anna@example.org", "ben@example.org", "carla@example.org"} {
		m := a.Mail.WaitFor(addr, "Geänderter Termin")
		if len(m.Attachments) != 1 || !strings.Contains(string(m.Attachments[0].Data), "SEQUENCE:1") {
			t.Fatalf("change mail to %s: %+v\n%s", addr, m.Attachments, m.Raw)
		}
	}

	// A message to the participants reaches the confirmed and offered only.
	msg := admin.Get(eventAdminURL(ev) + "/nachricht")
	res = admin.Submit(msg, "main form", url.Values{"subject": {"Bitte Ausweis mitbringen"}, "body": {"Der Eingang ist <b>Seite B</b>."}})
	if !strings.Contains(res.Text(), "Die Nachricht ist unterwegs") {
		t.Fatalf("message: %s", res.Text())
	}
	m := a.Mail.WaitFor("anna@example.org", "Bitte Ausweis mitbringen")
	if !strings.Contains(m.HTML, "&lt;b&gt;Seite B&lt;/b&gt;") || !strings.Contains(m.Text, "<b>Seite B</b>") {
		t.Fatalf("message text must arrive as typed and escaped in HTML:\n%s\n%s", m.Text, m.HTML)
	}
	a.Mail.WaitFor("ben@example.org", "Bitte Ausweis mitbringen")
	time.Sleep(200 * time.Millisecond)
	for _, x := range a.Mail.MailsTo("carla@example.org") {
		if strings.Contains(x.Subject, "Ausweis") {
			t.Fatal("message to participants reached the waiting list")
		}
	}

	// Cancelling the event tells everybody, and registration closes.
	cancelPage := admin.Get(eventAdminURL(ev) + "/absagen")
	res = admin.Submit(cancelPage, "main form", url.Values{"reason": {""}})
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("reason") == "" {
		t.Fatalf("cancel without reason: %d", res.Status)
	}
	res = admin.Submit(cancelPage, "main form", url.Values{"reason": {"Der Saal ist wegen eines Wasserschadens gesperrt."}})
	if !strings.Contains(res.Text(), "abgesagt") {
		t.Fatalf("cancel: %s", res.Text())
	}
	for _, addr := range []string{"anna@example.org", "ben@example.org", "carla@example.org"} {
		if m := a.Mail.WaitFor(addr, "Abgesagt"); !strings.Contains(m.Text, "Wasserschaden") {
			t.Fatalf("cancellation mail: %s", m.Text)
		}
	}
	page := a.Client(t).Get(eventURL(ev))
	if !strings.Contains(page.Text(), "Diese Veranstaltung wurde abgesagt") || !strings.Contains(page.Text(), "Wasserschaden") {
		t.Fatalf("event page after cancelling: %s", page.Text())
	}
	late := a.SessionClient(t, a.CreateUser(t, "late@example.org", "Spät", app.RoleCitizen))
	if st := late.JSON(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/registrations", nil, nil); st != http.StatusGone {
		t.Fatalf("registration for a cancelled event: %d", st)
	}
	entries, _, _ := a.Store.ListAudit(ctx, store.AuditFilter{Action: app.AuditEventCancel})
	if len(entries) != 1 {
		t.Fatalf("cancellation audit entries: %d", len(entries))
	}
}

// TestRegistrationListAndExports: organisers filter the list; admins export
// CSV and XLSX (audited, without personal data in the audit log); cells a
// spreadsheet would run as formulas are neutralised; moderators cannot export.
func TestRegistrationListAndExports(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx := context.Background()
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	evil := a.CreateUser(t, "evil@example.org", "=HYPERLINK(1)", app.RoleCitizen)
	kind := a.CreateUser(t, "kind@example.org", "Mit Kind", app.RoleCitizen)
	if _, err := a.Platform.Events.Register(ctx, evil, ev.ID, app.RegistrationInput{AccessNeeds: []string{app.NeedSignLanguage}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Events.Register(ctx, kind, ev.ID, app.RegistrationInput{AccessNeeds: []string{app.NeedChildcare}}); err != nil {
		t.Fatal(err)
	}
	mod := a.SessionClient(t, a.CreateUser(t, "mod@example.org", "Moderation", app.RoleModerator))
	list := mod.Get(eventAdminURL(ev) + "?bedarf=childcare")
	mustStatus(t, list, http.StatusOK)
	if rows := list.Doc.Find("table tbody tr"); rows.Length() != 1 || !strings.Contains(rows.Text(), "Mit Kind") || !strings.Contains(rows.Text(), "Platz 1") {
		t.Fatalf("filtered list: %s", list.Text())
	}
	if res := mod.Get(eventAdminURL(ev) + "/export.csv"); res.Status != http.StatusForbidden {
		t.Fatalf("moderator export: %d", res.Status)
	}

	admin := a.SessionClient(t, eventAdmin(t, a))
	res := admin.Get(eventAdminURL(ev) + "/export.csv")
	mustStatus(t, res, http.StatusOK)
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("CSV: %v %v", rows, err)
	}
	if rows[0][1] != "Name" || rows[1][1] != "'=HYPERLINK(1)" || rows[1][4] != "evil@example.org" || rows[1][8] != "Gebärdensprachdolmetschen" || rows[2][6] != "1" {
		t.Fatalf("CSV rows: %q", rows)
	}
	res = admin.Get(eventAdminURL(ev) + "/export.xlsx")
	mustStatus(t, res, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	xrows, _ := f.GetRows("Anmeldungen")
	if len(xrows) != 3 || xrows[1][1] != "=HYPERLINK(1)" || xrows[2][5] != "Warteliste" {
		t.Fatalf("XLSX rows: %q", xrows)
	}
	if formula, _ := f.GetCellFormula("Anmeldungen", "B2"); formula != "" {
		t.Fatalf("a name became a formula: %q", formula)
	}
	entries, _, _ := a.Store.ListAudit(ctx, store.AuditFilter{Action: app.AuditEventExport})
	if len(entries) != 2 || strings.Contains(entries[0].Details, "@") {
		t.Fatalf("export audit: %+v", entries)
	}
}

// TestReminders: the reminder goes to the confirmed participants once, the
// configured hours before the start, even with several instances running
// the job.
func TestReminders(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1); in.ReminderHours = app.N(24) })
	registerPeople(t, a, app.RegistrationInput{}, []string{"anna", "ben"}, ev)
	if n, _ := a.Platform.Events.SendReminders(ctx); n != 0 {
		t.Fatalf("reminder a week early: %d", n)
	}
	a.Clock.Set(ev.StartsAt.Add(-23 * time.Hour))
	if n, err := a.Platform.Events.SendReminders(ctx); n != 1 || err != nil {
		t.Fatalf("reminders: %d %v", n, err)
	}
	if n, _ := a.Platform.Events.SendReminders(ctx); n != 0 {
		t.Fatalf("second run sent %d", n)
	}
	m := a.Mail.WaitFor("anna@example.org", "Erinnerung")
	if !strings.Contains(m.Text, "/einlass/") || !strings.Contains(m.Text, "/anmeldung/stornieren") {
		t.Fatalf("reminder: %s", m.Text)
	}
	time.Sleep(200 * time.Millisecond)
	for _, x := range a.Mail.MailsTo("ben@example.org") {
		if strings.Contains(x.Subject, "Erinnerung") {
			t.Fatal("reminder went to the waiting list")
		}
	}
}
