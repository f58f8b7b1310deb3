package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app/testenv"
)

// reflowPages are the page types the review measured scrolling sideways at
// 320 px (WCAG 1.4.10), with the pages around them.
var reflowPages = map[string]bool{
	"home": true, "signup": true, "event registration form": true, "event selection form": true,
	"admin event new": true, "admin event edit": true, "admin event overview": true, "check-in": true,
	"moderation queue": true, "draft chapter": true, "card page": true, "board as host (collect)": true, "admin entry list": true,
	"draft chapter with a wide table": true, "invitation naming": true, "invitation naming errors": true,
}

// TestReflowAt320 loads page types in Chromium 320 CSS pixels wide and
// asserts the page itself never scrolls sideways (tables may scroll inside
// their labelled region), also with the WCAG 1.4.12 text spacing applied.
func TestReflowAt320(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	const spacing = `(() => { const s = document.createElement("style");
		s.textContent = "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }";
		document.head.appendChild(s); return true; })()`
	const overflow = `(() => { const d = document.documentElement; return d.scrollWidth - window.innerWidth; })()`
	crawlA11yPagesWhere(t, a, []string{"de"}, func(p a11yPage) bool { return reflowPages[p.name] }, func(t *testing.T, p *crawledPage) {
		if err := chromedp.Do(p.Tab, chromedp.EmulateViewport(320, 800), chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		if px := testenv.Eval[int](t, p.Tab, overflow); px > 0 {
			t.Errorf("%s: the page scrolls %d px sideways at 320 px", p.label(), px)
		}
		testenv.Eval[bool](t, p.Tab, spacing)
		if px := testenv.Eval[int](t, p.Tab, overflow); px > 0 {
			t.Errorf("%s: the page scrolls %d px sideways at 320 px with text spacing", p.label(), px)
		}
	})
}

// TestReflowAt320EveryPage loads every page type of the accessibility crawl
// 320 CSS pixels wide: the page never scrolls sideways (WCAG 1.4.10). The
// text-spacing variant runs on the page types above, where forms and tables
// are widest.
func TestReflowAt320EveryPage(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	const overflow = `(() => { const d = document.documentElement; return d.scrollWidth - window.innerWidth; })()`
	crawlA11yPagesWhere(t, a, []string{"de"}, func(a11yPage) bool { return true }, func(t *testing.T, p *crawledPage) {
		if err := chromedp.Do(p.Tab, chromedp.EmulateViewport(320, 800), chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		if px := testenv.Eval[int](t, p.Tab, overflow); px > 0 {
			t.Errorf("%s: the page scrolls %d px sideways at 320 px", p.label(), px)
		}
	})
}

// TestFilterButtonsLineUpWithTheirFields: the "Filtern" and "Sortieren"
// buttons sit on the line of the selects beside them, not lower (issue 12
// item 12: a field's bottom margin pushed them down).
func TestFilterButtonsLineUpWithTheirFields(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	pages := map[string]bool{"moderation queue": true, "events list": true, "draft chapter": true, "results audit log": true, "admin events": true}
	const offsets = `(() => [...document.querySelectorAll("form.filters, form.sort-form")].flatMap(f => {
		const b = f.querySelector("button[type=submit]");
		const controls = [...f.querySelectorAll("select, input:not([type=hidden]):not([type=checkbox])")];
		if (!b || !controls.length) return [];
		const br = b.getBoundingClientRect();
		// The control on the button's row that ends closest to it.
		const row = controls.map(c => c.getBoundingClientRect()).filter(r => r.top < br.bottom && r.bottom > br.top);
		if (!row.length) return [];
		return [Math.round(Math.max(...row.map(r => Math.abs(r.bottom - br.bottom))))];
	}))()`
	crawlA11yPagesWhere(t, a, []string{"de"}, func(p a11yPage) bool { return pages[p.name] }, func(t *testing.T, p *crawledPage) {
		if err := chromedp.Do(p.Tab, chromedp.EmulateViewport(1280, 900), chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		for _, px := range testenv.Eval[[]int](t, p.Tab, offsets) {
			if px > 2 {
				t.Errorf("%s: a filter or sort button sits %d px off the bottom of the field beside it", p.label(), px)
			}
		}
	})
}
