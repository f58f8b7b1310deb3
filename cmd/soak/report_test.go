package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestGrowthJudgesTheLastHalf(t *testing.T) {
	// Warm-up in the first half does not count; noise of a few percent does
	// not fail; a steady climb in the second half does.
	warmThenFlat := []float64{50, 80, 120, 150, 150, 150, 200, 205, 198, 202, 199, 201, 204, 200}
	if _, _, g := growth(warmThenFlat); g >= flatLimit {
		t.Errorf("warm-up then flat: growth %.3f, want < %.2f", g, flatLimit)
	}
	leaking := []float64{100, 100, 100, 100, 100, 100, 100, 104, 108, 112, 116, 120, 124, 128}
	from, to, g := growth(leaking)
	if g < flatLimit {
		t.Errorf("climbing second half: growth %.3f (%.0f → %.0f), want ≥ %.2f", g, from, to, flatLimit)
	}
	// The live heap of a flat instance switches between two levels, 19 MiB
	// apart, with every collection (a password check in progress or not);
	// RSS follows at GOGC=200. The soak of 2026-12-05 17:28 judged such a
	// series +18 % (instance 1, means of three samples that caught the low
	// level first and the high level last).
	switching := []float64{}
	for i := 0; i < 120; i++ {
		level := 100.0
		if i%3 == 0 || i%7 == 0 { // high in about 40 % of the samples, in no trend
			level = 160
		}
		switching = append(switching, level)
	}
	switching[60], switching[61], switching[62] = 100, 100, 100
	switching[117], switching[118], switching[119] = 160, 160, 100
	if _, _, g := growth(switching); g >= flatLimit {
		t.Errorf("flat, switching between two levels: growth %.3f, want < %.2f", g, flatLimit)
	}
	// The same switching on a climb of 20 % over the second half fails.
	climbing := slices.Clone(switching)
	for i := 60; i < 120; i++ {
		climbing[i] *= 1 + 0.2*float64(i-60)/60
	}
	if from, to, g := growth(climbing); g < flatLimit {
		t.Errorf("switching on a climb: growth %.3f (%.0f → %.0f), want ≥ %.2f", g, from, to, flatLimit)
	}
	if _, _, g := growth([]float64{1, 2, 3}); g != 0 {
		t.Errorf("too few samples: growth %.3f, want 0 (the report calls it too short)", g)
	}
}

func TestChartIsWellFormedSVGWithEscapedNames(t *testing.T) {
	at := []time.Duration{0, 5 * time.Second, 10 * time.Second}
	svg := chartSVG("RSS <je> Instanz", "MiB", at, []line{{"A & B", []float64{100, 110, 105}}, {"C", []float64{90, -1, 95}}})
	dec := xml.NewDecoder(strings.NewReader(svg))
	polylines := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "polyline" {
			polylines++
		}
	}
	if polylines != 2 {
		t.Errorf("%d polylines, want 2", polylines)
	}
	if !strings.Contains(svg, "RSS &lt;je&gt; Instanz") || !strings.Contains(svg, "A &amp; B") {
		t.Errorf("title or legend not escaped:\n%s", svg)
	}
}

func TestDecodeFramesReadsSingleFramesAndReplayedArrays(t *testing.T) {
	one, err := decodeFrames([]byte(`{"type":"ack","op_id":"c1","seq":3}`))
	if err != nil || len(one) != 1 || one[0].OpID != "c1" {
		t.Fatalf("single frame: %+v %v", one, err)
	}
	replay, err := decodeFrames([]byte(`[{"type":"card","seq":7,"card":{"id":2,"text":"soak-card-1","version":1}},{"type":"card","seq":8,"card":{"id":2,"text":"soak-card-1-bearbeitet","version":2}}]`))
	if err != nil || len(replay) != 2 || replay[1].Card.Text != "soak-card-1-bearbeitet" || replay[1].Seq != 8 {
		t.Fatalf("replayed array: %+v %v", replay, err)
	}
	if _, err := decodeFrames([]byte(`[{"type":`)); err == nil {
		t.Fatal("a broken frame must be an error")
	}
}

func TestReadMetricsFindsGoroutinesAndLiveHeap(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "# HELP go_goroutines Number of goroutines.\n# TYPE go_goroutines gauge\ngo_goroutines 28\n"+
			"go_gc_heap_live_bytes 4.2991616e+07\ngo_goroutines_other 3\n")
	}))
	defer srv.Close()
	if m := readMetrics(srv.URL); m.goroutines != 28 || m.heapLive != 42991616 {
		t.Fatalf("read %+v", m)
	}
	if m := readMetrics("http://127.0.0.1:1"); m.goroutines != -1 || m.heapLive != 0 {
		t.Fatalf("unreachable instance read as %+v", m)
	}
}
