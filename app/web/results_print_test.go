package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// pdfPages extracts the text of a PDF page by page with pdftotext (Debian's
// poppler-utils, installed by `make test`).
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal("pdftotext not found: `make test` installs it (Debian: apt-get install poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "bericht.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// TestReportPrint (issue 12, item 13): the Beteiligungsbericht prints on
// fewer A4 pages than the nine it took, with chart text of at least 9 pt, no
// page break inside a table or a figure, and every page carries the report's
// date and "Seite n von N".
func TestReportPrint(t *testing.T) {
	a, admin := resultsApp(t)
	tab := testenv.StartBrowser(t).Tab(t)
	testenv.LoginAs(t, tab, a, admin)
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+"/admin/bericht")); err != nil {
		t.Fatal(err)
	}

	// As printed: emulated print media, as wide as an A4 page between its
	// margins (210 mm − 2 × 16 mm = 178 mm = 672 px).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(672, 1000), func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return chromedp.Void{}, err
	}); err != nil {
		t.Fatal(err)
	}
	var r chartReport
	if err := json.Unmarshal([]byte(evalString(t, ctx, chartFacts)), &r); err != nil {
		t.Fatal(err)
	}
	if r.Count != 7 || r.MinPx < 12 {
		t.Errorf("printed chart text is %.1f px (%.1f pt), want at least 9 pt", r.MinPx, r.MinPx*0.75)
	}
	if len(r.Cut)+len(r.Outside) > 0 {
		t.Errorf("printed labels cut or outside their drawing: %v %v", r.Cut, r.Outside)
	}
	splittable := evalString(t, ctx, `[...document.querySelectorAll('main figure, main table')]
		.filter(e => e.checkVisibility() && getComputedStyle(e).breakInside !== 'avoid')
		.map(e => e.id || e.tagName).join(', ')`)
	if splittable != "" {
		t.Errorf("tables and figures that a page break may split: %s", splittable)
	}

	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4)))
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, pdf)
	t.Logf("the report prints on %d A4 pages", len(pages))
	// Nine pages before issue 12, with this data.
	if len(pages) > 6 {
		t.Errorf("the report prints on %d pages", len(pages))
	}
	date := a.Store.Now().In(berlinTZ(t)).Format("02.01.2006")
	for i, p := range pages {
		if want := fmt.Sprintf("Seite %d von %d", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q:\n%s", i+1, want, p)
		}
		if want := "Stand: " + date; !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
}

func berlinTZ(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestReportPrintStylesheet: the margins of the printed report say the date
// of the figures in the reader's language; only admins get the stylesheet.
func TestReportPrintStylesheet(t *testing.T) {
	a, admin := resultsApp(t)
	c := a.SessionClient(t, admin)
	stand := time.Date(2026, 3, 12, 23, 30, 0, 0, time.UTC) // already 13 March in Leipzig
	path := fmt.Sprintf("/admin/bericht/druck.css?stand=%d", stand.Unix())
	for lang, want := range map[string][]string{
		"de": {`"Beteiligungsbericht INSEK Leipzig – Stand: 13.03.2026"`, `"Seite" " " counter(page) " von " counter(pages)`},
		"en": {`"Participation report INSEK Leipzig – as of 13 March 2026"`, `"Page" " " counter(page) " of " counter(pages)`},
	} {
		res := c.Get(path + "&lang=" + lang)
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
			t.Fatalf("%s: %d %s", lang, res.Status, res.Header.Get("Content-Type"))
		}
		for _, w := range want {
			if !strings.Contains(res.Body, w) {
				t.Errorf("%s: stylesheet lacks %s:\n%s", lang, w, res.Body)
			}
		}
	}
	page := c.Get("/admin/bericht?lang=de")
	if href, _ := page.Doc.Find(`link[media=print][href^="/admin/bericht/druck.css"]`).Attr("href"); href == "" {
		t.Error("the report does not link its print stylesheet")
	}
	mod := a.SessionClient(t, a.CreateUser(t, "mod-druck@example.org", "Moderation Druck", app.RoleModerator))
	if res := mod.Get(path); res.Status != 403 {
		t.Errorf("moderator: %d", res.Status)
	}
}
