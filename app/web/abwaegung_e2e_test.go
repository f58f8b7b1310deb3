package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// noJSTab is a Chromium tab with JavaScript switched off, logged in as u.
func noJSTab(t *testing.T, b *testenv.Browser, a *testenv.App, u *app.User) context.Context {
	t.Helper()
	tab := b.Tab(t)
	err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	if err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	testenv.LoginAs(t, tab, a, u)
	return tab
}

// browse runs browser actions and returns the text of the page's main.
func browse(t *testing.T, tab context.Context, actions ...chromedp.Action[chromedp.Void]) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	defer cancel()
	all := make([]chromedp.Action[chromedp.Void], 0, len(actions)+1)
	all = append(all, actions...)
	all = append(all, chromedp.WaitReady("main"))
	if err := chromedp.Do(ctx, all...); err != nil {
		t.Fatalf("browser: %v", err)
	}
	// A document still being replaced (the redirect after a form) can take
	// the found node away before its text is read: then the page is read
	// again once its main is there.
	var text string
	var err error
	for range 3 {
		if text, err = chromedp.Run(ctx, chromedp.Text("main")); err == nil || !strings.Contains(err.Error(), "No node with given id") {
			break
		}
		if werr := chromedp.Do(ctx, chromedp.WaitReady("main")); werr != nil {
			t.Fatalf("browser: %v", werr)
		}
	}
	if err != nil {
		t.Fatalf("read page: %v", err)
	}
	return strings.Join(strings.Fields(text), " ")
}

// press clicks a submit button and waits for the next page (the old
// document is marked first, so that reading cannot race the navigation).
func press(sel string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{chromedp.SetAttributeValue("html", "data-old", "1"), chromedp.Click(sel),
		chromedp.WaitNotPresent("html[data-old]")}
}

// acts joins actions and button presses for browse.
func acts(parts ...any) []chromedp.Action[chromedp.Void] {
	var out []chromedp.Action[chromedp.Void]
	for _, p := range parts {
		switch x := p.(type) {
		case chromedp.Action[chromedp.Void]:
			out = append(out, x)
		case []chromedp.Action[chromedp.Void]:
			out = append(out, x...)
		}
	}
	return out
}

// TestAbwaegungEndToEndWithoutJavaScript is the story of issue 13 in
// Chromium with JavaScript off: AG INSEK's rules assign 30 contributions;
// VTA and ASW draft (one co-signed by VTA); AG INSEK returns one and it is
// redone; ASW does the rest by Excel round trip with two bad rows
// reported; AG INSEK publishes, the four-eyes rule refusing the one
// reviewer's own text; the dashboard and the Abwägungstabelle show the
// right figures, and exactly the authors of published assessments get mail.
func TestAbwaegungEndToEndWithoutJavaScript(t *testing.T) {
	f := newAbwFix(t)
	ctx := context.Background()
	mob, _, err := f.a.Platform.Draft.SaveChapter(ctx, f.admin, f.doc.ID, 0, app.ChapterInput{Title: "Fachkonzept Mobilität", Slug: "mobilitaet",
		Position: 2, Body: "Mehr Wege zu Fuß und mit dem Rad.\n\nDie Straßenbahn wird ausgebaut."})
	if err != nil {
		t.Fatal(err)
	}
	var list []*app.Contribution
	for i := 0; i < 30; i++ {
		author := f.a.CreateUser(t, fmt.Sprintf("autorin%02d@example.org", i), fmt.Sprintf("Autorin %02d", i), app.RoleCitizen)
		in := draft.CommentInput{Body: fmt.Sprintf("Anregung %02d: mehr Bäume, Bänke und sichere Wege im Quartier.", i)}
		chapter := f.ch.ID
		if i >= 20 {
			chapter = mob.ID
		}
		if i < 3 {
			in.Tags = []string{"verkehr"}
		}
		c, err := f.a.Platform.Draft.Comment(ctx, author, chapter, in)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, c)
	}
	b := testenv.StartBrowser(t)
	ag := noJSTab(t, b, f.a, f.agA)
	u := f.a.URL
	// AG INSEK writes the rules in the form and applies them.
	for _, r := range []struct{ kind, field, value, amt, role string }{
		{"chapter", "#f-value_chapter", itoa(f.ch.ID), "ASW", "lead"},
		{"chapter", "#f-value_chapter", itoa(mob.ID), "VTA", "lead"},
		{"tag", "#f-value_tag", "verkehr", "VTA", "cosign"},
	} {
		text := browse(t, ag, acts(chromedp.Navigate(u+"/abwaegung/regeln"), chromedp.SetValue("#f-kind", r.kind), chromedp.SetValue(r.field, r.value),
			chromedp.SetValue("#f-fachamt", r.amt), chromedp.SetValue("#f-role", r.role), press("form[action='/abwaegung/regeln'] button[type=submit]"))...)
		if !strings.Contains(text, "Die Regel ist angelegt") {
			t.Fatalf("add rule: %s", text)
		}
	}
	if text := browse(t, ag, press("form[action='/abwaegung/regeln/anwenden'] button")...); !strings.Contains(text, "Zugeordnet: 30. Ohne passende Regel: 0.") {
		t.Fatalf("apply rules: %s", text)
	}
	if text := browse(t, ag, acts(chromedp.Navigate(u+"/abwaegung/runden"), chromedp.SetValue("#f-name", "Entwurfsrunde"), chromedp.SetValue("#f-deadline", "2030-01-31"),
		press("form[action='/abwaegung/runden'] button"))...); !strings.Contains(text, "Die Runde hat begonnen") {
		t.Fatalf("start round: %s", text)
	}
	draftIn := func(tab context.Context, c *app.Contribution, reasoning string) string {
		n := c.PublicNumber()
		return browse(t, tab, acts(chromedp.Navigate(u+"/abwaegung/"+n), chromedp.SetValue("#f-result", app.AssessConsidered),
			chromedp.SetValue("#f-reasoning", reasoning), press("form[action='/abwaegung/"+n+"/entwurf'] button"))...)
	}
	step := func(tab context.Context, c *app.Contribution, action string) string {
		n := c.PublicNumber()
		return browse(t, tab, acts(chromedp.Navigate(u+"/abwaegung/"+n), press("form[action='/abwaegung/"+n+"/schritt'] input[value='"+action+"'] ~ button"))...)
	}
	// VTA drafts two of its own.
	vta := noJSTab(t, b, f.a, f.staffVTA)
	for _, c := range list[20:22] {
		draftIn(vta, c, "Das Verkehrs- und Tiefbauamt nimmt die Anregung in das Radverkehrsprogramm auf.")
		if text := step(vta, c, "submit"); !strings.Contains(text, "zur Prüfung eingereicht") {
			t.Fatalf("VTA submit: %s", text)
		}
	}
	// ASW drafts three in the browser; the first needs VTA's co-signature.
	asw := noJSTab(t, b, f.a, f.staffASW)
	for i, c := range list[:3] {
		if text := draftIn(asw, c, fmt.Sprintf("Wird im Fachkonzept Wohnen aufgegriffen (%d).", i)); !strings.Contains(text, "Der Entwurf ist gespeichert") {
			t.Fatalf("ASW draft: %s", text)
		}
		if text := step(vta, c, "cosign"); !strings.Contains(text, "Sie haben mitgezeichnet") {
			t.Fatalf("VTA cosign: %s", text)
		}
		if text := step(asw, c, "submit"); !strings.Contains(text, "zur Prüfung eingereicht") {
			t.Fatalf("ASW submit: %s", text)
		}
	}
	// AG INSEK returns one; ASW redoes it.
	n0 := list[0].PublicNumber()
	if text := browse(t, ag, acts(chromedp.Navigate(u+"/abwaegung/"+n0), chromedp.SetValue("#f-return_comment", "Bitte den Absatz nennen."),
		press("form[action='/abwaegung/"+n0+"/schritt'] input[value='return'] ~ button"))...); !strings.Contains(text, "zur Überarbeitung zurückgegeben") {
		t.Fatalf("return: %s", text)
	}
	if text := draftIn(asw, list[0], "Wird in Absatz 2 des Fachkonzepts Wohnen aufgegriffen."); !strings.Contains(text, "Bitte den Absatz nennen.") {
		t.Fatalf("redo: %s", text)
	}
	step(vta, list[0], "cosign")
	step(asw, list[0], "submit")
	// ASW does the rest by Excel: two bad rows are reported, then fixed.
	sheet := downloadSheet(t, f.a.SessionClient(t, f.staffASW))
	rows, _ := sheet.GetRows("Abwägung")
	if len(rows) != 18 {
		t.Fatalf("the sheet has %d contributions, want 17", len(rows)-1)
	}
	for i, row := range rows[1:] {
		cells := map[string]string{"Ergebnis": "teilweise berücksichtigt", "Begründung": "Aus der Tabelle: " + row[0]}
		switch i {
		case 0:
			cells["Ergebnis"] = "jein"
		case 1:
			cells["Absatz der Änderung"] = "99"
			cells["Neue Fassung"] = "Ein Absatz, den es nicht gibt."
		}
		fill(t, sheet, row[0], cells)
	}
	file := filepath.Join(t.TempDir(), "asw.xlsx")
	if err := sheet.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	text := browse(t, asw, acts(chromedp.Navigate(u+"/abwaegung/amt/ASW/hochladen"), chromedp.SetUploadFiles("#f-file", []string{file}),
		chromedp.Click("#mode-valid"), press("form[enctype] button[type=submit]"))...)
	if !strings.Contains(text, "Übernommen: 15") || !strings.Contains(text, "Fehler: 2.") || !strings.Contains(text, "2 Ergebnis Bitte wählen Sie ein Ergebnis aus der Liste.") ||
		!strings.Contains(text, "3 Absatz der Änderung "+paragraphUnknown) {
		t.Fatalf("upload report: %s", text)
	}
	// A fresh download carries the new versions; only the two rows are
	// corrected, the applied ones are left as they are (and skipped).
	sheet = downloadSheet(t, f.a.SessionClient(t, f.staffASW))
	fill(t, sheet, rows[1][0], map[string]string{"Ergebnis": "berücksichtigt", "Begründung": "Aus der Tabelle, korrigiert."})
	fill(t, sheet, rows[2][0], map[string]string{"Ergebnis": "berücksichtigt", "Begründung": "Aus der Tabelle, korrigiert.",
		"Absatz der Änderung": "3", "Neue Fassung": "Zweiter Absatz über Freiräume, Bäume und Grün."})
	var fixed bytes.Buffer
	_ = sheet.Write(&fixed)
	if err := os.WriteFile(file, fixed.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text = browse(t, asw, acts(chromedp.Navigate(u+"/abwaegung/amt/ASW/hochladen"), chromedp.SetUploadFiles("#f-file", []string{file}),
		chromedp.Click("#mode-all"), press("form[enctype] button[type=submit]"))...)
	if !strings.Contains(text, "Übernommen: 2") || !strings.Contains(text, "Übersprungen (leer oder unverändert): 15") || !strings.Contains(text, "Fehler: 0") {
		t.Fatalf("second upload: %s", text)
	}
	// ASW submits everything drafted with one bulk action (checkboxes).
	clicks := []chromedp.Action[chromedp.Void]{chromedp.Navigate(u + "/abwaegung/amt/ASW?stand=drafted")}
	for _, c := range list[3:20] {
		clicks = append(clicks, chromedp.Click(fmt.Sprintf("#sel-%d", c.ID)))
	}
	clicks = append(clicks, chromedp.SetValue("#f-bulk_action", "submit"))
	clicks = append(clicks, press("form.bulk-form fieldset button")...)
	if text := browse(t, asw, clicks...); !strings.Contains(text, "Erledigt: 17") {
		t.Fatalf("bulk submit: %s", text)
	}
	// A reviewer's own rewrite: the four-eyes rule keeps them from publishing it.
	n3 := list[3].PublicNumber()
	browse(t, ag, acts(chromedp.Navigate(u+"/abwaegung/"+n3), chromedp.SetValue("#f-reasoning", "Von der AG INSEK geschärft."), press("form[action='/abwaegung/"+n3+"/entwurf'] button"))...)
	review := []chromedp.Action[chromedp.Void]{chromedp.Navigate(u + "/abwaegung?stand=in_review")}
	for _, c := range append(append([]*app.Contribution{}, list[:20]...), list[20:22]...) {
		review = append(review, chromedp.Click(fmt.Sprintf("#sel-%d", c.ID)))
	}
	withPublish := acts(review, chromedp.SetValue("#f-bulk_action", "publish"), press("form.bulk-form fieldset button"))
	if text := browse(t, ag, withPublish...); !strings.Contains(text, "Erledigt: 21") || !strings.Contains(text, n3+": Vier-Augen-Prinzip") {
		t.Fatalf("bulk publish by AG A: %s", text)
	}
	other := noJSTab(t, b, f.a, f.agB)
	if text := step(other, list[3], "publish"); !strings.Contains(text, "ist veröffentlicht") {
		t.Fatalf("publish by AG B: %s", text)
	}
	// VTA's remaining batch is late.
	if err := f.a.Store.SetRoundDeadline(ctx, f.agA, 1, app.DeadlineInput{Fachamt: "VTA", Deadline: f.a.Store.Now().In(app.Berlin).AddDate(0, 0, -1).Format("2006-01-02")}); err != nil {
		t.Fatal(err)
	}
	if dash := browse(t, ag, chromedp.Navigate(u+"/abwaegung/uebersicht")); !strings.Contains(dash, "Stand nach federführendem Fachamt") {
		t.Fatalf("dashboard: %s", dash)
	}
	page := f.a.SessionClient(t, f.agA).Get("/abwaegung/uebersicht")
	row := func(table, label string) string {
		out := ""
		page.Doc.Find("#table-" + table + " tbody tr").Each(func(_ int, r *goquery.Selection) {
			if strings.Contains(r.Find("th").Text(), label) {
				var cells []string
				r.Children().Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
				out = strings.Join(cells, "|")
			}
		})
		return out
	}
	// Columns: name | open | drafted | cosigned | in review | published | overdue | total
	if got := row("fachamt", "(ASW)"); got != "Amt für Wohnungsbau und Stadterneuerung (ASW)|0|0|0|0|20|0|20" {
		t.Errorf("dashboard ASW: %q", got)
	}
	if got := row("fachamt", "(VTA)"); got != "Verkehrs- und Tiefbauamt (VTA)|8|0|0|0|2|8|10" {
		t.Errorf("dashboard VTA: %q", got)
	}
	if got := row("chapter", "Mobilität"); got != "Fachkonzept Mobilität|8|0|0|0|2|8|10" {
		t.Errorf("dashboard chapter: %q", got)
	}
	// The Abwägungstabelle: lead, co-signer, roles, no names.
	var csv bytes.Buffer
	exp := &export.Service{Store: f.a.Store, T: f.a.Platform.I18n.Localizer("de").T}
	if _, err := exp.Run(ctx, f.agA, export.Request{Kind: export.KindAssessment, Format: export.FormatCSV}, &csv, nil); err != nil {
		t.Fatal(err)
	}
	table := csv.String()
	if n := strings.Count(table, ";ASW;"); n != 20 {
		t.Errorf("%d rows led by ASW in the table", n)
	}
	// 19 drafted by ASW alone, one (list[3]) by ASW and AG INSEK; the three
	// first co-signed by VTA; VTA's two drafted by VTA.
	if n := strings.Count(table, ";ASW;;veröffentlicht;Fachamt ASW;;AG INSEK;;"); n != 16 {
		t.Errorf("%d rows drafted by ASW alone without co-signer:\n%s", n, table)
	}
	if n := strings.Count(table, ";ASW;VTA;veröffentlicht;Fachamt ASW;;AG INSEK;;"); n != 3 {
		t.Errorf("%d rows with co-signer VTA", n)
	}
	if !strings.Contains(table, ";ASW;;veröffentlicht;Fachamt ASW, AG INSEK;;AG INSEK;;") || strings.Count(table, ";VTA;;veröffentlicht;Fachamt VTA;;AG INSEK;;") != 2 {
		t.Errorf("rows of several drafters and of VTA:\n%s", table)
	}
	if strings.Contains(table, "AG Prüfer") || strings.Contains(table, "ASW Sachbearbeiterin") {
		t.Error("the table names staff without being asked to")
	}
	// Exactly the 22 authors of published assessments got mail.
	for i, c := range list {
		addr := fmt.Sprintf("autorin%02d@example.org", i)
		if i < 22 {
			if m := f.a.Mail.WaitFor(addr, "Was aus Ihrem Beitrag"); !strings.Contains(m.Text, c.PublicNumber()) {
				t.Errorf("mail to %s lacks %s", addr, c.PublicNumber())
			}
		}
	}
	time.Sleep(300 * time.Millisecond)
	for i := 22; i < 30; i++ {
		if n := len(f.a.Mail.MailsTo(fmt.Sprintf("autorin%02d@example.org", i))); n != 0 {
			t.Errorf("author %d of an unpublished assessment got %d mails", i, n)
		}
	}
}

// paragraphUnknown is the message for an anchor the chapter does not have.
const paragraphUnknown = "Bitte wählen Sie einen Absatz aus der Liste."

// downloadSheet fetches ASW's work sheet as its staff member.
func downloadSheet(t *testing.T, c *testenv.Client) *excelize.File {
	t.Helper()
	res := c.Get("/abwaegung/amt/ASW/tabelle.xlsx")
	x, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil || res.Status != 200 {
		t.Fatalf("download: %d %v", res.Status, err)
	}
	return x
}
