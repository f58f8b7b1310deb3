package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// publishedByOrtsteil counts the published contributions per Ortsteil
// straight from the table, to check the pages against.
func publishedByOrtsteil(t *testing.T, a *testenv.App, channel string) map[string]int {
	t.Helper()
	var rows []struct {
		Code string
		N    int
	}
	q := a.Store.Gorm().Table("contributions").Select("ortsteil_code AS code, COUNT(*) AS n").
		Where("status = ? AND ortsteil_code IS NOT NULL", app.StatusPublished)
	if channel != "" {
		q = q.Where("channel = ?", channel)
	}
	if err := q.Group("ortsteil_code").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Code] = r.N
	}
	return out
}

var areaLabel = regexp.MustCompile(`^(.+): (\d+) Beitr(?:ag|äge)\b`)

// checkMapMatchesTable compares every area of the SVG with its table row and
// with the database.
func checkMapMatchesTable(t *testing.T, res *testenv.Response, want map[string]int) {
	t.Helper()
	if res.Status != 200 {
		t.Fatalf("status %d", res.Status)
	}
	table := map[string]int{}
	res.Doc.Find("table.map-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		code, _ := tr.Attr("data-ortsteil")
		n, err := strconv.Atoi(strings.TrimSpace(tr.Find("td.num").First().Text()))
		if err != nil {
			t.Errorf("row %s: %v", code, err)
		}
		table[code] = n
	})
	if len(table) != 63 {
		t.Fatalf("table has %d rows", len(table))
	}
	areas := res.Doc.Find("svg.map a path[data-ortsteil]")
	if areas.Length() != 63 {
		t.Fatalf("map has %d linked areas", areas.Length())
	}
	sum := 0
	areas.Each(func(_ int, p *goquery.Selection) {
		code, _ := p.Attr("data-ortsteil")
		label := p.Parent().AttrOr("aria-label", "")
		m := areaLabel.FindStringSubmatch(label)
		if m == nil {
			t.Errorf("area %s: accessible name %q", code, label)
			return
		}
		n, _ := strconv.Atoi(m[2])
		if n != table[code] || n != want[code] {
			t.Errorf("Ortsteil %s: map %d, table %d, database %d", code, n, table[code], want[code])
		}
		cls := p.AttrOr("class", "")
		if (n == 0) != strings.Contains(cls, "c0") {
			t.Errorf("Ortsteil %s with %d contributions has class %q", code, n, cls)
		}
		if href := p.Parent().AttrOr("href", ""); !strings.HasPrefix(href, "/ortsteile/"+code) {
			t.Errorf("Ortsteil %s links to %q", code, href)
		}
		sum += n
	})
	if sum == 0 {
		t.Error("no contributions on the map at all")
	}
}

func TestGeoMapAreasMatchTable(t *testing.T) {
	a, _ := resultsApp(t)
	c := a.Client(t)
	checkMapMatchesTable(t, c.Get("/karte"), publishedByOrtsteil(t, a, ""))

	// The filter narrows map and table alike, and the links keep it.
	res := c.Get("/karte?kanal=online")
	checkMapMatchesTable(t, res, publishedByOrtsteil(t, a, app.ChannelOnline))
	if href := res.Doc.Find(`svg.map a`).First().AttrOr("href", ""); !strings.HasSuffix(href, "?kanal=online") {
		t.Errorf("area link %q loses the filter", href)
	}

	// Bad filters are refused at their field, in German.
	bad := c.Get("/karte?kanal=fax&von=32.13.2026")
	if bad.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad filter: %d", bad.Status)
	}
	if msg := bad.Doc.Find("#q-kanal-error").Text(); !strings.Contains(msg, "Auswahl") && msg == "" {
		t.Errorf("no error at the channel: %q", msg)
	}
	if bad.Doc.Find("#q-von-error").Length() != 1 {
		t.Error("no error at the date")
	}
	// The whole map is small.
	svg, _ := res.Doc.Find("svg.map").Parent().Html()
	if len(svg) > 60_000 {
		t.Errorf("map SVG %d bytes", len(svg))
	}
}

func TestGeoOrtsteilPage(t *testing.T) {
	a, _ := resultsApp(t)
	c := a.Client(t)
	want := publishedByOrtsteil(t, a, "")
	res := c.Get("/ortsteile/40")
	if res.Status != 200 {
		t.Fatalf("status %d", res.Status)
	}
	if h1 := res.Doc.Find("h1").Text(); h1 != "Ortsteil Südvorstadt" {
		t.Errorf("h1 %q", h1)
	}
	cur := res.Doc.Find(`svg.map path[data-ortsteil="40"]`)
	if cur.Length() != 1 || !strings.Contains(cur.AttrOr("class", ""), "current") {
		t.Errorf("current area: %d %q", cur.Length(), cur.AttrOr("class", ""))
	}
	if n := res.Doc.Find(`svg.map path[data-ortsteil]`).Length(); n != 5 {
		t.Errorf("Stadtbezirk Süd drawn with %d Ortsteile, want 5", n)
	}
	if got := res.Doc.Find("#ot-contribs").Text(); got != fmt.Sprintf("Beiträge (%d)", want["40"]) {
		t.Errorf("heading %q, database %d", got, want["40"])
	}
	if n := res.Doc.Find(".place-list > li").Length(); n != min(want["40"], 100) {
		t.Errorf("%d listed, want %d", n, want["40"])
	}
	for _, p := range []string{"/ortsteile/99", "/ortsteile/4", "/ortsteile/040", "/ortsteile/ab"} {
		if r := c.Get(p); r.Status != 404 {
			t.Errorf("%s: %d", p, r.Status)
		}
	}
}

func postPopulation(t *testing.T, c *testenv.Client, page *testenv.Response, file string) *testenv.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", page.Doc.Find("form[enctype] input[name=_csrf]").AttrOr("value", ""))
	fw, _ := w.CreateFormFile("file", "einwohner.csv")
	_, _ = fw.Write([]byte(file))
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, page.URL.Scheme+"://"+page.URL.Host+"/admin/bevoelkerung", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

func TestGeoPopulationImport(t *testing.T) {
	a, admin := resultsApp(t)
	ctx := context.Background()
	ref, err := a.Store.LoadRefData(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Without population there is no per-capita view.
	anon := a.Client(t)
	if r := anon.Get("/karte?bezug=einwohner"); r.Doc.Find("#q-bezug-einwohner").Length() != 0 || strings.Contains(r.Body, "je 1.000") {
		t.Error("per-capita view offered without population")
	}
	if r := anon.Get("/admin/bevoelkerung"); r.Doc.Find("h1").Text() == "Einwohner je Ortsteil" {
		t.Error("population page open to everyone")
	}
	c := a.SessionClient(t, admin)
	page := c.Get("/admin/bevoelkerung")
	if page.Status != 200 {
		t.Fatalf("status %d", page.Status)
	}
	bad := postPopulation(t, c, page, "ortsteil;einwohner;stand\n40;26011;31.12.2025\n99;5;31.12.2025\n41;viele;31.12.2025\n40;1;31.12.2025\n")
	if bad.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d", bad.Status)
	}
	problems := bad.Doc.Find(".problems li").Text()
	for _, w := range []string{"„99“ ist keine Ortsteilnummer", "ganze Zahl", "40 kommt mehrfach vor"} {
		if !strings.Contains(problems, w) {
			t.Errorf("problems %q lack %q", problems, w)
		}
	}
	var n int64
	a.Store.Gorm().Table("ortsteil_population").Count(&n)
	if n != 0 {
		t.Fatalf("bad file stored %d rows", n)
	}
	var csv strings.Builder
	csv.WriteString("ortsteil;einwohner;stand\n")
	for _, o := range ref.Ortsteile {
		fmt.Fprintf(&csv, "%s;%d;31.12.2025\n", o.Code, 1000)
	}
	if r := postPopulation(t, c, page, csv.String()); r.Status != 200 || !strings.Contains(r.Body, "wurden eingelesen") {
		t.Fatalf("import: %d", r.Status)
	}
	a.Store.Gorm().Table("ortsteil_population").Count(&n)
	if n != 63 {
		t.Fatalf("%d rows stored", n)
	}
	res := anon.Get("/karte?bezug=einwohner")
	if !strings.Contains(res.Doc.Find("figcaption").Text(), "Stand 2025-12-31") {
		t.Errorf("caption %q lacks the date", res.Doc.Find("figcaption").Text())
	}
	want := publishedByOrtsteil(t, a, "")
	row := res.Doc.Find(`tr[data-ortsteil="40"] td.num`)
	if got := row.Eq(1).Text(); got != strings.Replace(strconv.FormatFloat(float64(want["40"]), 'f', 1, 64), ".", ",", 1) {
		t.Errorf("per 1,000 of Südvorstadt %q, count %d of 1000 inhabitants", got, want["40"])
	}
}

func TestGeoOpenData(t *testing.T) {
	a, _ := resultsApp(t)
	res := a.Client(t).Get("/api/v1/opendata/ortsteile.geojson")
	if res.Status != 200 || res.Header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("%d %s", res.Status, res.Header.Get("Content-Type"))
	}
	var doc struct {
		Type     string
		Features []struct {
			Type       string
			Geometry   struct{ Type string }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Type != "FeatureCollection" || len(doc.Features) != 63 {
		t.Fatalf("%s with %d features", doc.Type, len(doc.Features))
	}
	want := publishedByOrtsteil(t, a, "")
	suppressed := 0
	for _, f := range doc.Features {
		code := f.Properties["ot"].(string)
		got, isNum := f.Properties["beitraege"].(float64)
		switch w := want[code]; {
		case w > 0 && w < app.SmallCount:
			if f.Properties["beitraege"] != nil {
				t.Errorf("%s: %d contributions not suppressed", code, w)
			}
			suppressed++
		case !isNum || int(got) != w:
			t.Errorf("%s: %v, want %d", code, f.Properties["beitraege"], w)
		}
		if f.Geometry.Type != "Polygon" {
			t.Errorf("%s: geometry %s", code, f.Geometry.Type)
		}
	}
	t.Logf("%d suppressed", suppressed)
}

// A Stadtgebietsforum shows its Stadtgebiet: the Ortsteile of its
// Stadtbezirke, each a link, and the merged outline.
func TestGeoEventShowsStadtgebiet(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx := context.Background()
	if err := seed.Demo(ctx, a.Store, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	var ev app.Event
	if err := a.Store.Gorm().Where("format = ? AND stadtgebiet_id IS NOT NULL", app.FormatForum).First(&ev).Error; err != nil {
		t.Fatal(err)
	}
	var bezirke []string
	a.Store.Gorm().Table("stadtgebiet_bezirke").Where("stadtgebiet_id = ?", *ev.StadtgebietID).Pluck("stadtbezirk_code", &bezirke)
	var want int64
	a.Store.Gorm().Table("ortsteile").Where("stadtbezirk_code IN ?", bezirke).Count(&want)
	res := a.Client(t).Get("/veranstaltungen/" + strconv.FormatInt(ev.ID, 10))
	if res.Status != 200 {
		t.Fatalf("status %d", res.Status)
	}
	// The Stadtgebiet's figure (the venue has a map of its own).
	gebiet := res.Doc.Find(`figure[aria-labelledby="gebiet-map-caption"]`)
	areas := gebiet.Find("svg.map a path[data-ortsteil]")
	if int64(areas.Length()) != want || want == 0 {
		t.Errorf("%d areas, want %d (Stadtbezirke %v)", areas.Length(), want, bezirke)
	}
	if gebiet.Find("svg.map path.outline").Length() != 1 {
		t.Error("no outline of the Stadtgebiet")
	}
}

// The participation report gains the map of contributions per Ortsteil,
// with the same figures in its table.
func TestGeoReportMap(t *testing.T) {
	a, admin := resultsApp(t)
	res := a.SessionClient(t, admin).Get("/admin/bericht")
	// The section of the contributions map (the report has more maps).
	section := res.Doc.Find(`section[aria-labelledby="r-space"]`)
	if section.Length() != 1 {
		t.Fatal("no section with the map of contributions")
	}
	scoped := *res
	scoped.Doc = goquery.NewDocumentFromNode(section.Nodes[0])
	checkMapMatchesTable(t, &scoped, publishedByOrtsteil(t, a, ""))
}
