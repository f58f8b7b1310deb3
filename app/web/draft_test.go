package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestCommentOnParagraphWithPreModeration: a citizen follows "kommentieren"
// beside a paragraph, the comment waits for approval (only its author sees
// it), a moderator approves it in the queue and then everyone sees it beside
// the paragraph, with the count.
func TestCommentOnParagraphWithPreModeration(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	c := f.a.SessionClient(t, f.cit)

	page := c.Get("/entwurf/wohnen")
	if page.Status != http.StatusOK {
		t.Fatalf("chapter page: %d", page.Status)
	}
	for _, anchor := range []string{"p-1", "p-2", "p-3", "p-4", "p-5", "p-6"} {
		if page.Doc.Find("#"+anchor).Length() != 1 {
			t.Errorf("anchor %s missing on the chapter page", anchor)
		}
	}
	if got := strings.Join(strings.Fields(page.Doc.Find("#p-3 .draft-block-text").Text()), " "); got != "Zweiter Absatz über Freiräume und Grün in den wachsenden Quartieren." {
		t.Errorf("#p-3 holds %q", got)
	}
	href, ok := page.Doc.Find("#p-3 a.block-comment").Attr("href")
	if !ok || href != "/entwurf/wohnen/kommentieren?absatz=p-3" {
		t.Fatalf("kommentieren beside p-3 links to %q", href)
	}
	form := c.Get(href)
	if !strings.Contains(form.Text(), "Sie kommentieren diesen Absatz: Absatz 3 Zweiter Absatz über Freiräume") {
		t.Fatalf("the paragraph form does not quote the paragraph: %s", form.Text())
	}
	res := c.Submit(form, "form#kommentar-formular", vals("body", "Mehr Bäume bitte!\nUnd Bänke zum Ausruhen."))
	if !strings.Contains(res.Text(), "wird von der Moderation geprüft") {
		t.Fatalf("no pending notice after commenting: %d %s", res.Status, res.Text())
	}
	mine := commentText(res, 1)
	if !strings.Contains(mine, "Wartet auf Freigabe") || !strings.Contains(mine, "Mehr Bäume bitte!") {
		t.Fatalf("the author does not see the pending comment: %q", mine)
	}

	anon := f.a.Client(t)
	if body := anon.Get("/entwurf/wohnen").Body; strings.Contains(body, "Mehr Bäume") {
		t.Fatal("a pending comment is visible to readers")
	}
	if r := anon.Get("/beitraege/A-0001"); r.Status != http.StatusNotFound {
		t.Fatalf("pending contribution page for readers: %d", r.Status)
	}
	var apiList struct {
		Comments []struct{ Number string } `json:"comments"`
	}
	anon.JSON(http.MethodGet, "/api/v1/chapters/"+itoa(f.ch.ID)+"/comments", nil, &apiList)
	if len(apiList.Comments) != 0 {
		t.Fatalf("the API lists a pending comment to readers: %+v", apiList)
	}

	mc := f.a.SessionClient(t, f.mod)
	queue := mc.Get("/admin/moderation")
	if !strings.Contains(queue.Text(), "A-0001") || !strings.Contains(queue.Text(), "Mehr Bäume bitte!") {
		t.Fatalf("the queue does not list the pending comment: %s", queue.Text())
	}
	detail := mc.Get("/admin/moderation/A-0001")
	res = mc.Submit(detail, "form[action='/admin/moderation/A-0001/entscheidung']", vals("action", "approve"))
	if !strings.Contains(res.Text(), "Die Entscheidung ist gespeichert") {
		t.Fatalf("approve: %d %s", res.Status, res.Text())
	}
	if h := lastHistoryRow(res); len(h) != 4 || h[1] != "Moderatorin" || h[2] != "freigegeben" {
		t.Errorf("the history does not show who approved: %q", h)
	}

	page = anon.Get("/entwurf/wohnen")
	text := commentText(page, 1)
	if !strings.Contains(text, "Mehr Bäume bitte!") || !strings.Contains(text, "Absatz 3") || !strings.Contains(text, "Lindenauerin") {
		t.Fatalf("approved comment on the chapter page: %q", text)
	}
	if got := strings.TrimSpace(page.Doc.Find("#p-3 .block-count").Text()); !strings.HasPrefix(got, "1 Kommentar") {
		t.Errorf("count beside p-3: %q", got)
	}
	if page.Doc.Find("#p-2 .block-count").Length() != 0 {
		t.Error("p-2 shows a count without comments")
	}
	if ref, _ := page.Doc.Find("#beitrag-1 .comment-ref a").Attr("href"); ref != "/entwurf/wohnen#p-3" {
		t.Errorf("comment links to %q", ref)
	}
	if html, _ := page.Doc.Find("#beitrag-1 .comment-body").Html(); !strings.Contains(html, "Mehr Bäume bitte!\nUnd Bänke") {
		t.Errorf("line break lost: %q", html)
	}
	if got := auditActions(t, f.a, "contribution", "A-0001"); len(got) != 1 || got[0] != app.AuditModerate {
		t.Errorf("audit log of A-0001: %v", got)
	}
}

// TestCommentFormWithParagraphChooserAndTags: without script, the form at
// the end of the chapter page chooses the paragraph (here a list item) and
// tags the comment with Handlungsschwerpunkte, themes and an Ortsteil.
func TestCommentFormWithParagraphChooserAndTags(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	c := f.a.SessionClient(t, f.cit)
	page := c.Get("/entwurf/wohnen")
	options := page.Doc.Find("#f-paragraph option")
	if options.Length() != 7 || !strings.Contains(options.Eq(5).Text(), "Absatz 5: Punkt zwei zum Klimaschutz") {
		t.Fatalf("paragraph chooser has %d options: %q", options.Length(), options.Text())
	}
	form := url.Values{"body": {"Klimaschutz im Bestand braucht Förderung für Mieterinnen und Mieter."}, "paragraph": {"p-5"},
		"tags": {"lq4", "umwelt-klima"}, "ortsteil": {"70"}}
	res := c.Submit(page, "form#kommentar-formular", form)
	if !strings.Contains(res.Text(), "Ihr Beitrag ist veröffentlicht") {
		t.Fatalf("post-moderated comment: %d %s", res.Status, res.Text())
	}
	text := commentText(f.a.Client(t).Get("/entwurf/wohnen"), 1)
	for _, want := range []string{"Absatz 5", "Vorsorgende Klima- und Energiestrategie", "Umwelt/Klima", "Lindenau", "Klimaschutz im Bestand"} {
		if !strings.Contains(text, want) {
			t.Errorf("comment lacks %q: %q", want, text)
		}
	}
	stored := f.contribution(t, 1)
	if stored.Paragraph != "p-5" || stored.Ortsteil() != "70" || len(stored.Tags) != 2 || stored.VersionID == nil || *stored.VersionID != *f.ch.CurrentVersionID {
		t.Fatalf("stored: %+v", stored)
	}
}

// TestRejectAndHideTellTheAuthorTheReason: rejection (pre-moderation) and
// hiding (post-moderation) need a reason, are mailed to the author with it
// and logged: who, when, what, why.
func TestRejectAndHideTellTheAuthorTheReason(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	f.comment(t, f.cit, "p-2", "Das ist alles Unsinn, ihr Idioten.")
	mc := f.a.SessionClient(t, f.mod)
	detail := mc.Get("/admin/moderation/A-0001")

	res := mc.Submit(detail, "form[action='/admin/moderation/A-0001/entscheidung']", vals("action", "reject"))
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("reason") != "Fehler: Bitte wählen Sie einen Grund." {
		t.Fatalf("reject without reason: %d %q", res.Status, res.FieldError("reason"))
	}
	res = mc.Submit(detail, "form[action='/admin/moderation/A-0001/entscheidung']", vals("action", "reject", "reason", "sonstiges"))
	if res.FieldError("reason_text") != "Fehler: Bitte beschreiben Sie den Grund." {
		t.Fatalf("sonstiges without text: %q", res.FieldError("reason_text"))
	}
	if c := f.contribution(t, 1); c.Status != app.StatusPending {
		t.Fatalf("a refused decision changed the status to %s", c.Status)
	}
	res = mc.Submit(detail, "form[action='/admin/moderation/A-0001/entscheidung']", vals("action", "reject", "reason", "beleidigung", "reason_text", "Bitte bleiben Sie sachlich."))
	if !strings.Contains(res.Text(), "Die Entscheidung ist gespeichert") {
		t.Fatalf("reject: %d %s", res.Status, res.Text())
	}
	mail := f.a.Mail.WaitFor("buergerin@example.org", "Entscheidung der Moderation")
	for _, want := range []string{"A-0001", "nicht veröffentlicht", "Grund: Beleidigung", "Bitte bleiben Sie sachlich.", f.a.URL + "/beitraege/A-0001"} {
		if !strings.Contains(mail.Text, want) {
			t.Errorf("rejection mail lacks %q:\n%s", want, mail.Text)
		}
	}
	if strings.Contains(f.a.Client(t).Get("/entwurf/wohnen").Body, "Unsinn") {
		t.Fatal("a rejected comment is public")
	}
	own := commentText(f.a.SessionClient(t, f.cit).Get("/entwurf/wohnen"), 1)
	if !strings.Contains(own, "Nicht veröffentlicht. Grund: Beleidigung") {
		t.Errorf("the author does not see why: %q", own)
	}
	history := lastHistoryRow(mc.Get("/admin/moderation/A-0001"))
	if len(history) != 4 || history[1] != "Moderatorin" || history[2] != "abgelehnt" || history[3] != "Beleidigung: Bitte bleiben Sie sachlich." {
		t.Errorf("history lacks who/what/why: %q", history)
	}
	// Repeating the decision changes nothing and mails nothing.
	mc.Submit(detail, "form[action='/admin/moderation/A-0001/entscheidung']", vals("action", "reject", "reason", "beleidigung", "reason_text", "Bitte bleiben Sie sachlich."))
	time.Sleep(200 * time.Millisecond)
	if n := len(f.a.Mail.MailsTo("buergerin@example.org")); n != 1 {
		t.Errorf("%d mails after repeating the decision", n)
	}

	// Post-moderation: visible at once, hidden later, with a placeholder.
	post := newDraftFix(t, app.ModerationPost)
	post.comment(t, post.other, "", "Kaufen Sie jetzt günstige Ferienwohnungen unter www.beispiel-werbung.de!")
	if !strings.Contains(post.a.Client(t).Get("/entwurf/wohnen").Body, "Ferienwohnungen") {
		t.Fatal("post-moderated comment not visible at once")
	}
	pm := post.a.SessionClient(t, post.mod)
	res = pm.Submit(pm.Get("/admin/moderation/A-0001"), "form[action='/admin/moderation/A-0001/entscheidung']", vals("action", "hide", "reason", "werbung"))
	if !strings.Contains(res.Text(), "gespeichert") {
		t.Fatalf("hide: %s", res.Text())
	}
	page := post.a.Client(t).Get("/entwurf/wohnen")
	if strings.Contains(page.Body, "Ferienwohnungen") || !strings.Contains(commentText(page, 1), "von der Moderation ausgeblendet. Grund: Werbung") {
		t.Fatalf("hidden comment: %q", commentText(page, 1))
	}
	mail = post.a.Mail.WaitFor("nachbar@example.org", "Entscheidung der Moderation")
	if !strings.Contains(mail.Text, "ausgeblendet") || !strings.Contains(mail.Text, "Werbung") {
		t.Errorf("hide mail:\n%s", mail.Text)
	}
}

// TestReportedCommentsRiseInTheQueue: readers report with a reason, the
// report puts the comment at the top of the queue, and a decision resolves it.
func TestReportedCommentsRiseInTheQueue(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	for i, body := range []string{"Erster Beitrag zum Wohnen.", "Zweiter Beitrag mit Telefonnummer 0341 123456 von Herrn Müller.", "Dritter Beitrag zum Grün."} {
		c := f.comment(t, f.cit, "", body)
		if i != 1 {
			continue
		}
		f.approve(t, c)
	}
	oc := f.a.SessionClient(t, f.other)
	form := oc.Get("/beitraege/A-0002/melden")
	res := oc.Submit(form, "main form[action='/beitraege/A-0002/melden']", vals("reason", ""))
	if res.FieldError("reason") != "Fehler: Bitte wählen Sie einen Grund." {
		t.Fatalf("report without reason: %d %q", res.Status, res.FieldError("reason"))
	}
	res = oc.Submit(form, "main form[action='/beitraege/A-0002/melden']", vals("reason", "personenbezogene_daten", "text", "Nennt eine Telefonnummer."))
	if !strings.Contains(res.Text(), "prüft Ihre Meldung") {
		t.Fatalf("report: %d %s", res.Status, res.Text())
	}
	if again := oc.Get("/beitraege/A-0002/melden"); !strings.Contains(again.Text(), "bereits gemeldet") {
		t.Errorf("second report form: %s", again.Text())
	}
	if r := oc.PostForm("/beitraege/A-0002/melden", vals("reason", "werbung")); r.Status != http.StatusConflict {
		t.Errorf("second report: %d", r.Status)
	}
	if r := f.a.SessionClient(t, f.cit).PostForm("/beitraege/A-0002/melden", vals("reason", "werbung")); r.Status != http.StatusConflict {
		t.Errorf("reporting one's own contribution: %d", r.Status)
	}

	mc := f.a.SessionClient(t, f.mod)
	queue := mc.Get("/admin/moderation")
	if stats := strings.Join(strings.Fields(queue.Doc.Find("ul.stats").Text()), " "); stats != "2 warten auf Freigabe 1 gemeldet" {
		t.Errorf("queue figures: %q", stats)
	}
	rows := queue.Doc.Find("table.queue tbody tr")
	if rows.Length() != 3 {
		t.Fatalf("queue rows: %d (%s)", rows.Length(), queue.Text())
	}
	first := strings.Join(strings.Fields(rows.First().Text()), " ")
	if !strings.Contains(first, "A-0002") || !strings.Contains(first, "1 Meldung") {
		t.Fatalf("the reported comment is not first: %q", first)
	}
	reported := mc.Get("/admin/moderation?gemeldet=true&status=all")
	if n := reported.Doc.Find("table.queue tbody tr").Length(); n != 1 {
		t.Errorf("reported filter: %d rows", n)
	}
	detail := mc.Get("/admin/moderation/A-0002")
	if !strings.Contains(detail.Text(), "personenbezogene Daten") || !strings.Contains(detail.Text(), "Nennt eine Telefonnummer.") {
		t.Errorf("detail does not show the report: %s", detail.Text())
	}
	mc.Submit(detail, "form[action='/admin/moderation/A-0002/entscheidung']", vals("action", "hide", "reason", "personenbezogene_daten"))
	queue = mc.Get("/admin/moderation")
	if strings.Contains(queue.Text(), "A-0002") {
		t.Errorf("a handled report stays in the open queue: %s", queue.Text())
	}
	if c := f.contribution(t, 2); c.OpenReports != 0 || c.Status != app.StatusHidden {
		t.Errorf("after hiding: reports %d, status %s", c.OpenReports, c.Status)
	}
}

// TestBulkModerationWithoutScript: a moderator ticks checkboxes (or "select
// all", a plain link) and applies one decision to the selection.
func TestBulkModerationWithoutScript(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	for i := 0; i < 4; i++ {
		f.comment(t, f.cit, "", "Beitrag Nummer "+itoa(int64(i+1))+" zum Kapitel Wohnen.")
	}
	mc := f.a.SessionClient(t, f.mod)
	queue := mc.Get("/admin/moderation")
	res := mc.Submit(queue, "form.bulk-form", vals("action", "approve"))
	if res.FieldError("ids") != "Fehler: Bitte wählen Sie mindestens einen Beitrag aus." {
		t.Fatalf("bulk without selection: %d %q", res.Status, res.FieldError("ids"))
	}
	res = mc.Submit(queue, "form.bulk-form", url.Values{"ids": {itoa(1), itoa(3)}, "action": {"approve"}})
	if !strings.Contains(res.Text(), "auf die ausgewählten Beiträge angewendet") {
		t.Fatalf("bulk approve: %s", res.Text())
	}
	if f.contribution(t, 1).Status != app.StatusPublished || f.contribution(t, 3).Status != app.StatusPublished || f.contribution(t, 2).Status != app.StatusPending {
		t.Fatal("bulk approve changed the wrong contributions")
	}
	all := mc.Get("/admin/moderation?alle=1")
	if n := all.Doc.Find("input[name=ids][checked]").Length(); n != 2 {
		t.Fatalf("select all ticks %d boxes", n)
	}
	res = mc.Submit(all, "form.bulk-form", vals("action", "reject", "reason", "nicht_zum_thema"))
	if f.contribution(t, 2).Status != app.StatusRejected || f.contribution(t, 4).Status != app.StatusRejected {
		t.Fatalf("bulk reject of the rest: %s", res.Text())
	}
	f.a.Mail.WaitFor("buergerin@example.org", "A-0004")
}

// TestDuplicatesAreGroupedAndAssessedTogether: a moderator groups a
// duplicate under its primary; the Abwägung of the group reaches every
// author by mail, with the reasoning and a link, and is published per chapter.
func TestDuplicatesAreGroupedAndAssessedTogether(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	f.comment(t, f.cit, "p-2", "Bitte eine feste Quote für geförderte Wohnungen in jedem Neubaugebiet.")
	f.comment(t, f.other, "p-2", "Ich fordere eine Sozialwohnungsquote für alle neuen Baugebiete.")
	mc := f.a.SessionClient(t, f.mod)
	detail := mc.Get("/admin/moderation/A-0002")
	res := mc.Submit(detail, "form[action='/admin/moderation/A-0002/doppelung']", vals("primary", "A-0002"))
	if res.FieldError("primary") != "Fehler: Ein Beitrag kann keine Doppelung von sich selbst sein." {
		t.Fatalf("self duplicate: %q", res.FieldError("primary"))
	}
	res = mc.Submit(detail, "form[action='/admin/moderation/A-0002/doppelung']", vals("primary", "A-0999"))
	if !strings.Contains(res.FieldError("primary"), "vorhandenen Beitrags") {
		t.Fatalf("unknown primary: %q", res.FieldError("primary"))
	}
	res = mc.Submit(detail, "form[action='/admin/moderation/A-0002/doppelung']", vals("primary", "a-1"))
	if !strings.Contains(res.Text(), "Die Doppelung ist gespeichert") {
		t.Fatalf("mark duplicate: %s", res.Text())
	}
	page := f.a.Client(t).Get("/beitraege/A-0002")
	if !strings.Contains(page.Text(), "Gleicher Inhalt wie A-0001") || !strings.Contains(page.Text(), "Beiträge mit gleichem Inhalt") {
		t.Fatalf("duplicate page: %s", page.Text())
	}

	// The Abwägung of the group is written once (on the primary, where the
	// duplicate's address leads), and published by a second person of
	// AG INSEK (four eyes).
	ac := f.a.SessionClient(t, f.admin)
	form := ac.Get("/abwaegung/A-0002")
	if form.URL.Path != "/abwaegung/A-0001" || !strings.Contains(form.Text(), "gilt für alle Beiträge der Gruppe") {
		t.Fatalf("assessment form lacks the group note: %s %s", form.URL.Path, form.Text())
	}
	draftForm := "main form[action='/abwaegung/A-0001/entwurf']"
	res = ac.Submit(form, draftForm, vals("result", "", "reasoning", ""))
	if res.FieldError("result") != "Fehler: Bitte wählen Sie ein Ergebnis." || res.FieldError("reasoning") != "Fehler: Bitte füllen Sie dieses Feld aus." {
		t.Fatalf("empty assessment: %q %q", res.FieldError("result"), res.FieldError("reasoning"))
	}
	reasoning := "Das Baulandmodell sichert bei neuem Planungsrecht 30 Prozent geförderte Wohnungen."
	res = ac.Submit(form, draftForm, vals("result", "teilweise_beruecksichtigt", "reasoning", reasoning, "anchor", "p-2"))
	if !strings.Contains(res.Text(), "Der Entwurf ist gespeichert") {
		t.Fatalf("assess: %d %s", res.Status, res.Text())
	}
	ac.Submit(res, "main form[action='/abwaegung/A-0001/schritt']:has(input[value='submit'])", nil)
	reviewer := f.a.SessionClient(t, f.a.CreateUser(t, "zweite@example.org", "Zweite Prüferin", app.RoleAdmin))
	publish := func() *testenv.Response {
		return reviewer.Submit(reviewer.Get("/abwaegung/A-0001"), "main form[action='/abwaegung/A-0001/schritt']:has(input[value='publish'])", nil)
	}
	if res = publish(); !strings.Contains(res.Text(), "ist veröffentlicht") {
		t.Fatalf("publish: %d %s", res.Status, res.Text())
	}
	for _, addr := range []string{"buergerin@example.org", "nachbar@example.org"} {
		mail := f.a.Mail.WaitFor(addr, "Was aus Ihrem Beitrag")
		for _, want := range []string{"teilweise berücksichtigt", reasoning, f.a.URL + "/beitraege/A-000", "Amt für Wohnungsbau und Stadterneuerung"} {
			if !strings.Contains(mail.Text, want) {
				t.Errorf("assessment mail to %s lacks %q:\n%s", addr, want, mail.Text)
			}
		}
	}
	results := f.a.Client(t).Get("/entwurf/wohnen/ergebnisse")
	if n := results.Doc.Find("li.result").Length(); n != 2 || !strings.Contains(results.Text(), reasoning) {
		t.Fatalf("results page shows %d assessments: %s", n, results.Text())
	}
	if !strings.Contains(results.Text(), "teilweise berücksichtigt (2)") {
		t.Errorf("results filter lacks the count: %s", results.Text())
	}
	if got := auditActions(t, f.a, "contribution", "A-0001"); !slices.Contains(got, app.AuditAssess) || slices.Contains(auditActions(t, f.a, "contribution", "A-0002"), app.AuditTransition) {
		t.Errorf("audit of the group: %v", got)
	}
	// Publishing the same assessment again mails nobody again.
	reviewer.Submit(reviewer.Get("/abwaegung/A-0001"), "main form[action='/abwaegung/A-0001/schritt']:has(input[value='reopen'])", nil)
	ac.Submit(ac.Get("/abwaegung/A-0001"), "main form[action='/abwaegung/A-0001/schritt']:has(input[value='submit'])", nil)
	if res = publish(); !strings.Contains(res.Text(), "ist veröffentlicht") {
		t.Fatalf("publish again: %d %s", res.Status, res.Text())
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(f.a.Mail.MailsTo("nachbar@example.org")); n != 1 {
		t.Errorf("%d assessment mails after saving again", n)
	}
}

// TestAssessmentDraftIsNotPublic: an assessment that is written, even
// submitted for review, stays internal and mails nobody until it is
// published.
func TestAssessmentDraftIsNotPublic(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	f.comment(t, f.cit, "", "Mehr Genossenschaften fördern.")
	ac := f.a.SessionClient(t, f.admin)
	res := ac.Submit(ac.Get("/abwaegung/A-0001"), "main form[action='/abwaegung/A-0001/entwurf']", vals("result", "beruecksichtigt", "reasoning", "Wird im Baulandmodell aufgegriffen."))
	ac.Submit(res, "main form[action='/abwaegung/A-0001/schritt']:has(input[value='submit'])", nil)
	if c := f.contribution(t, 1); c.AssessmentStatus != "" || c.AssessmentPublishedAt != nil {
		t.Fatalf("draft assessment: %q %v", c.AssessmentStatus, c.AssessmentPublishedAt)
	}
	if strings.Contains(f.a.Client(t).Get("/beitraege/A-0001").Text(), "Baulandmodell") {
		t.Fatal("an unpublished assessment is public")
	}
	time.Sleep(200 * time.Millisecond)
	if len(f.a.Mail.MailsTo("buergerin@example.org")) != 0 {
		t.Fatal("an unpublished assessment was mailed")
	}
	reviewer := f.a.SessionClient(t, f.a.CreateUser(t, "zweite@example.org", "Zweite Prüferin", app.RoleAdmin))
	reviewer.Submit(reviewer.Get("/abwaegung/A-0001"), "main form[action='/abwaegung/A-0001/schritt']:has(input[value='publish'])", nil)
	f.a.Mail.WaitFor("buergerin@example.org", "Was aus Ihrem Beitrag")
	if !strings.Contains(f.a.Client(t).Get("/beitraege/A-0001").Text(), "Wird im Baulandmodell aufgegriffen.") {
		t.Fatal("published assessment not shown")
	}
}

// TestNewVersionKeepsAnchorsAndFlagsCommentsOnRemovedText: an admin saves a
// new version in the browser; unchanged paragraphs keep their anchors, a
// changed one keeps its predecessor's, the removed list item's anchor is not
// reused, and comments on it say they refer to an earlier version, quoting it.
func TestNewVersionKeepsAnchorsAndFlagsCommentsOnRemovedText(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	f.comment(t, f.cit, "p-4", "Mobilität im Quartier heißt vor allem: sichere Schulwege.")
	f.comment(t, f.cit, "p-3", "Grün ist wichtig.")
	f.comment(t, f.other, "p-6", "Gut so.")

	ac := f.a.SessionClient(t, f.admin)
	edit := ac.Get("/admin/entwurf/kapitel/" + itoa(f.ch.ID))
	if edit.Doc.Find("#f-body").Text() != fixChapterBody {
		t.Fatal("the chapter form does not hold the current text")
	}
	v2 := `# Wohnen in Leipzig

Ein ganz neuer Absatz zur Einleitung des Kapitels.

Erster Absatz über bezahlbares Wohnen in allen Ortsteilen Leipzigs.

Zweiter Absatz über Freiräume, Bäume und Grün in den wachsenden Quartieren.

- Punkt zwei zum Klimaschutz im Bestand

Dritter Absatz, der in jeder Fassung gleich bleibt.`
	res := ac.Submit(edit, "main form", vals("body", v2, "note", "Anregungen eingearbeitet"))
	if !strings.Contains(res.Text(), "als neue Fassung gespeichert") {
		t.Fatalf("new version: %d %s", res.Status, res.Text())
	}
	res = ac.Submit(ac.Get("/admin/entwurf/kapitel/"+itoa(f.ch.ID)), "main form", nil)
	if !strings.Contains(res.Text(), "Das Kapitel ist gespeichert.") {
		t.Fatalf("saving the same text again: %s", res.Text())
	}

	var chapter struct {
		Version    int `json:"version"`
		Paragraphs []struct {
			Anchor, Text string
		} `json:"paragraphs"`
	}
	f.a.Client(t).JSON(http.MethodGet, "/api/v1/chapters/"+itoa(f.ch.ID), nil, &chapter)
	want := []string{"p-1", "p-7", "p-2", "p-3", "p-5", "p-6"}
	var got []string
	for _, p := range chapter.Paragraphs {
		got = append(got, p.Anchor)
	}
	if chapter.Version != 2 || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("version %d anchors %v, want %v", chapter.Version, got, want)
	}

	page := f.a.Client(t).Get("/entwurf/wohnen")
	if page.Doc.Find("#p-4").Length() != 0 {
		t.Fatal("the removed list item's anchor is still on the page")
	}
	removed := commentText(page, 1)
	if !strings.Contains(removed, "bezieht sich auf eine frühere Fassung") || !strings.Contains(removed, "Punkt eins zur Mobilität im Quartier") || !strings.Contains(removed, "sichere Schulwege") {
		t.Fatalf("comment on the removed item: %q", removed)
	}
	changed := commentText(page, 2)
	if !strings.Contains(changed, "der Absatz wurde seither geändert") || !strings.Contains(changed, "Zweiter Absatz über Freiräume und Grün") {
		t.Errorf("comment on the changed paragraph: %q", changed)
	}
	if unchanged := commentText(page, 3); strings.Contains(unchanged, "Fassung") || strings.Contains(unchanged, "geändert") {
		t.Errorf("comment on the unchanged paragraph is flagged: %q", unchanged)
	}
	if got := strings.TrimSpace(page.Doc.Find("#p-6 .block-count").Text()); !strings.HasPrefix(got, "1 Kommentar") {
		t.Errorf("count beside unchanged p-6: %q", got)
	}

	redline := f.a.Client(t).Get("/entwurf/wohnen/fassungen")
	if !strings.Contains(redline.Doc.Find("#r-p-4 del").Text(), "Punkt eins zur Mobilität im Quartier") {
		t.Errorf("redline lacks the deletion: %s", redline.Text())
	}
	if ins := redline.Doc.Find("#r-p-3 ins").Text(); !strings.Contains(ins, "Bäume") {
		t.Errorf("redline of p-3 marks %q as inserted", ins)
	}
	if !strings.Contains(redline.Doc.Find("#r-p-7 ins").Text(), "[Einfügung: Ein ganz neuer Absatz") {
		t.Errorf("new paragraph without announced insertion: %q", redline.Doc.Find("#r-p-7").Text())
	}
	if !strings.Contains(redline.Text(), "1 geänderter Abschnitt, 1 neuer Abschnitt und 1 gestrichener Abschnitt") || !strings.Contains(redline.Text(), "Anregungen eingearbeitet") {
		t.Errorf("redline summary: %s", redline.Text())
	}
	if got := auditActions(t, f.a, "draft_chapter", itoa(f.ch.ID)); len(got) < 4 {
		t.Errorf("chapter audit: %v", got)
	}
}

// TestClosedPeriodRefusesComments: outside a comment period everything can
// be read, nothing can be written, and the reason is said plainly.
func TestClosedPeriodRefusesComments(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	open := f.comment(t, f.other, "p-2", "Geschrieben, solange die Phase lief.")
	f.a.Clock.Advance(31 * 24 * time.Hour)

	c := f.a.SessionClient(t, f.cit)
	page := c.Get("/entwurf/wohnen")
	if page.Status != http.StatusOK || !strings.Contains(page.Text(), "ist am") || !strings.Contains(page.Text(), "zu Ende gegangen") {
		t.Fatalf("closed chapter page: %d %s", page.Status, page.Text())
	}
	if page.Doc.Find("form#kommentar-formular").Length() != 0 || page.Doc.Find("a.block-comment").Length() != 0 {
		t.Fatal("a closed chapter offers the comment form")
	}
	if !strings.Contains(commentText(page, open.Number), "Geschrieben, solange die Phase lief.") {
		t.Fatal("comments are not readable after the period")
	}
	if page.Doc.Find("button.support-button").Length() != 0 {
		t.Error("support buttons after the period")
	}
	res := c.PostForm("/entwurf/wohnen/kommentare", vals("body", "Zu spät, aber wichtig."))
	if res.Status != http.StatusConflict || !strings.Contains(res.Text(), "Die Kommentierungsphase ist geschlossen") {
		t.Fatalf("late comment: %d %s", res.Status, res.Text())
	}
	if res.Doc.Find("textarea#unsent").Text() != "Zu spät, aber wichtig." {
		t.Error("the refused text is not given back to copy")
	}
	var apiErr struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	status := c.JSON(http.MethodPost, "/api/v1/chapters/"+itoa(f.ch.ID)+"/comments", map[string]any{"body": "Per API zu spät."}, &apiErr)
	if status != http.StatusConflict || !strings.Contains(apiErr.Error.Message, "Kommentierungsphase ist geschlossen") {
		t.Fatalf("late API comment: %d %+v", status, apiErr)
	}
	if r := c.PostForm("/beitraege/A-0001/zustimmung", vals("on", "true")); !strings.Contains(r.Text(), "Kommentierungsphase ist geschlossen") {
		t.Errorf("late support: %s", r.Text())
	}
	if n := f.countContributions(t); n != 1 {
		t.Fatalf("%d contributions after the period", n)
	}
	if sup, _ := f.a.Store.CountSupports(context.Background(), open.ID); sup != 0 {
		t.Fatalf("a support was stored after the period")
	}

	// Before the next period starts the page says when.
	now := f.a.Store.Now()
	if err := f.a.Store.AddPeriod(context.Background(), f.admin, &app.CommentPeriod{DocumentID: f.doc.ID, StartsAt: now.Add(48 * time.Hour), EndsAt: now.Add(96 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Get("/entwurf/wohnen").Text(), "Die Kommentierungsphase beginnt am") {
		t.Error("no notice of the next period")
	}
}

// TestRepliesTwoLevelsAndSupport: replies go two levels deep; one support
// per person, taken back with the same button.
func TestRepliesTwoLevelsAndSupport(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	root := f.comment(t, f.cit, "p-2", "Wurzelbeitrag.")
	oc := f.a.SessionClient(t, f.other)
	page := oc.Get("/beitraege/A-0001")
	res := oc.Submit(page, "form[action='/beitraege/A-0001/antworten']", vals("body", "Erste Antwortebene."))
	if !strings.Contains(res.Text(), "Ihr Beitrag ist veröffentlicht") {
		t.Fatalf("reply: %s", res.Text())
	}
	cc := f.a.SessionClient(t, f.cit)
	res = cc.Submit(cc.Get("/beitraege/A-0002"), "form[action='/beitraege/A-0002/antworten']", vals("body", "Zweite Antwortebene."))
	reply2 := f.contribution(t, 3)
	if reply2.Depth != 2 || reply2.Paragraph != "p-2" {
		t.Fatalf("second-level reply: depth %d paragraph %q (%s)", reply2.Depth, reply2.Paragraph, res.Text())
	}
	third := oc.Get("/beitraege/A-0003")
	if third.Doc.Find("form[action='/beitraege/A-0003/antworten']").Length() != 0 {
		t.Fatal("a third level is offered")
	}
	if r := oc.PostForm("/beitraege/A-0003/antworten", vals("body", "Dritte Ebene?")); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Text(), "bis zu 2 Ebenen") {
		t.Fatalf("third level: %d %s", r.Status, r.Text())
	}
	chapter := f.a.Client(t).Get("/entwurf/wohnen")
	if chapter.Doc.Find("#beitrag-1 #beitrag-2 #beitrag-3").Length() != 1 {
		t.Fatal("replies are not nested under their parents")
	}

	page = oc.Get("/entwurf/wohnen")
	res = oc.Submit(page, "#beitrag-1 > article form[action='/beitraege/A-0001/zustimmung']", nil)
	if !strings.Contains(res.Text(), "Ihre Zustimmung ist gespeichert") || res.URL.Path != "/entwurf/wohnen" {
		t.Fatalf("support: %s %s", res.URL, res.Text())
	}
	if pressed, _ := res.Doc.Find("#beitrag-1 > article .support-button").Attr("aria-pressed"); pressed != "true" {
		t.Errorf("support button aria-pressed=%q", pressed)
	}
	if !strings.Contains(commentText(res, 1), "1 Zustimmung") {
		t.Errorf("count after support: %q", commentText(res, 1))
	}
	if r := oc.PostForm("/beitraege/A-0001/zustimmung", vals("on", "true")); !strings.Contains(r.Text(), "bereits zugestimmt") {
		t.Errorf("second support: %s", r.Text())
	}
	if n, _ := f.a.Store.CountSupports(context.Background(), root.ID); n != 1 || f.contribution(t, root.ID).SupportCount != 1 {
		t.Fatalf("supports after a second click: %d rows, count %d", n, f.contribution(t, root.ID).SupportCount)
	}
	res = oc.Submit(res, "#beitrag-1 > article form[action='/beitraege/A-0001/zustimmung']", nil)
	if !strings.Contains(res.Text(), "zurückgenommen") || f.contribution(t, root.ID).SupportCount != 0 {
		t.Fatalf("taking back: %s", res.Text())
	}
	if r := cc.PostForm("/beitraege/A-0001/zustimmung", vals("on", "true")); !strings.Contains(r.Text(), "Eigenen Beiträgen") {
		t.Errorf("supporting one's own: %s", r.Text())
	}
}

// TestSortingAndParagraphFilter: newest, most supported and paragraph order;
// the count beside a paragraph filters the discussion to it.
func TestSortingAndParagraphFilter(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	f.comment(t, f.cit, "p-6", "Zu Absatz sechs.")
	f.a.Clock.Advance(time.Second)
	f.comment(t, f.cit, "p-2", "Zu Absatz zwei.")
	f.a.Clock.Advance(time.Second)
	f.comment(t, f.cit, "", "Zum ganzen Kapitel.")
	if err := f.a.Platform.Draft.Support(context.Background(), f.other, 1, true); err != nil {
		t.Fatal(err)
	}
	order := func(path string) string {
		r := f.a.Client(t).Get(path)
		var ids []string
		r.Doc.Find("ol.comments > li.comment").Each(func(_ int, s *goquery.Selection) { ids = append(ids, s.AttrOr("id", "")) })
		return strings.Join(ids, " ")
	}
	if got := order("/entwurf/wohnen"); got != "beitrag-3 beitrag-2 beitrag-1" {
		t.Errorf("paragraph order: %s", got)
	}
	if got := order("/entwurf/wohnen?sortierung=neueste"); got != "beitrag-3 beitrag-2 beitrag-1" {
		t.Errorf("newest: %s", got)
	}
	if got := order("/entwurf/wohnen?sortierung=zustimmung"); got != "beitrag-1 beitrag-3 beitrag-2" {
		t.Errorf("most supported: %s", got)
	}
	page := f.a.Client(t).Get("/entwurf/wohnen")
	href, _ := page.Doc.Find("#p-2 a.block-count").Attr("href")
	if got := order(href); got != "beitrag-2" {
		t.Errorf("filter %s: %s", href, got)
	}
}

// TestTranscribedInputEntersThePipeline: a moderator enters input from a
// Werkstattgespräch with channel, event and label; it is moderated and
// assessed like an online comment (without mail: there is no account).
func TestTranscribedInputEntersThePipeline(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	mc := f.a.SessionClient(t, f.mod)
	form := mc.Get("/admin/moderation/erfassen")
	res := mc.Submit(form, "main form", vals("channel", "werkstatt", "author_label", "", "body", ""))
	if res.FieldError("author_label") != "Fehler: Bitte füllen Sie dieses Feld aus." || res.FieldError("body") != "Fehler: Bitte füllen Sie dieses Feld aus." {
		t.Fatalf("empty transcription: %q %q", res.FieldError("author_label"), res.FieldError("body"))
	}
	res = mc.Submit(form, "main form", url.Values{"channel": {"werkstatt"}, "event_id": {"17"}, "chapter_id": {itoa(f.ch.ID)}, "paragraph": {"p-3"},
		"author_label": {"Teilnehmende des Werkstattgesprächs Wohnen"}, "body": {"Mehr Spielplätze in den Innenhöfen."}, "tags": {"lq6"}, "approve": {"true"}})
	if !strings.Contains(res.Text(), "Der Beitrag ist erfasst") || !strings.Contains(res.Text(), "A-0001") {
		t.Fatalf("transcribe: %d %s", res.Status, res.Text())
	}
	if v, _ := res.Doc.Find("#f-event_id").Attr("value"); v != "17" {
		t.Errorf("the next entry does not keep the event: %q", v)
	}
	c := f.contribution(t, 1)
	if c.Channel != app.ChannelWerkstatt || c.EventID == nil || *c.EventID != 17 || c.AuthorID != nil || c.EnteredBy == nil || *c.EnteredBy != f.mod.ID || c.Status != app.StatusPublished {
		t.Fatalf("stored transcription: %+v", c)
	}
	text := commentText(f.a.Client(t).Get("/entwurf/wohnen"), 1)
	if !strings.Contains(text, "Teilnehmende des Werkstattgesprächs Wohnen") || !strings.Contains(text, "aus: Werkstattgespräch") || !strings.Contains(text, "Absatz 3") {
		t.Fatalf("transcribed input on the chapter page: %q", text)
	}
	if _, err := f.a.Platform.Draft.Assess(context.Background(), f.admin, c.ID, app.AssessmentInput{Status: app.AssessNoted, Reasoning: "Wird im Fachkonzept Freiraum aufgegriffen.", Publish: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.a.Client(t).Get("/entwurf/wohnen/ergebnisse").Text(), "zur Kenntnis genommen") {
		t.Error("assessed transcription not in the results")
	}
	if got := auditActions(t, f.a, "contribution", "A-0001"); strings.Join(got, ",") != "contribution.transcribe,contribution.moderate,contribution.assess" {
		t.Errorf("audit: %v", got)
	}
}

// TestRedactionKeepsTheOriginalForAdmins: the public sees the redacted text
// with a note; only admins see the original.
func TestRedactionKeepsTheOriginalForAdmins(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	f.comment(t, f.cit, "", "Herr Max Mustermann, Tel. 0341 987654, parkt immer auf dem Radweg.")
	mc := f.a.SessionClient(t, f.mod)
	detail := mc.Get("/admin/moderation/A-0001")
	res := mc.Submit(detail, "form[action='/admin/moderation/A-0001/schwaerzen']", nil)
	if !strings.Contains(res.FieldError("body"), "unverändert") {
		t.Fatalf("unchanged redaction: %q", res.FieldError("body"))
	}
	res = mc.Submit(detail, "form[action='/admin/moderation/A-0001/schwaerzen']", vals("body", "Herr […], Tel. […], parkt immer auf dem Radweg.", "redaction_note", "Name und Telefonnummer"))
	if !strings.Contains(res.Text(), "Der Text ist geschwärzt") {
		t.Fatalf("redact: %s", res.Text())
	}
	public := commentText(f.a.Client(t).Get("/entwurf/wohnen"), 1)
	if strings.Contains(public, "Mustermann") || !strings.Contains(public, "Herr […]") || !strings.Contains(public, "Personenbezogene Daten wurden von der Moderation entfernt.") {
		t.Fatalf("public redacted comment: %q", public)
	}
	if strings.Contains(mc.Get("/admin/moderation/A-0001").Body, "Mustermann") {
		t.Fatal("a moderator sees the original")
	}
	var api map[string]any
	mc.JSON(http.MethodGet, "/api/v1/comments/A-0001", nil, &api)
	if b, _ := api["body"].(string); strings.Contains(b, "Mustermann") || api["redacted"] != true {
		t.Fatalf("API: %v", api)
	}
	admin := f.a.SessionClient(t, f.admin).Get("/admin/moderation/A-0001")
	if !strings.Contains(admin.Doc.Find(".original-text").Text(), "Max Mustermann, Tel. 0341 987654") {
		t.Fatalf("the admin does not see the original: %s", admin.Text())
	}
	if got := auditActions(t, f.a, "contribution", "A-0001"); len(got) != 1 || got[0] != app.AuditRedact {
		t.Errorf("audit: %v", got)
	}
}

// TestAuthorEditsAndWithdraws: authors change their comment (back to the
// queue in pre-moderation) or withdraw it; after a published assessment
// neither is possible.
func TestAuthorEditsAndWithdraws(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	c := f.comment(t, f.cit, "p-2", "Erste Fassung meines Beitrags.")
	f.approve(t, c)
	cc := f.a.SessionClient(t, f.cit)
	form := cc.Get("/beitraege/A-0001/bearbeiten")
	if !strings.Contains(form.Text(), "prüft die Moderation Ihren Beitrag erneut") {
		t.Fatalf("edit form: %s", form.Text())
	}
	res := cc.Submit(form, "main form", vals("body", "Überarbeitete Fassung meines Beitrags."))
	if !strings.Contains(res.Text(), "wird von der Moderation geprüft") {
		t.Fatalf("edit: %s", res.Text())
	}
	if got := f.contribution(t, c.ID); got.Status != app.StatusPending || got.Body != "Überarbeitete Fassung meines Beitrags." || got.EditedAt == nil {
		t.Fatalf("after edit: %s %q", got.Status, got.Body)
	}
	f.approve(t, c)
	res = cc.Submit(cc.Get("/beitraege/A-0001/zurueckziehen"), "main form", nil)
	if !strings.Contains(res.Text(), "Ihr Beitrag ist zurückgezogen") {
		t.Fatalf("withdraw: %s", res.Text())
	}
	if got := f.contribution(t, c.ID); got.Status != app.StatusWithdrawn || got.Body != "" {
		t.Fatalf("after withdrawing: %s %q", got.Status, got.Body)
	}

	d := f.comment(t, f.cit, "", "Dieser Beitrag wird abgewogen.")
	f.approve(t, d)
	if _, err := f.a.Platform.Draft.Assess(context.Background(), f.admin, d.ID, app.AssessmentInput{Status: app.AssessNoted, Reasoning: "Danke.", Publish: true}); err != nil {
		t.Fatal(err)
	}
	if r := cc.PostForm("/beitraege/A-0002/zurueckziehen", nil); r.Status != http.StatusConflict || !strings.Contains(r.Text(), "Abwägung veröffentlicht") {
		t.Fatalf("withdrawing an assessed contribution: %d %s", r.Status, r.Text())
	}
	if r := cc.PostForm("/beitraege/A-0002/bearbeiten", vals("body", "Nachträglich geändert.")); r.Status != http.StatusConflict {
		t.Fatalf("editing an assessed contribution: %d", r.Status)
	}
}

// TestMyContributionsAndPersonalData: "Meine Beiträge" lists a person's
// contributions; "Meine Daten" includes contributions, reports and supports.
func TestMyContributionsAndPersonalData(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	f.comment(t, f.cit, "p-2", "Mein eigener Beitrag.")
	other := f.comment(t, f.other, "", "Ein fremder Beitrag mit Werbung.")
	ctx := context.Background()
	if err := f.a.Platform.Draft.Support(ctx, f.cit, other.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.a.Platform.Draft.Report(ctx, f.cit, other.ID, app.ReportInput{Reason: app.ReasonAdvertising, Text: "Das ist Werbung."}); err != nil {
		t.Fatal(err)
	}
	cc := f.a.SessionClient(t, f.cit)
	mine := cc.Get("/profil/beitraege")
	if !strings.Contains(mine.Text(), "A-0001") || !strings.Contains(mine.Text(), "Mein eigener Beitrag.") || strings.Contains(mine.Text(), "fremder") {
		t.Fatalf("my contributions: %s", mine.Text())
	}
	var data struct {
		Contributions []struct{ Number, Body, Paragraph string }    `json:"contributions"`
		Reports       []struct{ Contribution, Reason, Text string } `json:"contribution_reports"`
		Supports      []struct{ Contribution string }               `json:"contribution_supports"`
	}
	cc.JSON(http.MethodGet, "/profil/meine-daten", nil, &data)
	if len(data.Contributions) != 1 || data.Contributions[0].Number != "A-0001" || data.Contributions[0].Paragraph != "p-2" {
		t.Errorf("contributions in my data: %+v", data.Contributions)
	}
	if len(data.Reports) != 1 || data.Reports[0].Contribution != "A-0002" || data.Reports[0].Text != "Das ist Werbung." {
		t.Errorf("reports in my data: %+v", data.Reports)
	}
	if len(data.Supports) != 1 || data.Supports[0].Contribution != "A-0002" {
		t.Errorf("supports in my data: %+v", data.Supports)
	}
}

// TestErasureKeepsContributions: after account deletion the contributions
// stay, under "gelöschtes Konto"; no personal field of the person survives.
func TestErasureKeepsContributions(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	ctx := context.Background()
	mine := f.comment(t, f.cit, "p-2", "Meine Nachbarin Erika Beispiel wohnt in der Karl-Heine-Straße 5.")
	other := f.comment(t, f.other, "", "Ein anderer Beitrag.")
	if _, err := f.a.Store.Redact(ctx, f.mod, mine.ID, "Meine Nachbarin […] wohnt in der […].", ""); err != nil {
		t.Fatal(err)
	}
	if err := f.a.Platform.Draft.Support(ctx, f.cit, other.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.a.Platform.Draft.Report(ctx, f.cit, other.ID, app.ReportInput{Reason: app.ReasonOther, Text: "Ich, Lindenauerin aus der Odermannstraße, finde das unpassend."}); err != nil {
		t.Fatal(err)
	}
	if err := f.a.Store.EraseUser(ctx, f.cit, f.cit.ID); err != nil {
		t.Fatal(err)
	}
	c := f.contribution(t, mine.ID)
	if c.Body != "Meine Nachbarin […] wohnt in der […]." || c.OriginalBody != nil || c.AuthorID == nil {
		t.Fatalf("contribution after erasure: body %q original %v author %v", c.Body, c.OriginalBody, c.AuthorID)
	}
	reports, err := f.a.Store.Reports(ctx, other.ID)
	if err != nil || len(reports) != 1 || reports[0].Text != "" || reports[0].ReasonCode != app.ReasonOther {
		t.Fatalf("report after erasure: %+v %v", reports, err)
	}
	page := f.a.Client(t).Get("/entwurf/wohnen")
	text := commentText(page, mine.Number)
	if !strings.Contains(text, "gelöschtes Konto") || strings.Contains(page.Body, "Lindenauerin") {
		t.Fatalf("erased author on the page: %q", text)
	}
	if f.contribution(t, other.ID).SupportCount != 1 {
		t.Error("the support count changed with the erasure")
	}
	u, _ := f.a.Store.UserByID(ctx, f.cit.ID)
	if u.Email != nil || u.DisplayName != "" || u.OrtsteilCode != nil || u.PasswordHash != nil {
		t.Fatalf("personal fields survive: %+v", u)
	}
	var api struct {
		Comments []struct{ Author, Number string } `json:"comments"`
	}
	f.a.Client(t).JSON(http.MethodGet, "/api/v1/chapters/"+itoa(f.ch.ID)+"/comments", nil, &api)
	for _, c := range api.Comments {
		if c.Number == mine.PublicNumber() && c.Author != "gelöschtes Konto" {
			t.Errorf("API author after erasure: %q", c.Author)
		}
	}
}

// TestModerationSearchCutsByCharacters: an over-long search is shortened to
// 200 characters, never in the middle of one (PostgreSQL refuses a broken
// UTF-8 sequence).
func TestModerationSearchCutsByCharacters(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	mc := f.a.SessionClient(t, f.mod)
	long := strings.Repeat("a", 199) + "äüö"
	res := mc.Get("/admin/moderation?suche=" + url.QueryEscape(long))
	if res.Status != http.StatusOK {
		t.Fatalf("queue with a long search: %d", res.Status)
	}
	if got, _ := res.Doc.Find("#q-suche").Attr("value"); got != strings.Repeat("a", 199)+"ä" {
		t.Fatalf("search field holds %q", got)
	}
}
