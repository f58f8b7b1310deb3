package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"github.com/mitwirken/mitwirken/cmd/internal/proc"
)

// centrifugoProtocol is Centrifugo's JSON protocol over websocket: a
// connect command (the server runs with insecure client mode, so no token),
// a subscribe command, and the empty frame it uses as ping.
var centrifugoProtocol = protocol{
	greeting:  [][]byte{[]byte(`{"id":1,"connect":{}}`), []byte(`{"id":2,"subscribe":{"channel":"board:1"}}`)},
	ready:     []byte(`"id":2`),
	heartbeat: []byte(`{}`),
}

const centrifugoKey = "wsload"

// startCentrifugo runs Centrifugo with a minimal configuration: one
// namespace for the board channel, insecure client mode, the HTTP API with a
// key for publishing.
func startCentrifugo(bin string) (cmd *exec.Cmd, base string, cleanup func(), err error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	dir, err := os.MkdirTemp("", "wsload-centrifugo")
	if err != nil {
		return nil, "", nil, err
	}
	cfg := map[string]any{
		"http_server": map[string]any{"address": "127.0.0.1", "port": port},
		"log":         map[string]any{"level": "error"},
		"client":      map[string]any{"insecure": true, "allowed_origins": []string{"*"}},
		"http_api":    map[string]any{"key": centrifugoKey},
		"channel": map[string]any{"namespaces": []map[string]any{{"name": "board",
			"allow_subscribe_for_client": true, "allow_subscribe_for_anonymous": true}}},
	}
	b, _ := json.Marshal(cfg)
	path := filepath.Join(dir, "config.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, "", nil, err
	}
	cmd = exec.Command(bin, "--config", path)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, "", nil, err
	}
	cleanup = func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		_ = os.RemoveAll(dir)
	}
	base = fmt.Sprintf("http://127.0.0.1:%d", port)
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(base + "/health"); err == nil {
			resp.Body.Close()
			return cmd, base, cleanup, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	cleanup()
	return nil, "", nil, fmt.Errorf("centrifugo did not start on %s", base)
}

func driveCentrifugo(bin string, n, rate int, duration time.Duration) (res result, err error) {
	cmd, base, cleanup, err := startCentrifugo(bin)
	if err != nil {
		return res, err
	}
	defer cleanup()
	pid := cmd.Process.Pid
	time.Sleep(time.Second)
	rss0 := proc.RSS(pid)
	log.Printf("Centrifugo: verbinde %d Clients …", n)
	fl := newFleet(n, rate, duration)
	clients := fl.clients
	connect := func(from, to int) error {
		return fl.connect(from, to, centrifugoProtocol, func(int) (*websocket.Conn, error) {
			return dial(base, "/connection/websocket", "")
		})
	}
	half := n / 2
	if err := connect(0, half); err != nil {
		return res, err
	}
	time.Sleep(5 * time.Second)
	rssMid := proc.RSS(pid)
	if err := connect(half, n); err != nil {
		return res, err
	}
	time.Sleep(5 * time.Second)
	rssIdle := proc.RSS(pid)

	total := rate * int(duration/time.Second)
	sentAt = make([]atomic.Int64, total+1)
	pad := strings.Repeat("x", 200-len(`{"text":"b0000","pad":""}`))
	frameBytes.Store(0)
	cpu0 := proc.CPUSeconds(pid)
	load0 := loadavg()
	t0 := time.Now()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	api := &http.Client{Timeout: 10 * time.Second}
	for k := 1; k <= total; k++ {
		<-tick.C
		body := fmt.Sprintf(`{"channel":"board:1","data":{"text":"b%d","pad":%q}}`, k, pad)
		req, _ := http.NewRequest(http.MethodPost, base+"/api/publish", strings.NewReader(body))
		req.Header.Set("X-API-Key", centrifugoKey)
		req.Header.Set("Content-Type", "application/json")
		sentAt[k].Store(time.Now().UnixNano())
		resp, err := api.Do(req)
		if err != nil {
			return res, err
		}
		if resp.StatusCode != http.StatusOK {
			return res, fmt.Errorf("centrifugo publish: %s", resp.Status)
		}
		resp.Body.Close()
	}
	tick.Stop()
	time.Sleep(3 * time.Second)
	wall := time.Since(t0).Seconds()
	cpu1 := proc.CPUSeconds(pid)
	for _, c := range clients {
		c.conn.Close()
	}
	fl.wg.Wait()
	var all []time.Duration
	delivered := 0
	for _, c := range clients {
		all = append(all, c.samples...)
		delivered += c.got
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[int(float64(len(all)-1)*p)]
	}
	res = result{frame: frameBytes.Load(), p50: pct(0.50), p99: pct(0.99), max: pct(1), delivered: float64(delivered) / float64(total*n),
		rssPerConn: kb(int64(rssIdle)-int64(rss0), int64(n)), rssGrowth: kb(int64(rssIdle)-int64(rssMid), int64(n-half)),
		cpu: (cpu1 - cpu0) / wall, load: load0 + " / " + loadavg()}
	return res, nil
}

func printComparison(n int, own, other result) {
	fmt.Printf("\n== Seite an Seite, %d Abonnenten, ein Lauf: mitwirken (Pfad mit Datenbank-Schreibvorgang) und Centrifugo v6.9.1 ==\n", n)
	fmt.Printf("%-11s %7s %9s %9s %9s %11s %14s %16s %6s  %s\n", "Server", "Bytes", "p50 ms", "p99 ms", "max ms", "zugestellt", "RSS/Verb. KiB", "Zuwachs N/2→N", "CPU", "Systemlast vor/nach")
	for _, r := range []struct {
		name string
		r    result
	}{{"mitwirken", own}, {"Centrifugo", other}} {
		fmt.Printf("%-11s %7d %9.1f %9.1f %9.1f %10.2f%% %14.1f %16.1f %5.0f%%  %s\n", r.name, r.r.frame, ms(r.r.p50), ms(r.r.p99), ms(r.r.max),
			100*r.r.delivered, r.r.rssPerConn, r.r.rssGrowth, 100*r.r.cpu, r.r.load)
	}
	fmt.Printf("mitwirken bis gespeichert (Quittung): p50 %.1f ms, p99 %.1f ms; danach verteilt (Ankunft minus Quittung): p50 %.1f ms, p99 %.1f ms\n",
		ms(own.ackP50), ms(own.ackP99), ms(own.fanP50), ms(own.fanP99))
	if other.p99 > 0 && other.rssPerConn > 0 {
		fmt.Printf("Verhältnis mitwirken/Centrifugo: p99 %.2f, RSS je Verbindung %.2f\n",
			float64(own.p99)/float64(other.p99), own.rssPerConn/other.rssPerConn)
	}
}
