package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// flatLimit is the most a series may grow over the last half of the run.
const flatLimit = 0.10

// growth compares the last half's start with its end: the median of its
// first quarter against the median of its last quarter (at least three
// samples each). Medians, because the series are not smooth: RSS and the
// live heap switch between a low and a high level from one collection to
// the next (a password check in progress holds 19 MiB, see
// docs/operations.md), and a mean of a few samples measured which level
// they happened to catch. A leak moves the median; the switching does not.
func growth(values []float64) (from, to, ratio float64) {
	half := len(values) / 2
	if len(values)-half < 6 {
		return 0, 0, 0
	}
	last := values[half:]
	w := max(3, len(last)/4)
	from, to = median(last[:w]), median(last[len(last)-w:])
	if from == 0 {
		return from, to, 0
	}
	return from, to, to/from - 1
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// outcome is what decides the exit status.
type outcome struct {
	errors, lost int
	flat         bool
}

type runInfo struct {
	duration                    time.Duration
	instances                   []string
	m                           mix
	loadStart, loadEnd, machine string
	started                     time.Time
	acked                       int
	lost                        map[string]int
	dropped                     map[string]error
}

// writeReport writes report.md and the charts into dir and returns the
// report without the table of samples, for the terminal.
func writeReport(dir string, info runInfo, rec *recorder, series []sample) (string, string, outcome, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", outcome{}, err
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("# Dauertest (Soak) mit gemischter Last")
	p("")
	p("- Beginn: %s, Dauer der Last: %s, %d Instanzen auf einer PostgreSQL-Datenbank", info.started.UTC().Format("2006-01-02 15:04:05 UTC"), info.duration, len(info.instances))
	p("- Sitzungen: %d anonyme Lesende (Pause im Mittel %s), %d angemeldete Bürgerinnen (Pause %s, %d Aktionen je Anmeldung; Gewichte lesen %d, kommentieren %d, unterstützen %d, an-/abmelden %d, Pinnwand %d), 1 Admin mit einem Export im Mittel alle %s",
		info.m.readers, info.m.readerThink, info.m.citizens, info.m.citizenThink, info.m.actionsPerLogin, info.m.wRead, info.m.wComment, info.m.wSupport, info.m.wEvent, info.m.wBoard, info.m.exportEvery)
	p("- Anmeldung: über das Formular mit CSRF-Token (GET /anmelden, POST /anmelden), Abmeldung über POST /abmelden; Pinnwand über Websocket mit dem Sitzungs-Cookie")
	p("- Systemlast (1 min) zu Beginn / am Ende: %s / %s; Rechner: %s", info.loadStart, info.loadEnd, info.machine)
	p("")

	rows, errs := rec.stats()
	secs := info.duration.Seconds()
	total := 0
	p("## Anfragen")
	p("")
	p("| Art | Anzahl | pro s | p50 ms | p99 ms | max ms | Fehler |")
	p("|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		total += r.n
		p("| %s | %d | %.2f | %.1f | %.1f | %.1f | %d |", r.kind, r.n, float64(r.n)/secs, ms(r.p50), ms(r.p99), ms(r.max), r.errors)
	}
	p("| **alle** | %d | %.1f | | | | %d |", total, float64(total)/secs, errs)
	p("")

	lost := 0
	p("## Pinnwand (Websocket)")
	p("")
	p("Quittierte Änderungen: %d. Je Instanz hält ein Beobachter die Verbindung die ganze Zeit offen; jede quittierte Änderung muss bei jedem ankommen.", info.acked)
	p("")
	for _, in := range info.instances {
		note := ""
		if err := info.dropped[in]; err != nil {
			note = fmt.Sprintf(" (Verbindung verloren: %v)", err)
			lost++
		}
		p("- %s: %d verloren%s", in, info.lost[in], note)
		lost += info.lost[in]
	}
	p("")

	p("## Fehler")
	p("")
	p("Unerwartete Antworten (nicht 200 bzw. 303): %d; verlorene Websocket-Nachrichten: %d.", errs, lost)
	for _, e := range rec.examples {
		p("- `%s`", strings.ReplaceAll(e, "`", "'"))
	}
	p("")

	at := make([]time.Duration, len(series))
	for i, s := range series {
		at[i] = s.at
	}
	flat := true
	p("## Speicher und Goroutinen je Instanz")
	p("")
	p("Alle 5 s: RSS aus /proc/PID/status (VmRSS), Goroutinen aus /metrics (go_goroutines). Prüfung: Zuwachs über die zweite Hälfte (Median ihres ersten Viertels gegen den Median ihres letzten Viertels, je mindestens drei Messungen) < %.0f %%.", flatLimit*100)
	p("Zur Einordnung daneben der lebende Heap nach der letzten Speicherbereinigung (go_gc_heap_live_bytes): RSS folgt dem Sägezahn der Bereinigung (bei GOGC=200 bis zum Dreifachen des lebenden Heaps) und dem Zurückgeben von Seiten an das System, ein Leck zeigt sich im lebenden Heap. Er geht nicht in die Prüfung ein.")
	p("")
	p("| Instanz | Größe | Beginn | Mitte | Ende | Zuwachs 2. Hälfte | Prüfung |")
	p("|---|---|---:|---:|---:|---:|---|")
	var rssLines, grLines, heapLines []line
	for i, in := range info.instances {
		rss, gr, heap := make([]float64, len(series)), make([]float64, len(series)), make([]float64, len(series))
		for j, s := range series {
			rss[j] = float64(s.rss[i]) / (1 << 20)
			gr[j] = float64(s.goroutines[i])
			heap[j] = float64(s.heapLive[i]) / (1 << 20)
		}
		name := fmt.Sprintf("Instanz %d", i+1)
		rssLines = append(rssLines, line{name, rss})
		grLines = append(grLines, line{name, gr})
		heapLines = append(heapLines, line{name, heap})
		for _, v := range []struct {
			what, unit string
			vals       []float64
			checked    bool
		}{{"RSS", " MiB", rss, true}, {"Goroutinen", "", gr, true}, {"Heap lebend", " MiB", heap, false}} {
			from, to, g := growth(v.vals)
			verdict := "bestanden"
			if !v.checked {
				verdict = "zur Einordnung"
			} else if len(v.vals) < 12 {
				verdict = "zu kurz (unter 12 Messungen)"
				flat = false
			} else if g >= flatLimit {
				verdict = "**nicht bestanden**"
				flat = false
			}
			p("| %s (%s) | %s | %.1f%s | %.1f%s | %.1f%s | %+.1f %% | %s |", name, in, v.what, v.vals[0], v.unit, from, v.unit, to, v.unit, 100*g, verdict)
		}
	}
	p("")
	p("![RSS je Instanz](rss.svg)")
	p("")
	p("![Goroutinen je Instanz](goroutines.svg)")
	p("")
	p("![Lebender Heap je Instanz](heap.svg)")
	p("")

	pgTotal, pgActive := make([]float64, len(series)), make([]float64, len(series))
	maxTotal, maxActive, sum := 0, 0, 0
	for i, s := range series {
		pgTotal[i], pgActive[i] = float64(s.pgTotal), float64(s.pgActive)
		maxTotal, maxActive, sum = max(maxTotal, s.pgTotal), max(maxActive, s.pgActive), sum+s.pgTotal
	}
	p("## PostgreSQL-Verbindungen")
	p("")
	mean := 0.0
	if len(series) > 0 {
		mean = float64(sum) / float64(len(series))
	}
	p("Verbindungen zur Datenbank des Tests (pg_stat_activity): im Mittel %.1f, höchstens %d; davon gleichzeitig aktiv höchstens %d.", mean, maxTotal, maxActive)
	p("")
	p("![PostgreSQL-Verbindungen](pg.svg)")
	p("")
	summary := b.String()
	p("## Messreihe")
	p("")
	p("| s | Last | RSS MiB je Instanz | Heap lebend MiB je Instanz | Goroutinen je Instanz | PG gesamt/aktiv |")
	p("|---:|---|---|---|---|---|")
	for _, s := range series {
		var r, h, g []string
		for i := range s.rss {
			r = append(r, fmt.Sprintf("%.1f", float64(s.rss[i])/(1<<20)))
			h = append(h, fmt.Sprintf("%.1f", float64(s.heapLive[i])/(1<<20)))
			g = append(g, fmt.Sprint(s.goroutines[i]))
		}
		p("| %.0f | %s | %s | %s | %s | %d/%d |", s.at.Seconds(), s.load, strings.Join(r, " / "), strings.Join(h, " / "), strings.Join(g, " / "), s.pgTotal, s.pgActive)
	}

	files := map[string]string{
		"report.md":      b.String(),
		"rss.svg":        chartSVG("RSS je Instanz", "MiB", at, rssLines),
		"goroutines.svg": chartSVG("Goroutinen je Instanz", "Goroutinen", at, grLines),
		"heap.svg":       chartSVG("Lebender Heap je Instanz", "MiB", at, heapLines),
		"pg.svg":         chartSVG("PostgreSQL-Verbindungen", "Verbindungen", at, []line{{"gesamt", pgTotal}, {"aktiv", pgActive}}),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return "", "", outcome{}, err
		}
	}
	return filepath.Join(dir, "report.md"), summary, outcome{errors: errs, lost: lost, flat: flat}, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
