package platform_test

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSurvivesPostgresRestart: while PostgreSQL is down, requests answer 503
// (and /readyz says so) but the process keeps running; once it is back,
// requests succeed again without restarting the app. The test owns its own
// throwaway cluster, whichever database the rest of the suite runs on.
func TestSurvivesPostgresRestart(t *testing.T) {
	cluster := testenv.StartCluster(t)
	a := testenv.StartApp(t, testenv.WithDatabase(cluster.URL()), testenv.WithoutSMTP())
	u := a.CreateUser(t, "ausdauer@example.org", "Ausdauer", app.RoleCitizen)
	c := a.SessionClient(t, u)
	if res := c.Get("/profil"); res.Status != 200 {
		t.Fatalf("before the restart: %d", res.Status)
	}

	cluster.Stop()
	res := c.Get("/profil")
	if res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Text(), "nicht erreichbar") {
		t.Fatalf("during the outage: %d %s", res.Status, res.Text())
	}
	if got := status(t, a.URL+"/readyz"); got != http.StatusServiceUnavailable {
		t.Fatalf("/readyz during the outage: %d", got)
	}
	if got := status(t, a.URL+"/healthz"); got != http.StatusOK {
		t.Fatalf("/healthz during the outage: %d", got)
	}

	cluster.Start()
	deadline := time.Now().Add(30 * time.Second)
	for status(t, a.URL+"/readyz") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz does not recover")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The pool still holds connections the restart cut, but they failed
	// requests during the outage, so each is checked before its next use:
	// once /readyz says the database is back, no request may fail.
	for i := 0; i < 10; i++ {
		if res := c.Get("/profil"); res.Status != 200 {
			t.Fatalf("request %d after recovery: %d", i, res.Status)
		}
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// TestGracefulShutdownDrainsRequests: a request whose handler is still at
// work (here: still receiving its body) when the shutdown begins is
// answered before the server stops; new connections are refused.
func TestGracefulShutdownDrainsRequests(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	addr := strings.TrimPrefix(a.URL, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := "kind=contact&message=" + strings.Repeat("a", 2000)
	head := "POST /rueckmeldung HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n"
	if _, err := io.WriteString(conn, head+body[:1000]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // the handler is now reading the body
	closed := make(chan error, 1)
	go func() { closed <- a.Platform.Close() }()
	time.Sleep(300 * time.Millisecond)
	if c2, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c2.Close()
		t.Error("a new connection was accepted during shutdown")
	}
	select {
	case <-closed:
		t.Fatal("the server stopped while a request was in flight")
	default:
	}
	if _, err := io.WriteString(conn, body[1000:]); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	answer, _ := io.ReadAll(conn)
	if !strings.HasPrefix(string(answer), "HTTP/1.1 ") {
		t.Fatalf("in-flight request got no answer: %q", answer)
	}
	select {
	case err := <-closed:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("shutdown did not finish")
	}
}
