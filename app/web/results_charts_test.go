package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app/testenv"
)

// chartFacts measures the charts of the page as they are shown: the
// smallest rendered size of chart text, labels that are cut or stick out
// of their drawing, labels that differ from the table, and two-series
// charts whose series differ by colour only.
const chartFacts = `(() => {
  const out = {minPx: 1000, cut: [], outside: [], mismatch: [], colourOnly: [], tables: [], count: 0};
  for (const fig of document.querySelectorAll('figure.chart')) {
    out.count++;
    const svg = [...fig.querySelectorAll('svg.chart-svg')].find(s => s.checkVisibility());
    if (!svg) { out.outside.push(fig.id + ': no drawing shown'); continue; }
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
      out.minPx = Math.min(out.minPx, px);
      if (t.textContent.trim().endsWith('…')) { out.cut.push(fig.id + ': ' + t.textContent); }
      const r = t.getBoundingClientRect();
      if (r.left < box.left - 2 || r.right > Math.min(box.right, window.innerWidth) + 2) { out.outside.push(fig.id + ': ' + t.textContent); }
    }
    const table = fig.querySelector('table');
    out.tables.push(fig.id + ':' + (table && table.checkVisibility() ? 'table' : (fig.querySelector('a[href*="/admin/bericht#' + fig.id + '-data"]') ? 'link' : 'none')));
    if (table) {
      const labels = [...table.querySelectorAll('tbody th')].map(th => th.textContent.trim());
      const rows = [...svg.querySelectorAll('.chart-row')].map(g => [...g.querySelectorAll('.chart-label')].map(t => t.textContent).join(' '));
      const plain = s => s.replace(/[\s-]/g, '');
      if (plain(rows.join('|')) !== plain(labels.join('|'))) { out.mismatch.push(fig.id + ': ' + rows.join('|') + ' ≠ ' + labels.join('|')); }
      if (table.querySelectorAll('thead th').length === 3) {
        const fills = [...svg.querySelectorAll('rect')].map(r => r.getAttribute('fill') || '');
        const patterned = fills.some(f => { const m = f.match(/^url\(#(.+)\)$/); return m && document.getElementById(m[1]) && document.getElementById(m[1]).tagName === 'pattern'; });
        if (!patterned) { out.colourOnly.push(fig.id); }
      }
    }
  }
  return JSON.stringify(out);
})()`

type chartReport struct {
	MinPx      float64  `json:"minPx"`
	Cut        []string `json:"cut"`
	Outside    []string `json:"outside"`
	Mismatch   []string `json:"mismatch"`
	ColourOnly []string `json:"colourOnly"`
	Tables     []string `json:"tables"`
	Count      int      `json:"count"`
}

// TestChartsOnAPhone (issue 12, item 7): at 360 px and at 1280 px the chart
// text is rendered at 12 px or more, no label is cut or sticks out, the
// drawing shows every label whole, two-series charts are hatched, and each
// chart's table is shown (report) or linked (dashboard).
func TestChartsOnAPhone(t *testing.T) {
	a, admin := resultsApp(t)
	b := testenv.StartBrowser(t)
	for _, width := range []int64{360, 1280} {
		for _, path := range []string{"/admin/bericht", "/admin"} {
			t.Run(fmt.Sprintf("%s at %d px", path, width), func(t *testing.T) {
				tab := b.Tab(t)
				testenv.LoginAs(t, tab, a, admin)
				ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
				defer cancel()
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(a.URL+path)); err != nil {
					t.Fatal(err)
				}
				var r chartReport
				if err := json.Unmarshal([]byte(evalString(t, ctx, chartFacts)), &r); err != nil {
					t.Fatal(err)
				}
				if r.Count != 7 {
					t.Fatalf("%d charts", r.Count)
				}
				if r.MinPx < 12 {
					t.Errorf("chart text is rendered at %.1f px, want at least 12", r.MinPx)
				}
				for _, what := range [][]string{r.Cut, r.Outside, r.Mismatch} {
					if len(what) > 0 {
						t.Errorf("labels cut, outside their drawing or unlike the table:\n%s", strings.Join(what, "\n"))
					}
				}
				if len(r.ColourOnly) > 0 {
					t.Errorf("two-series charts that differ by colour only: %v", r.ColourOnly)
				}
				for _, tb := range r.Tables {
					want := ":table"
					if path == "/admin" {
						want = ":link"
					}
					if !strings.HasSuffix(tb, want) {
						t.Errorf("chart data: %s, want %s", tb, want)
					}
				}
			})
		}
	}
}
