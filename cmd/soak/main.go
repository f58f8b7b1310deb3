// Command soak is the mixed-load soak of issue 16: it starts three
// instances of the real server on one fresh PostgreSQL database with the
// demo content, plays realistic sessions against them for a given time
// (anonymous readers, citizens who log in through the form, comment,
// support, register and cancel, edit a board over websockets, an admin
// exporting now and then), samples memory, goroutines and database
// connections every 5 s and writes a Markdown report with SVG charts.
// It exits non-zero when any answer was unexpected, a websocket change was
// lost or memory or goroutines grew by 10 % or more over the last half.
//
//	go run ./cmd/soak -db postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable -duration 2m
//
// `make soak DURATION=10m` runs it; docs/operations.md describes it.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/mitwirken/mitwirken/app/seed"
)

func main() {
	mode := flag.String("mode", "driver", "driver or server (internal: one instance)")
	db := flag.String("db", os.Getenv("MITWIRKEN_TEST_DATABASE_URL"), "PostgreSQL server URL (driver) or database URL (server)")
	maxConns := flag.Int("db-max-conns", 10, "database connections per instance (MITWIRKEN_DB_MAX_CONNS)")
	instances := flag.Int("instances", 3, "server instances")
	duration := flag.Duration("duration", 10*time.Minute, "time under load")
	out := flag.String("out", "soak-report", "directory of the report (report.md and the SVG charts)")
	var m mix
	flag.IntVar(&m.readers, "readers", 30, "anonymous readers")
	flag.IntVar(&m.citizens, "citizens", 15, "citizens who log in")
	flag.DurationVar(&m.readerThink, "reader-think", 2*time.Second, "mean pause of a reader between two pages")
	flag.DurationVar(&m.citizenThink, "citizen-think", 3*time.Second, "mean pause of a citizen between two actions")
	flag.IntVar(&m.actionsPerLogin, "actions", 10, "actions of a citizen between login and logout")
	flag.DurationVar(&m.exportEvery, "export-every", time.Minute, "mean time between two exports of the admin")
	flag.IntVar(&m.wRead, "w-read", 4, "weight of reading a page (citizens)")
	flag.IntVar(&m.wComment, "w-comment", 2, "weight of commenting")
	flag.IntVar(&m.wSupport, "w-support", 2, "weight of supporting")
	flag.IntVar(&m.wEvent, "w-event", 2, "weight of registering for / cancelling the event")
	flag.IntVar(&m.wBoard, "w-board", 2, "weight of a board edit over websockets")
	flag.Parse()
	log.SetFlags(0)
	if *mode == "server" {
		serve(*db, *maxConns)
		return
	}
	if *db == "" {
		log.Fatal("-db (or MITWIRKEN_TEST_DATABASE_URL) is required")
	}
	res, err := drive(*db, *maxConns, *instances, *duration, *out, m)
	if err != nil {
		log.Fatal(err)
	}
	if res.errors > 0 || res.lost > 0 || !res.flat {
		log.Printf("Dauertest NICHT bestanden: %d Fehler, %d verlorene Websocket-Nachrichten, Speicher/Goroutinen flach: %v", res.errors, res.lost, res.flat)
		os.Exit(1)
	}
	log.Printf("Dauertest bestanden: 0 Fehler, nichts verloren, Speicher und Goroutinen flach")
}

func drive(adminURL string, maxConns, n int, duration time.Duration, out string, m mix) (outcome, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dbURL, drop, err := createDatabase(adminURL)
	if err != nil {
		return outcome{}, err
	}
	defer drop()
	log.Printf("Vorbereitung: Demo-Inhalte, %d Konten, Pinnwand, Veranstaltung", m.citizens+1)
	f, err := prepare(ctx, dbURL, m.citizens+1)
	if err != nil {
		return outcome{}, err
	}
	var servers []*instance
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	var urls []string
	for i := 0; i < n; i++ {
		s, err := startInstance(dbURL, maxConns)
		if err != nil {
			return outcome{}, err
		}
		servers = append(servers, s)
		urls = append(urls, s.url)
	}
	log.Printf("%d Instanzen: %s", n, strings.Join(urls, " "))
	pg, err := sql.Open("pgx", adminURL)
	if err != nil {
		return outcome{}, err
	}
	defer pg.Close()
	u, _ := url.Parse(dbURL)
	dbName := strings.TrimPrefix(u.Path, "/")

	rec := newRecorder()
	book := &boardBook{path: f.board, columns: f.columns, rec: rec, acked: map[string]bool{}}
	// The last citizen account only watches the board, one connection per
	// instance.
	watcher := newSession(urls, rec, 1)
	c := &citizen{s: watcher, email: f.citizens[m.citizens]}
	if !c.login(ctx) {
		return outcome{}, fmt.Errorf("watcher login failed: %v", rec.examples)
	}
	for _, in := range urls {
		if err := book.observe(ctx, watcher, in); err != nil {
			return outcome{}, fmt.Errorf("observer: %w", err)
		}
	}

	info := runInfo{duration: duration, instances: urls, m: m, loadStart: loadavg(), machine: machine(), started: time.Now()}
	log.Printf("Last: %d Lesende, %d Bürgerinnen, 1 Admin für %s (Systemlast %s)", m.readers, m.citizens, duration, info.loadStart)
	loadCtx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	seriesCh := make(chan []sample, 1)
	go sampler(loadCtx, 5*time.Second, servers, pg, dbName, info.started, seriesCh)
	var wg sync.WaitGroup
	for i := 0; i < m.readers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			reader(loadCtx, newSession(urls, rec, uint64(100+i)), f, m.readerThink)
		}(i)
	}
	for i := 0; i < m.citizens; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := &citizen{s: newSession(urls, rec, uint64(1000+i)), f: f, m: m, email: f.citizens[i], board: book, supported: map[int64]bool{}}
			c.run(loadCtx)
		}(i)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		exporter(loadCtx, newSession(urls, rec, 7), seed.DemoAdminEmail, seed.DemoAdminPassword, m.exportEvery)
	}()
	wg.Wait()
	series := <-seriesCh
	// The last changes reach the observers after their acknowledgement.
	time.Sleep(3 * time.Second)
	info.acked, info.lost, info.dropped = book.lost(ctx)
	info.loadEnd = loadavg()
	path, summary, res, err := writeReport(out, info, rec, series)
	if err != nil {
		return res, err
	}
	fmt.Print(summary)
	fmt.Println("Bericht mit Messreihe und Diagrammen:", path)
	return res, nil
}

// loadavg is the machine's 1-minute load average.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// machine names the CPU model and the number of cores.
func machine() string {
	model := "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d Kerne, %s", model, runtime.NumCPU(), runtime.Version())
}
