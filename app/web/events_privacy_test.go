package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestAccountErasureFreesSeats: "Meine Daten" lists the registrations;
// deleting the account cancels future registrations, the freed seat goes to
// the waiting list (the offer mail follows from the job), and no personal
// field of the registrations survives.
func TestAccountErasureFreesSeats(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	sel := createEvent(t, a, func(in *app.EventInput) {
		in.Allocation = string(app.AllocSelection)
		in.Title = "Werkstattgespräch Klima"
	})
	anna := a.CreateUser(t, "anna@example.org", "Anna", app.RoleCitizen)
	ben := a.CreateUser(t, "ben@example.org", "Ben", app.RoleCitizen)
	if _, err := a.Platform.Events.Register(ctx, anna, ev.ID, app.RegistrationInput{AccessNeeds: []string{app.NeedChildcare}, AccessOther: "Kinderwagen"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Events.Register(ctx, anna, sel.ID, app.RegistrationInput{AnswersConsent: true, AnswerAge: "45_64", AnswerGender: "female", AnswerOrtsteil: "70"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Platform.Events.Register(ctx, ben, ev.ID, app.RegistrationInput{}); err != nil {
		t.Fatal(err)
	}

	c := a.SessionClient(t, anna)
	data := c.Get("/profil/meine-daten")
	var pd store.PersonalData
	if err := json.Unmarshal([]byte(data.Body), &pd); err != nil {
		t.Fatal(err)
	}
	if len(pd.Events) != 2 || pd.Events[0].AccessOther != "Kinderwagen" && pd.Events[1].AccessOther != "Kinderwagen" {
		t.Fatalf("Meine Daten: %+v", pd.Events)
	}

	page := c.Get("/profil/loeschen")
	res := c.Submit(page, "main form[action='/profil/loeschen']", url.Values{"password": {testenv.DefaultPassword}, "confirm": {"true"}})
	if res.Status != http.StatusOK {
		t.Fatalf("delete account: %d %s", res.Status, res.Text())
	}
	if r := registrationOf(t, a, ev, ben); r.Status != app.RegOffered {
		t.Fatalf("freed seat: ben has %s", r.Status)
	}
	if n, err := a.Platform.Events.SendPendingNotifications(ctx); err != nil || n != 1 {
		t.Fatalf("pending notifications: %d %v", n, err)
	}
	if n, _ := a.Platform.Events.SendPendingNotifications(ctx); n != 0 {
		t.Fatalf("notified twice: %d", n)
	}
	a.Mail.WaitFor("ben@example.org", "Ein Platz für Sie")

	var regs []app.Registration
	a.Store.Gorm().Where("user_id IS NULL AND kind = ?", app.KindPublic).Find(&regs)
	if len(regs) != 2 {
		t.Fatalf("%d unlinked registrations, want anna's 2", len(regs))
	}
	for _, r := range regs {
		if r.Status != app.RegCancelled {
			t.Errorf("future registration kept status %s", r.Status)
		}
		personal := []string{r.Name, r.Email, r.SubstituteName, r.SubstituteEmail, r.AccessNeeds, r.AccessOther,
			r.AnswerOrtsteil, r.AnswerAge, r.AnswerGender, r.AnswerFirstTime}
		for _, f := range personal {
			if f != "" {
				t.Errorf("personal field survived erasure: %q in %+v", f, r)
			}
		}
		if r.AnswersConsent {
			t.Errorf("consent flag survived erasure")
		}
	}
	checkWaitingCounter(t, a, ev.ID)
	// The waiting list and counts stay consistent.
	if e := reloadEvent(t, a, ev.ID); e.SeatsTaken != 1 {
		t.Fatalf("seats after erasure: %d", e.SeatsTaken)
	}
}

// TestRetentionDeletesPersonalData: a configurable number of days after the
// event the registrations are deleted; the aggregate counts stay and the
// organisers still see them.
func TestRetentionDeletesPersonalData(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx := context.Background()
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(2); in.RetentionDays = app.N(30) })
	people := registerPeople(t, a, app.RegistrationInput{AccessNeeds: []string{app.NeedStepFree}}, []string{"anna", "ben", "carla"}, ev)
	if _, err := a.Store.CheckIn(ctx, eventAdmin(t, a), registrationOf(t, a, ev, people[0])); err != nil {
		t.Fatal(err)
	}
	a.Clock.Set(ev.EndsAt.Add(29 * 24 * time.Hour))
	if n, _ := a.Platform.Events.PurgeExpired(ctx); n != 0 {
		t.Fatalf("purged before the period: %d", n)
	}
	a.Clock.Set(ev.EndsAt.Add(31 * 24 * time.Hour))
	if n, err := a.Platform.Events.PurgeExpired(ctx); n != 1 || err != nil {
		t.Fatalf("purge: %d %v", n, err)
	}
	if n, _ := a.Platform.Events.PurgeExpired(ctx); n != 0 {
		t.Fatalf("purged twice: %d", n)
	}
	var left int64
	a.Store.Gorm().Model(&app.Registration{}).Where("event_id = ?", ev.ID).Count(&left)
	if left != 0 {
		t.Fatalf("%d registrations left after the retention period", left)
	}
	final := store.ParseFinalCounts(reloadEvent(t, a, ev.ID).FinalCounts)
	if final == nil || final.Registrations != 3 || final.Attended != 1 || final.NoShows != 1 || final.ByStatus[app.RegWaitlisted] != 1 || final.AccessNeeds[app.NeedStepFree] != 3 {
		t.Fatalf("kept counts: %+v", final)
	}
	page := a.SessionClient(t, eventAdmin(t, a)).Get(eventAdminURL(ev))
	if !strings.Contains(page.Text(), "Die persönlichen Daten sind gelöscht. Anmeldungen: 3, anwesend: 1, nicht erschienen: 1.") {
		t.Fatalf("admin page after the deletion: %s", page.Text())
	}
	// Nobody's "Meine Anmeldungen" lists it any more.
	if mine := a.SessionClient(t, people[0]).Get("/meine-anmeldungen"); strings.Contains(mine.Text(), ev.Title) {
		t.Fatalf("deleted registration still listed: %s", mine.Text())
	}
}

// TestErasureCoversDelegateSeats: a delegate seat given to the address of
// an account that is deleted is the same person's: the substitute takes it
// over, or it is cancelled and cleared.
func TestErasureCoversDelegateSeats(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	_, ev := forumSetup(t, a)
	if _, err := a.Platform.Events.ImportInvitations(ctx, eventAdmin(t, a), ev.ID,
		[]byte("organisation,art,stadtbezirk,email,plaetze\nInitiative Mockau,Initiative,1,info@mockau.example,2\n")); err != nil {
		t.Fatal(err)
	}
	link := a.Mail.WaitFor("info@mockau.example", "Einladung").Link(t, "/einladung/")
	token := link[strings.LastIndex(link, "/")+1:]
	if err := a.Platform.Events.NameDelegates(ctx, token, []app.DelegateInput{
		{Name: "Petra", Email: "petra@mockau.example", SubstituteName: "Sabine", SubstituteEmail: "sabine@mockau.example"},
		{Name: "Karl", Email: "karl@mockau.example"},
	}); err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"petra@mockau.example", "karl@mockau.example"} {
		u := a.CreateUser(t, addr, strings.Split(addr, "@")[0], app.RoleCitizen)
		if err := a.Store.EraseUser(ctx, u, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	var regs []app.Registration
	a.Store.Gorm().Where("event_id = ?", ev.ID).Order("id").Find(&regs)
	if len(regs) != 2 || regs[0].Email != "sabine@mockau.example" || regs[0].Status != app.RegConfirmed || regs[0].NotifyPending != app.RegConfirmed {
		t.Fatalf("petra's seat: %+v", regs[0])
	}
	if regs[1].Status != app.RegCancelled || regs[1].Email != "" || regs[1].Name != "" {
		t.Fatalf("karl's seat: %+v", regs[1])
	}
	if n, err := a.Platform.Events.SendPendingNotifications(ctx); err != nil || n != 1 {
		t.Fatalf("notifications: %d %v", n, err)
	}
	a.Mail.WaitFor("sabine@mockau.example", "Anmeldung bestätigt")
	if e := reloadEvent(t, a, ev.ID); e.SeatsTaken != 1 {
		t.Fatalf("seats after erasure: %d", e.SeatsTaken)
	}
}
