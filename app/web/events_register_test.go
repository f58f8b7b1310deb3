package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestRegisterWithoutJavaScript: a citizen registers through the plain form,
// sees the confirmation on the event page and in "Meine Anmeldungen", and
// gets the confirmation mail with a calendar entry and a QR code. When the
// event is full, the next person joins the waiting list with a position.
func TestRegisterWithoutJavaScript(t *testing.T) {
	a := testenv.StartApp(t)
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	anna := a.CreateUser(t, "anna@example.org", "Anna aus Reudnitz", app.RoleCitizen)
	c := a.SessionClient(t, anna)

	page := c.Get(eventURL(ev))
	mustStatus(t, page, http.StatusOK)
	if !strings.Contains(page.Text(), "1 von 1 Plätzen frei") {
		t.Fatalf("seats left not shown: %s", page.Text())
	}
	res := registerWeb(t, c, ev, url.Values{"access_needs": {"step_free", "sign_language"}, "access_other": {"Assistenzhund"}})
	if res.URL.Path != eventURL(ev) || !strings.Contains(res.Text(), "Sie sind angemeldet") || !strings.Contains(res.Text(), "Ihr Platz ist bestätigt") {
		t.Fatalf("after registering: %s %s", res.URL, res.Text())
	}
	r := registrationOf(t, a, ev, anna)
	if r.Status != app.RegConfirmed || !r.HasNeed(app.NeedStepFree) || !r.HasNeed(app.NeedSignLanguage) || !r.HasNeed(app.NeedOther) || r.AccessOther != "Assistenzhund" {
		t.Fatalf("stored registration: %+v", r)
	}
	m := a.Mail.WaitFor("anna@example.org", "Anmeldung bestätigt: "+ev.Title)
	var ics, qr bool
	for _, att := range m.Attachments {
		ics = ics || (strings.HasSuffix(att.Filename, ".ics") && strings.Contains(string(att.Data), "BEGIN:VEVENT"))
		qr = qr || (att.ContentType == "image/png" && len(att.Data) > 100)
	}
	if !ics || !qr {
		t.Fatalf("confirmation lacks calendar entry (%v) or QR code (%v): %+v", ics, qr, m.Attachments)
	}
	if !strings.Contains(m.Text, "Samstag") && !strings.Contains(m.Text, "tag,") {
		t.Fatalf("confirmation lacks the date: %s", m.Text)
	}
	mine := c.Get("/meine-anmeldungen")
	if !strings.Contains(mine.Text(), ev.Title) || !strings.Contains(mine.Text(), "Ihr Platz ist bestätigt") {
		t.Fatalf("Meine Anmeldungen: %s", mine.Text())
	}

	// Full: the next person waits, with a visible position.
	ben := a.CreateUser(t, "ben@example.org", "Ben vom Kanal", app.RoleCitizen)
	cb := a.SessionClient(t, ben)
	page = cb.Get(eventURL(ev))
	if !strings.Contains(page.Text(), "Ausgebucht") || page.Doc.Find("button:contains('Auf die Warteliste setzen')").Length() != 1 {
		t.Fatalf("full event page: %s", page.Text())
	}
	res = registerWeb(t, cb, ev, nil)
	if !strings.Contains(res.Text(), "Sie stehen auf Platz 1 der Warteliste") {
		t.Fatalf("waiting list position not shown: %s", res.Text())
	}
	a.Mail.WaitFor("ben@example.org", "Warteliste: "+ev.Title)
}

// TestRegistrationAPIAnswers covers the status codes other tools rely on.
func TestRegistrationAPIAnswers(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	path := "/api/v1/events/" + itoa(ev.ID) + "/registrations"
	u1 := a.SessionClient(t, a.CreateUser(t, "u1@example.org", "Erste Person", app.RoleCitizen))
	u2 := a.SessionClient(t, a.CreateUser(t, "u2@example.org", "Zweite Person", app.RoleCitizen))

	var got map[string]any
	if st := u1.JSON(http.MethodPost, path, map[string]any{"access_needs": []string{"childcare"}}, &got); st != http.StatusCreated || got["status"] != "confirmed" || got["waitlist_position"] != nil {
		t.Fatalf("first registration: %d %v", st, got)
	}
	if st := u1.JSON(http.MethodPost, path, nil, &got); st != http.StatusConflict {
		t.Fatalf("second registration of the same person: %d %v", st, got)
	}
	if st := u2.JSON(http.MethodPost, path, map[string]any{"access_needs": []string{"jetpack"}}, &got); st != http.StatusUnprocessableEntity {
		t.Fatalf("unknown access need: %d %v", st, got)
	}
	if fields := got["error"].(map[string]any)["fields"].(map[string]any); !strings.Contains(fields["access_needs"].(string), "Liste") {
		t.Fatalf("field error: %v", got)
	}
	if st := u2.JSON(http.MethodPost, path, nil, &got); st != http.StatusCreated || got["status"] != "waitlisted" || got["waitlist_position"] != float64(1) {
		t.Fatalf("waitlisted registration: %d %v", st, got)
	}
	if st := u2.JSON(http.MethodGet, path+"/me", nil, &got); st != http.StatusOK || got["waitlist_position"] != float64(1) {
		t.Fatalf("own status: %d %v", st, got)
	}
	// The first person cancels: the seat is offered to the second at once.
	if st := u1.JSON(http.MethodDelete, path+"/me", nil, nil); st != http.StatusNoContent {
		t.Fatalf("cancel: %d", st)
	}
	if st := u1.JSON(http.MethodDelete, path+"/me", nil, nil); st != http.StatusNotFound {
		t.Fatalf("cancel twice: %d", st)
	}
	if st := u2.JSON(http.MethodGet, path+"/me", nil, &got); st != http.StatusOK || got["status"] != "offered" || got["offer_expires_at"] == nil {
		t.Fatalf("after the cancellation the second person should hold an offer: %d %v", st, got)
	}
	// Event list and detail carry the counts.
	var detail map[string]any
	if st := u1.JSON(http.MethodGet, "/api/v1/events/"+itoa(ev.ID), nil, &detail); st != http.StatusOK ||
		detail["capacity"] != float64(1) || detail["offered"] != float64(1) || detail["confirmed"] != float64(0) || detail["allocation"] != "first_come" ||
		detail["format"] != "werkstattgespraech" || !strings.HasSuffix(detail["starts_at"].(string), ":00+01:00") && !strings.HasSuffix(detail["starts_at"].(string), ":00+02:00") {
		t.Fatalf("event detail: %d %v", st, detail)
	}
	var list struct {
		Events []map[string]any `json:"events"`
		Total  int              `json:"total"`
	}
	if st := u1.JSON(http.MethodGet, "/api/v1/events", nil, &list); st != http.StatusOK || list.Total != 1 || list.Events[0]["id"] != float64(ev.ID) {
		t.Fatalf("event list: %d %+v", st, list)
	}

	// Not logged in: 401; unverified: 403.
	if st := a.Client(t).JSON(http.MethodPost, path, nil, &got); st != http.StatusUnauthorized {
		t.Fatalf("anonymous registration: %d", st)
	}
	unverified := a.CreateUser(t, "neu@example.org", "Noch Neu", app.RoleCitizen)
	a.Store.Gorm().Model(unverified).Update("email_verified_at", nil)
	if st := a.SessionClient(t, unverified).JSON(http.MethodPost, path, nil, &got); st != http.StatusForbidden {
		t.Fatalf("unverified registration: %d", st)
	}

	// Invitation event without invitation: 403; closed window: 410; draft: 404.
	inv := createEvent(t, a, func(in *app.EventInput) {
		in.Allocation = string(app.AllocInvitation)
		in.Format = string(app.FormatFachforum)
	})
	if st := u2.JSON(http.MethodPost, "/api/v1/events/"+itoa(inv.ID)+"/registrations", nil, &got); st != http.StatusForbidden {
		t.Fatalf("invitation event: %d %v", st, got)
	}
	draft := createEvent(t, a, func(in *app.EventInput) { in.Status = app.EventDraft })
	if st := u2.JSON(http.MethodPost, "/api/v1/events/"+itoa(draft.ID)+"/registrations", nil, &got); st != http.StatusNotFound {
		t.Fatalf("draft event: %d %v", st, got)
	}
	closing := createEvent(t, a, func(in *app.EventInput) {
		in.RegistrationClosesAt = app.LocalInput(a.Store.Now().Add(time.Hour))
	})
	a.Clock.Advance(2 * time.Hour)
	if st := u2.JSON(http.MethodPost, "/api/v1/events/"+itoa(closing.ID)+"/registrations", nil, &got); st != http.StatusGone {
		t.Fatalf("closed window: %d %v", st, got)
	}
	if !strings.Contains(got["error"].(map[string]any)["message"].(string), "abgelaufen") {
		t.Fatalf("closed window message: %v", got)
	}
}

// TestCancelLinkWithoutLoginOffersSeat: the cancellation link in the mail
// works without logging in; the freed seat is offered at once to the first
// person waiting, who accepts through the link in their mail.
func TestCancelLinkWithoutLoginOffersSeat(t *testing.T) {
	a := testenv.StartApp(t)
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	anna := a.CreateUser(t, "anna@example.org", "Anna", app.RoleCitizen)
	ben := a.CreateUser(t, "ben@example.org", "Ben", app.RoleCitizen)
	carla := a.CreateUser(t, "carla@example.org", "Carla", app.RoleCitizen)
	for _, u := range []*app.User{anna, ben, carla} {
		if _, err := a.Platform.Events.Register(context.Background(), u, ev.ID, app.RegistrationInput{}); err != nil {
			t.Fatal(err)
		}
	}
	confirmation := a.Mail.WaitFor("anna@example.org", "Anmeldung bestätigt")
	link := confirmation.Link(t, "/anmeldung/stornieren")

	stranger := a.Client(t) // no session: the link alone is enough
	page := stranger.Get(mailPath(a, link))
	mustStatus(t, page, http.StatusOK)
	if !strings.Contains(page.Text(), "geht sofort an die nächste Person") {
		t.Fatalf("cancel page: %s", page.Text())
	}
	res := stranger.Submit(page, "main form[action='/anmeldung/stornieren']", nil)
	if !strings.Contains(res.Text(), "Ihre Anmeldung ist storniert") {
		t.Fatalf("after cancelling: %d %s", res.Status, res.Text())
	}
	if r := registrationOf(t, a, ev, anna); r.Status != app.RegCancelled {
		t.Fatalf("anna: %s", r.Status)
	}
	a.Mail.WaitFor("anna@example.org", "Stornierung bestätigt")
	// The link is single-purpose and now spent.
	if again := stranger.Get(mailPath(a, link)); again.Status != http.StatusNotFound {
		t.Fatalf("cancel link used twice: %d", again.Status)
	}

	offer := a.Mail.WaitFor("ben@example.org", "Ein Platz für Sie")
	if !strings.Contains(offer.Text, "Bitte nehmen Sie den Platz bis") {
		t.Fatalf("offer mail: %s", offer.Text)
	}
	if r := registrationOf(t, a, ev, carla); r.Status != app.RegWaitlisted {
		t.Fatalf("carla should still wait: %s", r.Status)
	}
	accept := a.Client(t)
	page = accept.Get(mailPath(a, offer.Link(t, "antwort=annehmen")))
	mustStatus(t, page, http.StatusOK)
	res = accept.Submit(page, "main form[action='/anmeldung/angebot']", url.Values{"antwort": {"annehmen"}})
	if !strings.Contains(res.Text(), "Sie haben den Platz angenommen") {
		t.Fatalf("accept: %d %s", res.Status, res.Text())
	}
	if r := registrationOf(t, a, ev, ben); r.Status != app.RegConfirmed {
		t.Fatalf("ben: %s", r.Status)
	}
	a.Mail.WaitFor("ben@example.org", "Anmeldung bestätigt")
	ctx := context.Background()
	for action, want := range map[string]int64{app.LogCancel: 1, app.LogOffer: 1, app.LogAccept: 1} {
		if n, _ := a.Store.CountEventLog(ctx, ev.ID, action); n != want {
			t.Errorf("log %s: %d, want %d", action, n, want)
		}
	}
}

// TestOfferExpiresAndPassesOn: an offer not taken within its time (48 h by
// default) expires; the seat goes to the next person, each step logged.
func TestOfferExpiresAndPassesOn(t *testing.T) {
	a := testenv.StartApp(t)
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	ctx := context.Background()
	people := registerPeople(t, a, app.RegistrationInput{}, []string{"anna", "ben", "carla"}, ev)
	if err := a.Platform.Events.CancelOwn(ctx, people[0], ev.ID); err != nil {
		t.Fatal(err)
	}
	offer := registrationOf(t, a, ev, people[1])
	if offer.Status != app.RegOffered || offer.OfferExpiresAt.Sub(a.Store.Now()) < 47*time.Hour {
		t.Fatalf("offer: %s until %v", offer.Status, offer.OfferExpiresAt)
	}

	// Not yet: nothing happens before the deadline.
	a.Clock.Advance(47 * time.Hour)
	if n, err := a.Platform.Events.ExpireOffers(ctx); err != nil || n != 0 {
		t.Fatalf("expired before the deadline: %d %v", n, err)
	}
	a.Clock.Advance(2 * time.Hour)
	if n, err := a.Platform.Events.ExpireOffers(ctx); err != nil || n != 1 {
		t.Fatalf("expire offers: %d %v", n, err)
	}
	// Running the job again (another instance) changes nothing.
	if n, err := a.Platform.Events.ExpireOffers(ctx); err != nil || n != 0 {
		t.Fatalf("second run: %d %v", n, err)
	}
	if r := registrationOf(t, a, ev, people[1]); r.Status != app.RegExpired {
		t.Fatalf("ben: %s", r.Status)
	}
	if r := registrationOf(t, a, ev, people[2]); r.Status != app.RegOffered {
		t.Fatalf("carla: %s", r.Status)
	}
	a.Mail.WaitFor("ben@example.org", "Angebot verfallen")
	a.Mail.WaitFor("carla@example.org", "Ein Platz für Sie")

	checkWaitingCounter(t, a, ev.ID)
	// Ben's old link now says the offer is over.
	old := a.Mail.WaitFor("ben@example.org", "Ein Platz für Sie").Link(t, "antwort=annehmen")
	if res := a.Client(t).Get(mailPath(a, old)); res.Status == http.StatusOK && res.Doc.Find("button[value=annehmen]").Length() > 0 {
		t.Fatalf("expired offer can still be accepted: %s", res.Text())
	}
	log, _ := a.Store.EventLog(ctx, ev.ID, 10)
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "cancel,offer,expire,offer" {
		t.Fatalf("log: %v", actions)
	}
	admin := a.SessionClient(t, eventAdmin(t, a))
	if page := admin.Get(eventAdminURL(ev)); !strings.Contains(page.Text(), "Angebot verfallen") || !strings.Contains(page.Text(), "Platz angeboten") {
		t.Fatalf("admin log: %s", page.Text())
	}
}

// TestDeclineAndAutomaticMovingUp: a declined offer passes on at once; an
// event with automatic moving-up confirms the next person without asking.
func TestDeclineAndAutomaticMovingUp(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	auto := createEvent(t, a, func(in *app.EventInput) {
		in.Capacity = app.N(1)
		in.AutoPromote = true
		in.Title = "Auftakt mit Nachrücken"
	})
	people := registerPeople(t, a, app.RegistrationInput{}, []string{"anna", "ben", "carla"}, ev, auto)
	for _, e := range []*app.Event{ev, auto} {
		if err := a.Platform.Events.CancelOwn(ctx, people[0], e.ID); err != nil {
			t.Fatal(err)
		}
	}
	// Ben declines from "Meine Anmeldungen".
	c := a.SessionClient(t, people[1])
	mine := c.Get("/meine-anmeldungen")
	res := c.Submit(mine, "form[action='"+eventURL(ev)+"/angebot']", url.Values{"antwort": {"ablehnen"}})
	if !strings.Contains(res.Text(), "Sie haben den Platz abgelehnt") {
		t.Fatalf("decline: %s", res.Text())
	}
	if r := registrationOf(t, a, ev, people[2]); r.Status != app.RegOffered {
		t.Fatalf("carla after the decline: %s", r.Status)
	}
	// Automatic moving-up: Ben is confirmed without an offer.
	if r := registrationOf(t, a, auto, people[1]); r.Status != app.RegConfirmed {
		t.Fatalf("automatic moving-up: %s", r.Status)
	}
	a.Mail.WaitFor("ben@example.org", "Anmeldung bestätigt: Auftakt mit Nachrücken")
	if n, _ := a.Store.CountEventLog(ctx, auto.ID, app.LogPromote); n != 1 {
		t.Fatalf("promote log: %d", n)
	}
}
