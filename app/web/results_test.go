package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// resultsApp is an app with the demo content, 60 synthetic contributions
// and an admin.
func resultsApp(t *testing.T) (*testenv.App, *app.User) {
	t.Helper()
	a := testenv.StartApp(t)
	ctx := context.Background()
	if err := seed.Demo(ctx, a.Store, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := seed.Contributions(ctx, a.Store, 60, nil); err != nil {
		t.Fatal(err)
	}
	return a, a.CreateUser(t, "ag-insek-results@example.org", "AG INSEK Auswertung", app.RoleAdmin)
}

func allEmails(t *testing.T, s *store.Store) []string {
	t.Helper()
	var emails []string
	if err := s.Gorm().Table("users").Where("email IS NOT NULL").Pluck("email", &emails).Error; err != nil {
		t.Fatal(err)
	}
	if len(emails) < 5 {
		t.Fatalf("want several accounts with addresses, got %v", emails)
	}
	return emails
}

func assertNoEmail(t *testing.T, what, body string, emails []string) {
	t.Helper()
	for _, e := range emails {
		if strings.Contains(strings.ToLower(body), strings.ToLower(e)) {
			t.Errorf("%s contains the address %s", what, e)
		}
	}
}

func parseExcelCSV(t *testing.T, body string) [][]string {
	t.Helper()
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma, r.FieldsPerRecord = ';', -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestAdminExportRunsInBackground: an admin starts an export with a filter,
// watches the status page (a reload link without JavaScript) and
// downloads the file; the export is in the audit log.
func TestAdminExportRunsInBackground(t *testing.T) {
	a, admin := resultsApp(t)
	c := a.SessionClient(t, admin)
	form := c.Get("/admin/export")
	if form.Status != 200 {
		t.Fatalf("export page: %d", form.Status)
	}
	res := c.Submit(form, "form.export-form", url.Values{"kind": {"assessment"}, "format": {"csv"}, "chapter": {"wohnen"}})
	if res.Status != 200 || !strings.HasPrefix(res.URL.Path, "/admin/export/") {
		t.Fatalf("after submit: %d %s %s", res.Status, res.URL, res.Text())
	}
	jobURL := res.URL.Path
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(res.Body, "/datei") {
		if res.Doc.Find(`a[href="`+jobURL+`"]`).Length() != 1 {
			t.Fatalf("a running export's page has no reload link: %s", res.Text())
		}
		if strings.Contains(res.Text(), "fehlgeschlagen") || time.Now().After(deadline) {
			t.Fatalf("export did not finish: %s", res.Text())
		}
		time.Sleep(200 * time.Millisecond)
		res = c.Get(jobURL)
	}
	if res.Doc.Find(`[data-export-status][data-finished="true"]`).Length() != 1 {
		t.Error("a finished export's page is not marked finished")
	}
	file := c.Get(jobURL + "/datei")
	if file.Status != 200 || !strings.Contains(file.Header.Get("Content-Disposition"), "abwaegungstabelle-") {
		t.Fatalf("download: %d %v", file.Status, file.Header)
	}
	rows := parseExcelCSV(t, file.Body)
	if len(rows) < 2 {
		t.Fatal("the export is empty")
	}
	for _, r := range rows[1:] {
		if r[1] != "Fachkonzept Wohnen" {
			t.Errorf("%s is from chapter %q despite the filter", r[0], r[1])
		}
	}
	assertNoEmail(t, "export", file.Body, allEmails(t, a.Store))
	entries, _, err := a.Store.ListAudit(context.Background(), store.AuditFilter{Action: "results.export"})
	if err != nil || len(entries) != 1 || *entries[0].ActorID != admin.ID {
		t.Fatalf("audit: %+v %v", entries, err)
	}
	// Another admin (any instance) sees and downloads the same job.
	other := a.SessionClient(t, a.CreateUser(t, "zweite-admin@example.org", "Zweite Admin", app.RoleAdmin))
	if r := other.Get(jobURL + "/datei"); r.Status != 200 || r.Body != file.Body {
		t.Errorf("second admin download: %d", r.Status)
	}
}

// TestAdminExportRefusesBadInput: German messages next to the fields, 422,
// and no job.
func TestAdminExportRefusesBadInput(t *testing.T) {
	a, admin := resultsApp(t)
	c := a.SessionClient(t, admin)
	res := c.Submit(c.Get("/admin/export"), "form.export-form", url.Values{"kind": {"assessment"}, "format": {"pdf"},
		"from": {"32.13.2026"}, "chapter": {"gibt-es-nicht"}, "tag": {strings.Repeat("x", 500)}})
	if res.Status != 422 {
		t.Fatalf("status %d", res.Status)
	}
	for field, want := range map[string]string{"format": "", "from": "Datum", "tag": "höchstens"} {
		got := res.FieldError(field)
		if got == "" || !strings.Contains(got, want) {
			t.Errorf("%s: error %q, want it to mention %q", field, got, want)
		}
	}
	jobs, err := a.Store.RecentExportJobs(context.Background(), 5)
	if err != nil || len(jobs) != 0 {
		t.Fatalf("jobs after bad input: %v %v", jobs, err)
	}
	// Valid values except an unknown chapter.
	res = c.Submit(c.Get("/admin/export"), "form.export-form", url.Values{"kind": {"contributions"}, "format": {"xlsx"}, "chapter": {"gibt-es-nicht"}})
	if res.Status != 422 || !strings.Contains(res.FieldError("chapter"), "Kapitel") {
		t.Fatalf("unknown chapter: %d %q", res.Status, res.FieldError("chapter"))
	}
}

// TestExportsAreForAdmins: moderators and citizens get no exports, no job
// pages and no audit log; a POST without CSRF token changes nothing.
func TestExportsAreForAdmins(t *testing.T) {
	a, admin := resultsApp(t)
	for _, role := range []app.Role{app.RoleModerator, app.RoleCitizen} {
		u := a.CreateUser(t, "rolle-"+string(role)+"@example.org", "Person "+string(role), role)
		c := a.SessionClient(t, u)
		for _, p := range []string{"/admin/export", "/admin/export/1", "/admin/export/1/datei", "/admin/protokoll"} {
			if r := c.Get(p); r.Status != 403 {
				t.Errorf("%s GET %s: %d", role, p, r.Status)
			}
		}
		if r := c.PostForm("/admin/export", url.Values{"kind": {"assessment"}, "format": {"csv"}}); r.Status != 403 {
			t.Errorf("%s POST: %d", role, r.Status)
		}
	}
	c := a.SessionClient(t, admin)
	c.Get("/admin/export")
	r := c.PostRaw("/admin/export", "application/x-www-form-urlencoded", []byte("kind=assessment&format=csv"))
	if r.Status != 403 {
		t.Errorf("POST without CSRF token: %d", r.Status)
	}
	if jobs, _ := a.Store.RecentExportJobs(context.Background(), 5); len(jobs) != 0 {
		t.Errorf("jobs created without authorisation: %d", len(jobs))
	}
}

// TestOpenData: published contributions with published assessments only,
// pseudonymised, with the licence, as JSON and as CSV.
func TestOpenData(t *testing.T) {
	a, admin := resultsApp(t)
	ctx := context.Background()
	ch, err := a.Store.ChapterBySlug(ctx, "kultur")
	if err != nil {
		t.Fatal(err)
	}
	mk := func(body string) *app.Contribution {
		c := &app.Contribution{Channel: app.ChannelFachforum, ChapterID: &ch.ID, Body: body, AuthorLabel: "Fachforum", EnteredBy: &admin.ID}
		if err := a.Store.CreateContribution(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	pending := mk("Noch nicht freigegeben: Proberäume im Westen")
	draftAssessed := mk("Freigegeben, Abwägung noch intern")
	published := mk("Freigegeben und abgewogen")
	for _, c := range []*app.Contribution{draftAssessed, published} {
		if _, _, err := a.Store.Moderate(ctx, admin, c.ID, app.ModerationInput{Action: app.ActionApprove}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Store.Gorm().Model(&app.Contribution{}).Where("id = ?", pending.ID).Update("status", app.StatusPending).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.Assess(ctx, admin, draftAssessed.ID, app.AssessmentInput{Status: app.AssessNotConsidered, Reasoning: "Interne Begründung"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.Assess(ctx, admin, published.ID, app.AssessmentInput{Status: app.AssessConsidered, Reasoning: "Öffentliche Begründung", Publish: true}); err != nil {
		t.Fatal(err)
	}
	c := a.Client(t)
	res := c.Get("/api/v1/open-data/contributions.json")
	if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("open data: %d %v", res.Status, res.Header)
	}
	var doc struct {
		Licence       struct{ Name, ID, URL string }
		Contributions []map[string]any
	}
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatalf("open data JSON: %v", err)
	}
	if doc.Licence.Name != "Datenlizenz Deutschland – Namensnennung – Version 2.0" || doc.Licence.ID != "dl-de/by-2-0" {
		t.Errorf("licence = %+v", doc.Licence)
	}
	byNumber := map[string]map[string]any{}
	for _, r := range doc.Contributions {
		byNumber[r["number"].(string)] = r
		if r["moderation_status"] != "published" {
			t.Errorf("%v is %v", r["number"], r["moderation_status"])
		}
	}
	if _, ok := byNumber[pending.PublicNumber()]; ok {
		t.Error("a pending contribution is open data")
	}
	if r := byNumber[draftAssessed.PublicNumber()]; r == nil || r["assessment_status"] != "" || r["assessment_reasoning"] != "" {
		t.Errorf("unpublished assessment leaks: %v", r)
	}
	if r := byNumber[published.PublicNumber()]; r == nil || r["assessment_status"] != "beruecksichtigt" || r["assessment_reasoning"] != "Öffentliche Begründung" {
		t.Errorf("published assessment: %v", r)
	}
	emails := allEmails(t, a.Store)
	assertNoEmail(t, "open data JSON", res.Body, emails)
	if strings.Contains(res.Body, "Interne Begründung") {
		t.Error("internal reasoning in the open data")
	}
	csvRes := c.Get("/api/v1/open-data/contributions.csv")
	rows := parseExcelCSV(t, csvRes.Body)
	if rows[0][0] != "number" || rows[0][len(rows[0])-1] != "licence" || len(rows)-1 != len(doc.Contributions) {
		t.Errorf("CSV header %q, %d rows for %d records", rows[0], len(rows)-1, len(doc.Contributions))
	}
	if rows[1][len(rows[1])-1] != "dl-de/by-2-0" {
		t.Errorf("licence cell = %q", rows[1][len(rows[1])-1])
	}
	assertNoEmail(t, "open data CSV", csvRes.Body, emails)

	var spec struct {
		Paths map[string]any `json:"paths"`
	}
	if st := c.JSON("GET", "/api/v1/openapi.json", nil, &spec); st != 200 || spec.Paths["/open-data/contributions.json"] == nil || spec.Paths["/open-data/contributions.csv"] == nil {
		t.Errorf("open data not in the OpenAPI document: %d", st)
	}

	// The public page "Was wurde aus den Anregungen?" shows the published
	// assessment with the official answer, and not the internal one.
	if _, err := a.Store.SetAnswer(ctx, admin, published.ID, "Die Stadt prüft Proberäume im Kulturentwicklungsplan."); err != nil {
		t.Fatal(err)
	}
	page := c.Get("/entwurf/kultur/ergebnisse")
	if page.Status != 200 || !strings.Contains(page.Text(), "Öffentliche Begründung") || !strings.Contains(page.Text(), "Die Stadt prüft Proberäume") {
		t.Errorf("public results page: %d %s", page.Status, page.Text())
	}
	if strings.Contains(page.Text(), "Interne Begründung") {
		t.Error("internal reasoning on the public results page")
	}
}

// TestAuditLogPage: admins browse and filter the log and see whether the
// chain holds; an edited row is named.
func TestAuditLogPage(t *testing.T) {
	a, admin := resultsApp(t)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if err := a.Store.AppendAudit(ctx, app.AuditEvent{Actor: admin, Action: "results.export", ObjectType: "export", ObjectID: "assessment"}); err != nil {
			t.Fatal(err)
		}
	}
	c := a.SessionClient(t, admin)
	res := c.Get("/admin/protokoll?aktion=results.export")
	if res.Status != 200 || !strings.Contains(res.Text(), "Kette intakt") {
		t.Fatalf("audit page: %d %s", res.Status, res.Text())
	}
	if n := res.Doc.Find("table.audit tbody tr").Length(); n != 3 {
		t.Errorf("%d rows for the action filter, want 3", n)
	}
	if !strings.Contains(res.Text(), "AG INSEK Auswertung") {
		t.Error("actor name missing")
	}
	bad := c.Get("/admin/protokoll?akteur=abc&von=gestern")
	if bad.Status != 422 || !strings.Contains(bad.FieldError("akteur"), "Nummer") || bad.FieldError("von") == "" {
		t.Errorf("bad filter: %d %q %q", bad.Status, bad.FieldError("akteur"), bad.FieldError("von"))
	}
	entries, _, _ := a.Store.ListAudit(ctx, store.AuditFilter{Action: "results.export"})
	target := entries[1].ID
	if a.Store.Dialect() == store.Postgres {
		a.Store.Gorm().Exec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`)
	} else {
		a.Store.Gorm().Exec(`DROP TRIGGER audit_log_no_update`)
	}
	if err := a.Store.Gorm().Exec(`UPDATE audit_log SET object_id = 'geaendert' WHERE id = ?`, target).Error; err != nil {
		t.Fatal(err)
	}
	// The page shows the last check with its time and repeats it in the
	// background once it is five minutes old.
	a.Clock.Advance(6 * time.Minute)
	want := "Kette beschädigt bei Eintrag " + strconv.FormatInt(target, 10)
	waitFor(t, "the repeated check", func() bool {
		res = c.Get("/admin/protokoll")
		return strings.Contains(res.Text(), want)
	})
	if res.Doc.Find("tr.broken").Length() != 1 {
		t.Error("the broken row is not marked")
	}
}

// TestReportPage: the Beteiligungsbericht has every chart as SVG with its
// data table; the dashboard shows the same charts; moderators see neither.
func TestReportPage(t *testing.T) {
	a, admin := resultsApp(t)
	c := a.SessionClient(t, admin)
	res := c.Get("/admin/bericht")
	if res.Status != 200 || res.Doc.Find("h1").Text() != "Beteiligungsbericht" {
		t.Fatalf("report: %d %s", res.Status, res.Text())
	}
	figures := res.Doc.Find("figure.chart")
	if figures.Length() != 7 {
		t.Errorf("%d charts, want 7", figures.Length())
	}
	figures.Each(func(_ int, f *goquery.Selection) {
		id, _ := f.Attr("id")
		// Drawings for wide and narrow boxes (issue 12, item 7) and for
		// paper, all hidden from screen readers, which read the table.
		if f.Find("svg.chart-svg[aria-hidden=true]").Length() != 3 || f.Find("table tbody tr").Length() == 0 {
			t.Errorf("chart %s lacks its SVG or its table", id)
		}
		if f.Find("svg rect").Length() < f.Find("table tbody tr").Length() {
			t.Errorf("chart %s: fewer bars than table rows", id)
		}
	})
	if !strings.Contains(res.Text(), "Fachkonzept Wohnen") || !strings.Contains(res.Text(), "Leipzig setzt auf Lebensqualität") {
		t.Error("chapters or Zielfelder missing")
	}
	if !strings.Contains(res.Body, "css/results") {
		t.Error("no print stylesheet")
	}
	dash := c.Get("/admin")
	if n := dash.Doc.Find("figure.chart").Length(); n != 7 {
		t.Errorf("dashboard shows %d charts", n)
	}
	mod := a.SessionClient(t, a.CreateUser(t, "mod-bericht@example.org", "Moderation Bericht", app.RoleModerator))
	if r := mod.Get("/admin/bericht"); r.Status != 403 {
		t.Errorf("moderator report: %d", r.Status)
	}
	if r := mod.Get("/admin"); r.Status != 200 || r.Doc.Find("figure.chart").Length() != 0 {
		t.Errorf("moderator dashboard: %d", r.Status)
	}
}

// TestOwnContributionsShowAssessment: a participant's own page lists their
// contribution with its published assessment and links to the reasoning.
func TestOwnContributionsShowAssessment(t *testing.T) {
	a, admin := resultsApp(t)
	ctx := context.Background()
	u := a.CreateUser(t, "teilnehmerin-ergebnis@example.org", "Gohliser Teilnehmerin", app.RoleCitizen)
	ch, err := a.Store.ChapterBySlug(ctx, "wohnen")
	if err != nil {
		t.Fatal(err)
	}
	com := &app.Contribution{Channel: app.ChannelOnline, ChapterID: &ch.ID, AuthorID: &u.ID, Body: "Mehr Genossenschaftswohnungen in Gohlis, bitte."}
	if err := a.Store.CreateContribution(ctx, com); err != nil {
		t.Fatal(err)
	}
	if com.Status != app.StatusPublished {
		if _, _, err := a.Store.Moderate(ctx, admin, com.ID, app.ModerationInput{Action: app.ActionApprove}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.Store.Assess(ctx, admin, com.ID, app.AssessmentInput{Status: app.AssessConsidered, Reasoning: "Aufgenommen in Absatz 4.", Publish: true}); err != nil {
		t.Fatal(err)
	}
	res := a.SessionClient(t, u).Get("/profil/beitraege")
	link := res.Doc.Find(`a[href="/entwurf/wohnen/ergebnisse#ergebnis-` + strconv.FormatInt(com.Number, 10) + `"]`)
	if res.Status != 200 || !strings.Contains(res.Text(), "berücksichtigt") || link.Length() != 1 {
		t.Fatalf("own contributions: %d %s", res.Status, res.Text())
	}
	results := a.Client(t).Get("/entwurf/wohnen/ergebnisse")
	if !strings.Contains(results.Text(), "Aufgenommen in Absatz 4.") || results.Doc.Find("#ergebnis-"+strconv.FormatInt(com.Number, 10)).Length() != 1 {
		t.Errorf("the linked reasoning is not on the results page")
	}
}

// TestAuditLogDateFilter: the period is entered as TT.MM.JJJJ (as the
// message asks) or as JJJJ-MM-TT (a date input); an end before the start is
// refused with its own message.
func TestAuditLogDateFilter(t *testing.T) {
	a := testenv.StartApp(t)
	admin := a.CreateUser(t, "ag-insek-protokoll@example.org", "AG INSEK Protokoll", app.RoleAdmin)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := a.Store.AppendAudit(ctx, app.AuditEvent{Actor: admin, Action: "results.export", ObjectType: "export", ObjectID: "figures"}); err != nil {
			t.Fatal(err)
		}
	}
	today := a.Store.Now().In(app.Berlin)
	day := func(d time.Time, layout string) string { return d.Format(layout) }
	c := a.SessionClient(t, admin)
	for _, q := range []string{
		"von=" + day(today, "02.01.2006") + "&bis=" + day(today, "02.01.2006"),
		"von=" + day(today, "2006-01-02") + "&bis=" + day(today, "2006-01-02"),
	} {
		res := c.Get("/admin/protokoll?aktion=results.export&" + q)
		if res.Status != 200 {
			t.Fatalf("%s: status %d, errors %q %q", q, res.Status, res.FieldError("von"), res.FieldError("bis"))
		}
		if n := res.Doc.Find("table.audit tbody tr").Length(); n != 2 {
			t.Errorf("%s: %d rows, want 2", q, n)
		}
	}
	tomorrow := today.AddDate(0, 0, 1)
	res := c.Get("/admin/protokoll?aktion=results.export&von=" + day(tomorrow, "02.01.2006"))
	if res.Status != 200 || res.Doc.Find("table.audit tbody tr").Length() != 0 {
		t.Errorf("from tomorrow: status %d, %d rows, want none", res.Status, res.Doc.Find("table.audit tbody tr").Length())
	}
	// 21.11.2026 is always a valid day, whatever the clock says.
	if res := c.Get("/admin/protokoll?von=21.11.2026"); res.Status != 200 || res.FieldError("von") != "" {
		t.Errorf("von=21.11.2026: status %d, error %q", res.Status, res.FieldError("von"))
	}
	bad := c.Get("/admin/protokoll?von=21.11.2026&bis=20.11.2026")
	if bad.Status != 422 || !strings.Contains(bad.FieldError("bis"), "Ende des Zeitraums") {
		t.Errorf("end before start: %d %q", bad.Status, bad.FieldError("bis"))
	}
	bad = c.Get("/admin/protokoll?von=31.02.2026")
	if msg := bad.FieldError("von"); bad.Status != 422 || !strings.Contains(msg, "TT.MM.JJJJ") || !strings.Contains(msg, "JJJJ-MM-TT") {
		t.Errorf("bad date: %d %q", bad.Status, msg)
	}
}
