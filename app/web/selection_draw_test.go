package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/selection"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestDrawQuotas walks a Werkstattgespräch with quotas through the admin
// UI: a preset and a free category, answers to the free category in the
// application form, bad bounds refused at the field, an infeasible quota
// named with its smallest fix (nothing drawn), the leximin computation as a
// background job, the draw, a DRAW.json that verify accepts, the public
// lookup, and a decline whose seat goes to the first waiter who keeps the
// quotas.
func TestDrawQuotas(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	ev, people := quotaEvent(t, a, 4, "16_29", "16_29", "16_29", "16_29", "16_29", "30_44", "30_44", "30_44", "30_44", "65_plus", "65_plus", "")
	mod := a.SessionClient(t, a.CreateUser(t, "moderation-quoten@example.org", "Moderation Quoten", app.RoleModerator))
	quotas := eventAdminURL(ev) + "/quoten"

	// Categories: a free one needs a name and values.
	page := mod.Get(quotas)
	mustStatus(t, page, http.StatusOK)
	res := mod.Submit(page, "form[action$='/quoten/kategorien']", url.Values{"source": {"free"}, "name": {""}, "values": {"Miete"}})
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("name") == "" || !strings.Contains(res.FieldError("values"), "mindestens zwei Werte") {
		t.Fatalf("free category without name: %d name=%q values=%q", res.Status, res.FieldError("name"), res.FieldError("values"))
	}
	res = mod.Submit(page, "form[action$='/quoten/kategorien']", url.Values{"source": {"free"}, "name": {"Wohnsituation"}, "values": {"Miete\nEigentum"}})
	if !strings.Contains(res.Text(), "Die Kategorie ist angelegt") {
		t.Fatalf("free category: %d %s", res.Status, res.Text())
	}
	res = mod.Submit(mod.Get(quotas), "form[action$='/quoten/kategorien']", url.Values{"source": {"age"}})
	if !strings.Contains(res.Text(), "Altersgruppe") || !strings.Contains(res.Text(), "65 Jahre und älter") || !strings.Contains(res.Text(), "keine Angabe") {
		t.Fatalf("age preset: %d %s", res.Status, res.Text())
	}
	cats, _ := a.Store.SelectionCategories(ctx, ev.ID)
	if len(cats) != 2 || len(cats[1].Values) != 5 {
		t.Fatalf("categories: %+v", cats)
	}
	free, age := cats[0], cats[1]

	// A new applicant answers the free category; unknown values and answers
	// without consent are refused at their fields.
	late := a.CreateUser(t, "quote-spaet@example.org", "Spät Bewerberin", app.RoleCitizen)
	lc := a.SessionClient(t, late)
	field := "answer_cat_" + strconv.FormatInt(free.ID, 10)
	res = registerWeb(t, lc, ev, url.Values{field: {"Villa"}, "answers_consent": {"true"}})
	if res.Status != http.StatusUnprocessableEntity || res.FieldError(field) == "" {
		t.Fatalf("unknown value: %d %q", res.Status, res.FieldError(field))
	}
	res = registerWeb(t, lc, ev, url.Values{field: {"Miete"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("answers_consent"), "willigen Sie ein") {
		t.Fatalf("answer without consent: %d %q", res.Status, res.FieldError("answers_consent"))
	}
	res = registerWeb(t, lc, ev, url.Values{field: {"Miete"}, "answers_consent": {"true"}, "answer_age": {"30_44"}})
	if !strings.Contains(res.Text(), "Ihre Bewerbung ist eingegangen") {
		t.Fatalf("application with a free answer: %d %s", res.Status, res.Text())
	}
	people = append(people, late)
	lr := registrationOf(t, a, ev, late)
	if answers, _ := a.Store.SelectionAnswersOf(ctx, []int64{lr.ID}); answers[lr.ID][free.ID] != "Miete" {
		t.Fatalf("stored answers: %v", answers)
	}

	// Only moderators and admins change quotas.
	citizen := a.SessionClient(t, people[0])
	if st := citizen.PostForm(quotas+"/kategorien", url.Values{"source": {"gender"}}).Status; st != http.StatusForbidden {
		t.Fatalf("citizen adding a category: %d", st)
	}
	if st := citizen.PostForm(quotas+"/einstellungen", url.Values{"algorithm": {"legacy"}}).Status; st != http.StatusForbidden {
		t.Fatalf("citizen changing the settings: %d", st)
	}
	if res := mod.Submit(mod.Get(quotas), "form[action$='/einstellungen']", url.Values{"algorithm": {"zufall"}}); res.Status != http.StatusUnprocessableEntity || res.FieldError("algorithm") == "" {
		t.Fatalf("unknown algorithm: %d", res.Status)
	}
	if st, _ := a.Store.SelectionSettingsOf(ctx, ev.ID); st.Algorithm != "leximin" {
		t.Fatalf("settings changed: %+v", st)
	}

	// Bounds: min above max is refused at the field and changes nothing.
	byCode := map[string]*app.SelectionValue{}
	for _, v := range age.Values {
		byCode[v.Code] = v
	}
	old := *byCode["65_plus"]
	minField := app.QuotaField("min", old.ID)
	res = mod.Submit(mod.Get(quotas), "form[action$='/quoten']", url.Values{minField: {"3"}, app.QuotaField("max", old.ID): {"2"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(minField), "nicht größer als das Maximum") {
		t.Fatalf("min above max: %d %q", res.Status, res.FieldError(minField))
	}
	res = mod.Submit(mod.Get(quotas), "form[action$='/quoten']", url.Values{minField: {"-1"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(minField), "von 0 bis 4") {
		t.Fatalf("negative min: %d %q", res.Status, res.FieldError(minField))
	}
	if cats2, _ := a.Store.SelectionCategories(ctx, ev.ID); cats2[1].Values[3].MinSeats != old.MinSeats || cats2[1].Values[3].MaxSeats != old.MaxSeats {
		t.Fatalf("bounds changed by a refused form: %+v", cats2[1].Values[3])
	}

	// An infeasible quota: three seats for the two applicants aged 65+.
	set := url.Values{}
	bounds := map[string][2]int{"16_29": {1, 2}, "30_44": {1, 2}, "45_64": {0, 0}, "65_plus": {3, 3}, "": {0, 1}}
	for code, b := range bounds {
		set.Set(app.QuotaField("min", byCode[code].ID), strconv.Itoa(b[0]))
		set.Set(app.QuotaField("max", byCode[code].ID), strconv.Itoa(b[1]))
	}
	for _, v := range free.Values {
		set.Set(app.QuotaField("min", v.ID), "0")
		set.Set(app.QuotaField("max", v.ID), "4")
	}
	res = mod.Submit(mod.Get(quotas), "form[action$='/quoten']", set)
	if !strings.Contains(res.Text(), "Die Quoten sind gespeichert") {
		t.Fatalf("save quotas: %d %s", res.Status, res.Text())
	}
	want := "Kategorie „Altersgruppe“, Wert „65 Jahre und älter“: Mindestens 3 verlangt, aber nur 2 Bewerbungen – Minimum auf 2 senken"
	drawPage := mod.Get(eventAdminURL(ev) + "/auslosung")
	if !strings.Contains(drawPage.Text(), want) {
		t.Fatalf("feasibility on the draw page: %s", drawPage.Text())
	}
	res = mod.Submit(drawPage, "form[action$='/ankuendigen']", url.Values{"seed_source": {"Lottozahlen am Samstag"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text(), want) {
		t.Fatalf("announcing infeasible quotas: %d %s", res.Status, res.Text())
	}
	if _, err := a.Store.DrawOf(ctx, ev.ID); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("something was drawn: %v", err)
	}
	if _, err := a.Store.SelectionJobOf(ctx, ev.ID); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("a job was queued: %v", err)
	}
	if !reloadEvent(t, a, ev.ID).RegistrationOpen(a.Store.Now()) {
		t.Fatal("applications closed by a refused announcement")
	}

	// Feasible quotas: the computation runs in the background.
	set.Set(minField, "1")
	set.Set(app.QuotaField("max", old.ID), "2")
	mod.Submit(mod.Get(quotas), "form[action$='/quoten']", set)
	drawPage = mod.Get(eventAdminURL(ev) + "/auslosung")
	if !strings.Contains(drawPage.Text(), "Die Quoten sind mit den derzeitigen Bewerbungen erfüllbar") {
		t.Fatalf("feasible quotas: %s", drawPage.Text())
	}
	res = mod.Submit(drawPage, "form[action$='/ankuendigen']", url.Values{"seed_source": {"Lottozahlen am Samstag, 6 aus 49"}})
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Berechnung der Auslosung") {
		t.Fatalf("announce with quotas: %d %s", res.Status, res.Text())
	}
	if j := waitForJob(t, a, ev); j.Status != app.JobDone {
		t.Fatalf("job: %+v", j)
	}
	mustStatus(t, mod.Get(eventAdminURL(ev)+"/auslosung/status"), http.StatusOK)
	d, err := a.Store.DrawOf(ctx, ev.ID)
	if err != nil || d.Algorithm != "leximin" || d.PoolSize != 13 || d.Seats != 4 {
		t.Fatalf("draw record: %+v %v", d, err)
	}
	// Quotas are frozen now.
	res = mod.Submit(mod.Get(eventAdminURL(ev)+"/auslosung"), "form[action$='/ziehen']", url.Values{"seed": {"7 14 21 28 35 42"}, "witnesses": {"Erika Muster"}})
	if !strings.Contains(res.Text(), "Die Auslosung ist durchgeführt") {
		t.Fatalf("draw: %d %s", res.Status, res.Text())
	}
	if st := mod.PostForm(quotas, set).Status; st != http.StatusConflict {
		t.Fatalf("changing quotas after the draw: %d", st)
	}

	// DRAW.json from the platform passes `mitwirken selection verify`.
	dl := a.Client(t).Get(eventURL(ev) + "/auslosung/draw.json")
	mustStatus(t, dl, http.StatusOK)
	path := filepath.Join(t.TempDir(), "DRAW.json")
	if err := os.WriteFile(path, []byte(dl.Body), 0o600); err != nil {
		t.Fatal(err)
	}
	var report bytes.Buffer
	if err := selection.VerifyFile(path, &report); err != nil {
		t.Fatalf("verify: %v\n%s", err, report.String())
	}
	doc, err := selection.ReadDraw(strings.NewReader(dl.Body))
	if err != nil || len(doc.Categories) != 2 || doc.Algorithm != selection.Leximin || len(doc.Panels) != 1000 || len(doc.Selected) != 4 {
		t.Fatalf("DRAW.json: %v", err)
	}

	// The public page: quota table, statistics, lookup – no names.
	pub := a.Client(t)
	public := pub.Get(eventURL(ev) + "/auslosung")
	for _, s := range []string{"Quoten: Plätze je Wert", "Kleinste Wahrscheinlichkeit", "mitwirken-selection/1", "1000 möglichen Besetzungen", doc.PoolHash} {
		if !strings.Contains(public.Text(), s) {
			t.Fatalf("public draw page lacks %q: %s", s, public.Text())
		}
	}
	if strings.Contains(public.Body, "Bewerberin") || strings.Contains(public.Body, "@example.org") {
		t.Fatal("the public draw page shows personal data")
	}
	someone := doc.WaitingList[0]
	res = pub.Submit(public, "form[action$='/auslosung']", url.Values{"kennung": {strings.ToUpper(someone)}})
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Platz 1 der Warteliste") || !strings.Contains(res.Text(), someone) {
		t.Fatalf("lookup: %d %s", res.Status, res.Text())
	}
	res = pub.Submit(public, "form[action$='/auslosung']", url.Values{"kennung": {"B-000000000000"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("kennung"), "gehört nicht zu dieser Auslosung") {
		t.Fatalf("unknown id: %d %q", res.Status, res.FieldError("kennung"))
	}
	byPseudonym := map[string]*app.User{}
	for _, u := range people {
		byPseudonym[registrationOf(t, a, ev, u).Pseudonym] = u
	}
	chosen := byPseudonym[doc.Selected[0]]
	own := a.SessionClient(t, chosen).Get(eventURL(ev) + "/auslosung")
	if !strings.Contains(own.Text(), "Ihre Bewerbung") || !strings.Contains(own.Text(), "Ausgelost") {
		t.Fatalf("own result: %s", own.Text())
	}

	// A decline: the seat goes to the first waiter who keeps the quotas.
	holders := func() []string {
		regs, _ := a.Store.RegistrationsWithStatus(ctx, ev.ID, app.RegOffered, app.RegConfirmed)
		var ids []string
		for _, r := range regs {
			ids = append(ids, r.Pseudonym)
		}
		return ids
	}
	decliner := doc.Selected[0]
	for _, id := range doc.Selected { // prefer an applicant aged 65+: their seat needs another one
		if r := registrationOf(t, a, ev, byPseudonym[id]); r.AnswerAge == "65_plus" {
			decliner = id
		}
	}
	expected, err := selection.NextReplacement(doc, holders(), decliner)
	if err != nil || !expected.QuotasKept {
		t.Fatalf("expected replacement: %+v %v", expected, err)
	}
	t.Logf("replacement at waiting list position %d", expected.Position+1)
	if err := a.Platform.Events.RespondOwnOffer(ctx, byPseudonym[decliner], ev.ID, false); err != nil {
		t.Fatal(err)
	}
	if r := registrationOf(t, a, ev, byPseudonym[expected.ID]); r.Status != app.RegOffered {
		t.Fatalf("replacement %s (waiting list position %d) has %s", expected.ID, expected.Position+1, r.Status)
	}
	checkQuotasHeld(t, doc, holders())
	entries, _, _ := a.Store.ListAudit(ctx, store.AuditFilter{Action: app.AuditSelectionReplacement})
	if len(entries) != 1 || strings.Contains(entries[0].Details, "B-") {
		t.Fatalf("audit of the replacement: %+v", entries)
	}
	for _, action := range []string{app.AuditEventAnnounce, app.AuditEventDraw, app.AuditSelectionRequest, app.AuditSelectionQuotas} {
		if list, _, _ := a.Store.ListAudit(ctx, store.AuditFilter{Action: action}); len(list) == 0 {
			t.Fatalf("no audit entry %s", action)
		}
	}
	checkWaitingCounter(t, a, ev.ID)
}

// checkQuotasHeld checks the seat holders against every quota of the draw.
func checkQuotasHeld(t testing.TB, doc *selection.Draw, holders []string) {
	t.Helper()
	if len(holders) != doc.PanelSize {
		t.Fatalf("%d seat holders, panel size %d", len(holders), doc.PanelSize)
	}
	values := map[string]map[string]string{}
	for _, p := range doc.Pool {
		values[p.ID] = p.Values
	}
	for _, c := range doc.Categories {
		for _, q := range c.Values {
			n := 0
			for _, h := range holders {
				if values[h][c.Name] == q.Value {
					n++
				}
			}
			if n < q.Min || n > q.Max {
				t.Fatalf("quota %s/%s: %d seats, bounds %d–%d", c.Name, q.Value, n, q.Min, q.Max)
			}
		}
	}
}
