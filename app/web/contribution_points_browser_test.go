package web_test

import (
	"context"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// clickAt clicks on the picker where the point (lon, lat) is drawn, with
// the projection the server used (data attributes of the picker).
const clickMarkt = `(function () {
  var picker = document.querySelector(".point-picker");
  var svg = picker.querySelector("svg");
  svg.scrollIntoView({block: "center"});
  var R = 6378137, lon = 12.3747, lat = 51.3406;
  var x = (R * lon * Math.PI / 180 - parseFloat(picker.dataset.minx)) * parseFloat(picker.dataset.scale);
  var y = (parseFloat(picker.dataset.maxy) - R * Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360))) * parseFloat(picker.dataset.scale);
  var pt = svg.createSVGPoint(); pt.x = x; pt.y = y;
  var s = pt.matrixTransform(svg.getScreenCTM());
  var target = document.elementFromPoint(s.x, s.y);
  target.dispatchEvent(new MouseEvent("click", {bubbles: true, clientX: s.x, clientY: s.y}));
  return target.getAttribute("data-ortsteil") || "";
})()`

// TestContributionPointPickerInChromium: with JavaScript a click on the
// city map sets the point and the Ortsteil, the form passes axe and the
// comment is stored with the point; without JavaScript the same form shows
// no map, passes axe and works with the Ortsteil and a description.
func TestContributionPointPickerInChromium(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost, testenv.WithoutSMTP())
	b := testenv.StartBrowser(t)
	tab := b.Tab(t)
	testenv.LoginAs(t, tab, f.a, f.cit)
	ctx, cancel := context.WithTimeout(tab, 3*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(f.a.URL+"/entwurf/wohnen"),
		chromedp.WaitVisible("#f-point"),
		chromedp.Click("#f-point summary"),
		chromedp.WaitVisible(".point-picker svg")); err != nil {
		t.Fatalf("open the picker: %v", err)
	}
	if got := evalString(t, ctx, clickMarkt); got != "00" {
		t.Fatalf("the click hit Ortsteil %q", got)
	}
	waitJS(t, ctx, `document.querySelector("input[name=lat]").value !== ""`)
	// A screen pixel of the map is about 40 m: the point is where the
	// click was, to a pixel, with the 4 decimals the server keeps.
	lat, lon, ot := evalString(t, ctx, `document.querySelector("input[name=lat]").value`), evalString(t, ctx, `document.querySelector("input[name=lon]").value`),
		evalString(t, ctx, `document.querySelector("select[name=ortsteil]").value`)
	la, _ := strconv.ParseFloat(lat, 64)
	lo, _ := strconv.ParseFloat(lon, 64)
	if math.Abs(la-51.3406) > 0.001 || math.Abs(lo-12.3747) > 0.001 || len(lat) != len("51.3406") || ot != "00" {
		t.Fatalf("after the click: lat %s lon %s Ortsteil %s", lat, lon, ot)
	}
	if status := evalString(t, ctx, `document.querySelector(".point-status").textContent`); status == "" {
		t.Error("no status text after placing the point")
	}
	testenv.ReportAxe(t, ctx, "comment form with a placed point")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys("#f-body", "Ein Trinkbrunnen am Markt"),
		chromedp.Click("#f-point_public"),
		chromedp.Click("form#kommentar-formular button[type=submit]"),
		chromedp.WaitVisible("#orte svg.map circle.marker")); err != nil {
		t.Fatalf("submit with the point: %v", err)
	}
	if c := f.contribution(t, 1); !c.PublicPoint() || *c.PointLat != la || *c.PointLon != lo || c.Ortsteil() != "00" {
		t.Fatalf("stored: %+v", c)
	}
	testenv.ReportAxe(t, ctx, "chapter with a public point")

	// Without JavaScript: no map, the Ortsteil by keyboard.
	nojs := noJSTab(t, b, f.a, f.cit)
	nctx, ncancel := context.WithTimeout(nojs, 2*time.Minute)
	defer ncancel()
	if err := chromedp.Do(nctx, chromedp.Navigate(f.a.URL+"/entwurf/wohnen"), chromedp.WaitReady("#kommentar-formular")); err != nil {
		t.Fatal(err)
	}
	if hidden := evalString(t, nctx, `String(document.querySelector(".point-picker").hidden)`); hidden != "true" {
		t.Error("the picker shows without JavaScript")
	}
	scanAsLoaded(t, nctx, "comment form without JavaScript")
	if err := chromedp.Do(nctx,
		chromedp.SendKeys("#f-body", "Sitzbänke im Zentrum"),
		chromedp.Click("#f-tags summary"),
		chromedp.SetValue("#f-ortsteil", "00"),
		chromedp.Click("#f-point summary"),
		chromedp.SendKeys("#f-place", "Am Markt"),
		chromedp.Click("form#kommentar-formular button[type=submit]"),
		chromedp.WaitVisible("#beitrag-2")); err != nil {
		t.Fatalf("submit without JavaScript: %v", err)
	}
	if c := f.contribution(t, 2); c.HasPoint() || c.Ortsteil() != "00" || c.PlaceText != "Am Markt" {
		t.Fatalf("stored without JavaScript: %+v", c)
	}
}

// scanAsLoaded runs axe on a page loaded without JavaScript: scripts are
// switched on for axe only, after the page was built, so the page's own
// scripts never ran and the scan sees what a browser without JavaScript
// shows.
func scanAsLoaded(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false})
		return err
	}))
	if err != nil {
		t.Fatalf("switch scripts on for axe: %v", err)
	}
	testenv.ReportAxe(t, ctx, label)
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	if err != nil {
		t.Fatalf("switch scripts off again: %v", err)
	}
}
