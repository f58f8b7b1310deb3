package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestAbwaegungWorkflow walks one assessment through every state in the
// browser's forms (no JavaScript): rules assign it to the lead Fachamt with
// a co-signer, the Fachamt drafts, co-signs, submits; AG INSEK returns it,
// it is redone and co-signed again, and another person of AG INSEK
// publishes it; the author hears of it only then. The history shows who
// wrote which text.
func TestAbwaegungWorkflow(t *testing.T) {
	f := newAbwFix(t)
	f.rule(t, app.RuleChapter, "wohnen", "ASW", app.RuleLead)
	f.rule(t, app.RuleTag, "verkehr", "VTA", app.RuleCosign)
	c := f.tagged(t, f.cit, "Bitte Quartiersgaragen statt Parkplätzen in Neubaugebieten.", "verkehr")

	ag := f.a.SessionClient(t, f.agA)
	res := ag.Submit(ag.Get("/abwaegung/regeln"), "main form[action='/abwaegung/regeln/anwenden']", nil)
	if !strings.Contains(res.Text(), "Zugeordnet: 1.") {
		t.Fatalf("apply rules: %s", res.Text())
	}
	n := c.PublicNumber()
	asw := f.a.SessionClient(t, f.staffASW)
	queue := asw.Get("/abwaegung/amt/ASW")
	if queue.Status != 200 || queue.Doc.Find("a[href='/abwaegung/"+n+"']").Length() != 1 {
		t.Fatalf("ASW queue lacks %s: %d %s", n, queue.Status, queue.Text())
	}
	page := asw.Get("/abwaegung/" + n)
	if !strings.Contains(page.Text(), "Verkehrs- und Tiefbauamt (VTA): noch nicht mitgezeichnet") {
		t.Fatalf("assessment page: %s", page.Text())
	}
	// Errors are shown next to the fields and nothing is stored.
	res = asw.Submit(page, "form[action='/abwaegung/"+n+"/entwurf']", vals("result", "", "reasoning", ""))
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("result") == "" || res.FieldError("reasoning") == "" {
		t.Fatalf("empty draft: %d %q %q", res.Status, res.FieldError("result"), res.FieldError("reasoning"))
	}
	if a := f.assessment(t, c); a.TextNumber != 0 {
		t.Fatal("an invalid draft was stored")
	}
	first := "Quartiersgaragen werden im Baulandmodell geprüft."
	res = asw.Submit(page, "form[action='/abwaegung/"+n+"/entwurf']", vals("result", app.AssessPartly, "reasoning", first, "change_anchor", "p-2",
		"change_text", "Erster Absatz über bezahlbares Wohnen und Quartiersgaragen."))
	if !strings.Contains(res.Text(), "Der Entwurf ist gespeichert") || !strings.Contains(res.Text(), "im Entwurf") {
		t.Fatalf("save draft: %d %s", res.Status, res.Text())
	}
	if res.Doc.Find("ins").Length() == 0 {
		t.Error("the proposed change is not shown as a redline")
	}
	// Submitting needs the co-signature.
	res = asw.Submit(res, "form[action='/abwaegung/"+n+"/schritt']:has(input[value='submit'])", nil)
	if res.Status != http.StatusConflict || !strings.Contains(res.Text(), "Mitzeichnung von: VTA") {
		t.Fatalf("submit without co-signature: %d %s", res.Status, res.Text())
	}
	vta := f.a.SessionClient(t, f.staffVTA)
	res = vta.Submit(vta.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='cosign'])", nil)
	if !strings.Contains(res.Text(), "Sie haben mitgezeichnet") || !strings.HasPrefix(stateOf(res), "mitgezeichnet") {
		t.Fatalf("cosign: %d %s", res.Status, res.Text())
	}
	// VTA co-signs but does not write.
	if vta.Get("/abwaegung/"+n).Doc.Find("form[action='/abwaegung/"+n+"/entwurf']").Length() != 0 {
		t.Error("the co-signer is offered the draft form")
	}
	if r := vta.PostForm("/abwaegung/"+n+"/entwurf", vals("version", "3", "result", app.AssessConsidered, "reasoning", "x")); r.Status != http.StatusForbidden {
		t.Errorf("co-signer saving a draft: %d", r.Status)
	}
	res = asw.Submit(asw.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='submit'])", nil)
	if !strings.Contains(res.Text(), "zur Prüfung eingereicht") {
		t.Fatalf("submit: %d %s", res.Status, res.Text())
	}
	// AG INSEK returns it with a comment (required).
	review := ag.Get("/abwaegung/" + n)
	res = ag.Submit(review, "form[action='/abwaegung/"+n+"/schritt']:has(input[value='return'])", vals("return_comment", ""))
	if res.FieldError("return_comment") == "" {
		t.Fatalf("return without comment: %d %s", res.Status, res.Text())
	}
	res = ag.Submit(review, "form[action='/abwaegung/"+n+"/schritt']:has(input[value='return'])", vals("return_comment", "Bitte die Zahl der Stellplätze nennen."))
	if !strings.Contains(res.Text(), "zur Überarbeitung zurückgegeben") {
		t.Fatalf("return: %s", res.Text())
	}
	second := "Quartiersgaragen mit 400 Stellplätzen werden im Baulandmodell geprüft."
	page = asw.Get("/abwaegung/" + n)
	if !strings.Contains(page.Text(), "Bitte die Zahl der Stellplätze nennen.") {
		t.Error("the Fachamt does not see the return comment")
	}
	asw.Submit(page, "form[action='/abwaegung/"+n+"/entwurf']", vals("reasoning", second))
	// The text changed: VTA signs again before it can go to review.
	res = asw.Submit(asw.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='submit'])", nil)
	if res.Status != http.StatusConflict {
		t.Fatalf("submit of a changed text without new co-signature: %d", res.Status)
	}
	vta.Submit(vta.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='cosign'])", nil)
	asw.Submit(asw.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='submit'])", nil)
	time.Sleep(200 * time.Millisecond)
	if len(f.a.Mail.MailsTo("buergerin@example.org")) != 0 {
		t.Fatal("the author was mailed before publication")
	}
	res = ag.Submit(ag.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='publish'])", nil)
	if !strings.Contains(res.Text(), "ist veröffentlicht") {
		t.Fatalf("publish: %d %s", res.Status, res.Text())
	}
	mail := f.a.Mail.WaitFor("buergerin@example.org", "Was aus Ihrem Beitrag")
	for _, want := range []string{second, "teilweise berücksichtigt", "Amt für Wohnungsbau und Stadterneuerung"} {
		if !strings.Contains(mail.Text, want) {
			t.Errorf("mail lacks %q:\n%s", want, mail.Text)
		}
	}
	if !strings.Contains(f.a.Client(t).Get("/beitraege/"+n).Text(), second) {
		t.Error("the published assessment is not public")
	}
	// The chapter's version comparison shows the proposed change.
	redline := f.a.Client(t).Get("/entwurf/wohnen/fassungen")
	if proposal := redline.Doc.Find("#vorgeschlagene-aenderungen"); !strings.Contains(proposal.Find("ins").Text(), "Quartiersgaragen") ||
		!strings.Contains(proposal.Text(), "Vorgeschlagene Änderung") || !strings.Contains(proposal.Text(), n) {
		t.Errorf("redline without the proposed change: %s", redline.Text())
	}
	// The history names who wrote which text, in which capacity.
	page = ag.Get("/abwaegung/" + n)
	versions := page.Doc.Find("ol.versions li")
	if versions.Length() != 2 || !strings.Contains(versions.First().Text(), second) || !strings.Contains(versions.Last().Text(), first) ||
		!strings.Contains(versions.First().Text(), "ASW Sachbearbeiterin (Fachamt ASW)") {
		t.Fatalf("version history: %s", page.Doc.Find("ol.versions").Text())
	}
	for _, want := range []string{"zur Überarbeitung zurückgegeben – AG Prüferin (AG INSEK)", "veröffentlicht – AG Prüferin (AG INSEK)", "mitgezeichnet – VTA Sachbearbeiter (Fachamt)"} {
		if !strings.Contains(page.Text(), want) {
			t.Errorf("history lacks %q: %s", want, page.Text())
		}
	}
	var transitions int64
	f.a.Store.Gorm().Model(&app.AuditEntry{}).Where("action = ? AND object_id = ?", app.AuditTransition, n).Count(&transitions)
	if transitions < 9 {
		t.Errorf("%d transitions in the audit log", transitions)
	}
}

// TestAbwaegungFourEyes: whoever wrote a text cannot publish it, in the
// browser, in bulk and through the API; someone else can.
func TestAbwaegungFourEyes(t *testing.T) {
	f := newAbwFix(t)
	f.rule(t, app.RuleChapter, "wohnen", "ASW", app.RuleLead)
	one := f.tagged(t, f.cit, "Mehr Bänke an der Promenade.")
	two := f.tagged(t, f.other, "Mehr Spielplätze im Quartier.")
	if _, _, err := f.a.Platform.Abwaegung.ApplyRules(t.Context(), f.agA, true, 100); err != nil {
		t.Fatal(err)
	}
	ag := f.a.SessionClient(t, f.agA)
	for _, c := range []*app.Contribution{one, two} {
		n := c.PublicNumber()
		ag.Submit(ag.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/entwurf']", vals("result", app.AssessNoted, "reasoning", "Wird geprüft."))
		ag.Submit(ag.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='submit'])", nil)
	}
	page := ag.Get("/abwaegung/" + one.PublicNumber())
	if page.Doc.Find("input[value='publish']").Length() != 0 || !strings.Contains(page.Text(), "Vier-Augen-Prinzip") {
		t.Fatalf("the author is offered publication: %s", page.Text())
	}
	a := f.assessment(t, one)
	res := ag.PostForm("/abwaegung/"+one.PublicNumber()+"/schritt", vals("action", "publish", "version", strconv.Itoa(a.Version)))
	if res.Status != http.StatusConflict || !strings.Contains(res.Text(), "Vier-Augen-Prinzip") {
		t.Fatalf("publish own text: %d %s", res.Status, res.Text())
	}
	var out map[string]any
	if s := ag.JSON(http.MethodPost, "/api/v1/assessments/"+one.PublicNumber()+"/transitions", map[string]any{"action": "publish", "version": a.Version}, &out); s != http.StatusConflict {
		t.Fatalf("API publish own text: %d %v", s, out)
	}
	res = ag.PostForm("/abwaegung/sammelaktion", vals("ids", itoa(one.ID), "ids", itoa(two.ID), "bulk_action", "publish"))
	if !strings.Contains(res.Text(), "Erledigt: 0") || strings.Count(res.Text(), "Vier-Augen-Prinzip") != 2 {
		t.Fatalf("bulk publish of own texts: %s", res.Text())
	}
	if got := f.assessment(t, one); got.State != app.StateInReview {
		t.Fatalf("state after refused publication: %s", got.State)
	}
	other := f.a.SessionClient(t, f.agB)
	res = other.PostForm("/abwaegung/sammelaktion", vals("ids", itoa(one.ID), "ids", itoa(two.ID), "bulk_action", "publish"))
	if !strings.Contains(res.Text(), "Erledigt: 2") {
		t.Fatalf("bulk publish by another person: %s", res.Text())
	}
	f.a.Mail.WaitFor("buergerin@example.org", "Was aus Ihrem Beitrag")
	f.a.Mail.WaitFor("nachbar@example.org", "Was aus Ihrem Beitrag")
}

// stateOf is the state an assessment page shows.
func stateOf(r *testenv.Response) string {
	return strings.TrimSpace(r.Doc.Find("section[aria-labelledby='state-title'] dd").First().Text())
}

// TestAbwaegungDuplicateGroupTellsEachAuthor: a group of duplicates gets
// one assessment through its primary; nobody is told before AG INSEK
// publishes it, then every author of the group gets the mail once, about
// their own contribution, and each contribution shows the answer.
func TestAbwaegungDuplicateGroupTellsEachAuthor(t *testing.T) {
	f := newAbwFix(t)
	f.rule(t, app.RuleChapter, "wohnen", "ASW", app.RuleLead)
	third := f.a.CreateUser(t, "dritte@example.org", "Dritte Person", app.RoleCitizen)
	primary := f.tagged(t, f.cit, "Mehr Bänke an der Promenade am Elsterflutbett.")
	dupOne := f.tagged(t, f.other, "Bitte Sitzbänke entlang der Promenade am Elsterflutbett aufstellen.")
	dupTwo := f.tagged(t, third, "An der Elsterflutbett-Promenade fehlen Bänke.")
	ctx := t.Context()
	if _, _, err := f.a.Platform.Abwaegung.ApplyRules(ctx, f.agA, true, 100); err != nil {
		t.Fatal(err)
	}
	for _, d := range []*app.Contribution{dupOne, dupTwo} {
		if _, err := f.a.Store.MarkDuplicate(ctx, f.mod, d.ID, primary.Number); err != nil {
			t.Fatal(err)
		}
	}
	n := primary.PublicNumber()
	staff := f.a.SessionClient(t, f.staffASW)
	if r := staff.Get("/abwaegung/" + dupTwo.PublicNumber()); r.URL.Path != "/abwaegung/"+n {
		t.Fatalf("a duplicate's assessment page leads to %s", r.URL)
	}
	const reasoning = "Neue Bänke sind für 2027 im Fachkonzept Freiraum eingeplant."
	staff.Submit(staff.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/entwurf']", vals("result", app.AssessConsidered, "reasoning", reasoning))
	staff.Submit(staff.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='submit'])", nil)
	if got := f.assessment(t, primary); got.State != app.StateInReview {
		t.Fatalf("state before publication: %s", got.State)
	}
	assessedMails := func() int64 {
		var k int64
		if err := f.a.Store.Gorm().Table("outbox").Where("kind = ?", "contribution_assessed").Count(&k).Error; err != nil {
			t.Fatal(err)
		}
		return k
	}
	if k := assessedMails(); k != 0 {
		t.Fatalf("%d authors told before publication", k)
	}
	ag := f.a.SessionClient(t, f.agA)
	ag.Submit(ag.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='publish'])", nil)
	if got := f.assessment(t, primary); got.State != app.StatePublished {
		t.Fatalf("state after publication: %s", got.State)
	}
	if k := assessedMails(); k != 3 {
		t.Errorf("%d mails for a group of three", k)
	}
	for addr, c := range map[string]*app.Contribution{"buergerin@example.org": primary, "nachbar@example.org": dupOne, "dritte@example.org": dupTwo} {
		m := f.a.Mail.WaitFor(addr, "Was aus Ihrem Beitrag")
		if !strings.Contains(m.Text, c.PublicNumber()) || !strings.Contains(m.Text, reasoning) {
			t.Errorf("mail to %s: %s", addr, m.Text)
		}
		got := f.contribution(t, c.ID)
		if got.AssessmentStatus != app.AssessConsidered || got.AssessmentReasoning != reasoning || got.AssessmentPublishedAt == nil {
			t.Errorf("%s shows %q %q", c.PublicNumber(), got.AssessmentStatus, got.AssessmentReasoning)
		}
	}
}
