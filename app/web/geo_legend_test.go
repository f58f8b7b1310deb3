package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
)

// TestGeoLegendHasNoEmptyClass: with few contributions the legend lists
// only classes that can hold a figure (no "–"), its last class holds the
// largest figure, and every area's class is one the legend names.
func TestGeoLegendHasNoEmptyClass(t *testing.T) {
	for _, counts := range []map[string]int{
		{"00": 2, "04": 1},
		{"00": 1},
		{"00": 3, "04": 1, "03": 2},
		{"00": 6, "04": 1},
		{},
	} {
		f := newDraftFix(t, app.ModerationPost)
		for code, n := range counts {
			for i := 0; i < n; i++ {
				if _, err := f.a.Platform.Draft.Comment(context.Background(), f.cit, f.ch.ID,
					draft.CommentInput{Body: "Beitrag " + code + " Nr. " + itoa(int64(i)) + " " + strings.Repeat("x", i), Ortsteil: code}); err != nil {
					t.Fatal(err)
				}
			}
		}
		res := f.a.Client(t).Get("/karte")
		var labels []string
		res.Doc.Find("ul.map-legend li").Each(func(_ int, li *goquery.Selection) {
			labels = append(labels, strings.TrimSpace(li.Text()))
		})
		for _, l := range labels {
			if l == "–" || l == "" {
				t.Errorf("%v: the legend has an empty class: %q", counts, labels)
			}
		}
		maxN := 0
		for _, n := range counts {
			maxN = max(maxN, n)
		}
		if maxN > 0 && !strings.HasSuffix(labels[len(labels)-1], itoa(int64(maxN))) {
			t.Errorf("%v: the last legend class %q does not reach the largest figure %d", counts, labels[len(labels)-1], maxN)
		}
		// The legend's swatches and the areas' patterns are the same set.
		legendFills := map[string]bool{}
		res.Doc.Find("ul.map-legend svg.swatch rect[stroke]").Each(func(_ int, r *goquery.Selection) {
			fill := r.AttrOr("fill", "")
			legendFills[strings.TrimPrefix(fill[strings.LastIndex(fill, "-p")+1:], "p")] = true
		})
		res.Doc.Find("svg.map a path[data-ortsteil]").Each(func(_ int, p *goquery.Selection) {
			cls := strings.Fields(p.AttrOr("class", ""))[1]
			if cls != "c0" && !legendFills[strings.TrimPrefix(cls, "c")+")"] {
				t.Errorf("%v: area %s has class %s that the legend does not show (legend %v)", counts, p.AttrOr("data-ortsteil", ""), cls, legendFills)
			}
		})
	}
}
