package web_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSelectionDraw walks a Werkstattgespräch with more applicants than
// seats: applications (answers only with consent), the announcement of the
// seed source with the frozen pool, the draw with the seed, offers to the
// drawn and a waiting list from the same draw, a DRAW.json that the verify
// command accepts, and unconfirmed seats passing on after the deadline.
func TestSelectionDraw(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	ev := createEvent(t, a, func(in *app.EventInput) {
		in.Allocation = string(app.AllocSelection)
		in.Capacity = app.N(3)
		in.ConfirmHours = app.N(72)
	})
	var people []*app.User
	for i := 0; i < 8; i++ {
		people = append(people, a.CreateUser(t, fmt.Sprintf("bewerbung%d@example.org", i), fmt.Sprintf("Bewerberin %d", i), app.RoleCitizen))
	}

	// Answers without consent are refused with a message at the checkbox.
	c0 := a.SessionClient(t, people[0])
	res := registerWeb(t, c0, ev, url.Values{"answer_age": {"30_44"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("answers_consent"), "willigen Sie ein") {
		t.Fatalf("answers without consent: %d %q", res.Status, res.FieldError("answers_consent"))
	}
	res = registerWeb(t, c0, ev, url.Values{"answer_age": {"30_44"}, "answer_ortsteil": {"31"}, "answer_gender": {"female"}, "answer_first_time": {"yes"}, "answers_consent": {"true"}})
	if !strings.Contains(res.Text(), "Ihre Bewerbung ist eingegangen") {
		t.Fatalf("application: %s", res.Text())
	}
	r0 := registrationOf(t, a, ev, people[0])
	if r0.Status != app.RegApplied || r0.AnswerAge != "30_44" || r0.AnswerOrtsteil != "31" || !r0.AnswersConsent {
		t.Fatalf("stored application: %+v", r0)
	}
	applied := a.Mail.WaitFor("bewerbung0@example.org", "Bewerbung eingegangen")
	if !strings.Contains(applied.Text, r0.Pseudonym) {
		t.Fatalf("applicant number missing from the mail: %s", applied.Text)
	}
	for _, u := range people[1:] {
		if _, err := a.Platform.Events.Register(ctx, u, ev.ID, app.RegistrationInput{}); err != nil {
			t.Fatal(err)
		}
	}

	// The moderator announces the draw: applications close, the pool is frozen.
	mod := a.SessionClient(t, a.CreateUser(t, "moderation@example.org", "Moderation Los", app.RoleModerator))
	page := mod.Get(eventAdminURL(ev) + "/auslosung")
	mustStatus(t, page, http.StatusOK)
	res = mod.Submit(page, "form[action$='/ankuendigen']", url.Values{"seed_source": {""}})
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("seed_source") == "" {
		t.Fatalf("announcement without a seed source: %d", res.Status)
	}
	source := "Ziehung der Lottozahlen 6 aus 49 am Samstag, in Ziehungsreihenfolge, durch Leerzeichen getrennt"
	res = mod.Submit(page, "form[action$='/ankuendigen']", url.Values{"seed_source": {source}})
	if !strings.Contains(res.Text(), "Die Auslosung ist angekündigt") {
		t.Fatalf("announce: %d %s", res.Status, res.Text())
	}
	d, err := a.Store.DrawOf(ctx, ev.ID)
	if err != nil || d.PoolSize != 8 || d.Seats != 3 || d.Seed != nil {
		t.Fatalf("draw record: %+v %v", d, err)
	}
	public := a.Client(t).Get(eventURL(ev) + "/auslosung")
	if !strings.Contains(public.Text(), d.PoolHash) || !strings.Contains(public.Text(), source) || !strings.Contains(public.Text(), "noch nicht stattgefunden") {
		t.Fatalf("public draw page before the draw: %s", public.Text())
	}
	// Applications are closed now.
	late := a.SessionClient(t, a.CreateUser(t, "spaet@example.org", "Zu Spät", app.RoleCitizen))
	var got map[string]any
	if st := late.JSON(http.MethodPost, "/api/v1/events/"+itoa(ev.ID)+"/registrations", nil, &got); st != http.StatusGone {
		t.Fatalf("application after the announcement: %d", st)
	}
	// One applicant who is going to be drawn withdraws after the pool was
	// frozen: the published list and the seed tell who that will be.
	seed := "3 12 19 27 38 45"
	announced, err := selection.ReadDraw(strings.NewReader(a.Client(t).Get(eventURL(ev) + "/auslosung/draw.json").Body))
	if err != nil || announced.Seed != nil || len(announced.Panels) != 1000 {
		t.Fatalf("DRAW.json before the draw: %v", err)
	}
	var ph [32]byte
	rawHash, _ := hex.DecodeString(announced.PoolHash)
	copy(ph[:], rawHash)
	byPseudonym := map[string]*app.User{}
	for _, u := range people {
		byPseudonym[registrationOf(t, a, ev, u).Pseudonym] = u
	}
	withdrawn := byPseudonym[announced.Panels[selection.ChooseIndex(seed, ph, len(announced.Panels))][0]]
	if err := a.Platform.Events.CancelOwn(ctx, withdrawn, ev.ID); err != nil {
		t.Fatal(err)
	}

	// The draw.
	page = mod.Get(eventAdminURL(ev) + "/auslosung")
	res = mod.Submit(page, "form[action$='/ziehen']", url.Values{"seed": {seed}, "witnesses": {"Maria Muster\nFrank Beispiel"}})
	if !strings.Contains(res.Text(), "Die Auslosung ist durchgeführt") {
		t.Fatalf("draw: %d %s", res.Status, res.Text())
	}
	dl := a.Client(t).Get(eventURL(ev) + "/auslosung/draw.json")
	mustStatus(t, dl, http.StatusOK)
	path := filepath.Join(t.TempDir(), "DRAW.json")
	if err := os.WriteFile(path, []byte(dl.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	var report bytes.Buffer
	if err := selection.VerifyFile(path, &report); err != nil {
		t.Fatalf("mitwirken selection verify DRAW.json: %v\n%s", err, report.String())
	}
	doc, err := selection.ReadDraw(strings.NewReader(dl.Body))
	if err != nil || doc.Seed == nil || *doc.Seed != seed || len(doc.Selected) != 3 || len(doc.WaitingList) != 5 || doc.SeedSource != source {
		t.Fatalf("DRAW.json: %+v %v", doc, err)
	}
	// Recomputing the choice from the published seed and pool hash gives
	// the same panel, so anybody can check it.
	var h [32]byte
	raw, _ := hex.DecodeString(doc.PoolHash)
	copy(h[:], raw)
	if idx := selection.ChooseIndex(seed, h, len(doc.Panels)); idx != *doc.ChosenIndex {
		t.Fatalf("chosen index %d, recomputed %d", *doc.ChosenIndex, idx)
	}

	withdrawnDrawn := false
	for _, id := range doc.Selected {
		u := byPseudonym[id]
		r := registrationOf(t, a, ev, u)
		if u == withdrawn {
			withdrawnDrawn = true
			if r.Status != app.RegCancelled {
				t.Fatalf("withdrawn applicant got %s", r.Status)
			}
			continue
		}
		if r.Status != app.RegOffered || r.OfferExpiresAt.Sub(a.Store.Now()) < 71*time.Hour {
			t.Fatalf("drawn applicant: %s until %v", r.Status, r.OfferExpiresAt)
		}
		m := a.Mail.WaitFor(u.EmailAddress(), "Ein Platz für Sie")
		if !strings.Contains(m.Text, "ausgelost") {
			t.Fatalf("selected mail: %s", m.Text)
		}
	}
	// The waiting list follows the draw's order (minus the withdrawn).
	waiting, _ := a.Store.WaitingList(ctx, ev.ID)
	var order []string
	for _, id := range doc.WaitingList {
		if u := byPseudonym[id]; u != withdrawn {
			order = append(order, id)
		}
	}
	if !withdrawnDrawn {
		t.Fatal("the withdrawn applicant was not among the drawn")
	}
	{
		// Their seat went to the first on the waiting list at once.
		if r := registrationOf(t, a, ev, byPseudonym[order[0]]); r.Status != app.RegOffered {
			t.Fatalf("seat of the withdrawn applicant: first waiting has %s", r.Status)
		}
		order = order[1:]
	}
	if len(waiting) != len(order) {
		t.Fatalf("%d waiting, want %d", len(waiting), len(order))
	}
	for i, w := range waiting {
		if w.Pseudonym != order[i] {
			t.Fatalf("waiting list position %d: %s, draw says %s", i+1, w.Pseudonym, order[i])
		}
	}
	first := byPseudonym[order[0]]
	wm := a.Mail.WaitFor(first.EmailAddress(), "Warteliste")
	if !strings.Contains(wm.Text, "Platz 1 der Warteliste") {
		t.Fatalf("waiting list mail: %s", wm.Text)
	}
	public = a.Client(t).Get(eventURL(ev) + "/auslosung")
	if !strings.Contains(public.Text(), seed) || !strings.Contains(public.Text(), "Maria Muster") || !strings.Contains(public.Text(), doc.Selected[0]) {
		t.Fatalf("public draw page after the draw: %s", public.Text())
	}

	checkWaitingCounter(t, a, ev.ID)
	// One drawn person confirms; the others let the deadline pass.
	var confirmer *app.User
	for _, id := range doc.Selected {
		if u := byPseudonym[id]; u != withdrawn {
			confirmer = u
			break
		}
	}
	if err := a.Platform.Events.RespondOwnOffer(ctx, confirmer, ev.ID, true); err != nil {
		t.Fatal(err)
	}
	a.Clock.Advance(73 * time.Hour)
	if _, err := a.Platform.Events.ExpireOffers(ctx); err != nil {
		t.Fatal(err)
	}
	counts, _ := a.Store.CountRegistrations(ctx, []int64{ev.ID})
	c := counts[ev.ID]
	if c.Confirmed != 1 || c.Offered != 2 || reloadEvent(t, a, ev.ID).SeatsTaken != 3 {
		t.Fatalf("after the deadline: %+v", c)
	}
	// The offers went to the next people in the draw's order.
	for _, id := range order[:2] {
		if r := registrationOf(t, a, ev, byPseudonym[id]); r.Status != app.RegOffered {
			t.Fatalf("next in the draw's order (%s) has %s", id, r.Status)
		}
	}
}
