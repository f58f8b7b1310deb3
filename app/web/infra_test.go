package web_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// slowSender posts a body of size bytes to path over a raw connection, one
// byte every gap, until it has sent everything, the server stops reading,
// or stop is closed. lastByte is closed just before the last byte goes out,
// done when it no longer sends.
type slowSender struct {
	conn     net.Conn
	lastByte chan struct{}
	done     chan struct{}
}

func startSlowSender(t *testing.T, base, path string, size int, gap time.Duration, stop <-chan struct{}) *slowSender {
	t.Helper()
	u, _ := url.Parse(base)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	head := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", path, u.Host, size)
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	s := &slowSender{conn: conn, lastByte: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for i := 0; i < size; i++ {
			if i == size-1 {
				close(s.lastByte)
			}
			if _, err := conn.Write([]byte("x")); err != nil {
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(gap):
			}
		}
	}()
	return s
}

// TestSlowBodiesDoNotBlockOthers: as many anonymous POSTs as there are
// admission slots, each trickling its body a byte at a time, do not keep
// anyone else waiting: GET / answers while they are all still sending.
func TestSlowBodiesDoNotBlockOthers(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithConfig(func(c *platform.Config) { c.DBMaxConns = 3 }))
	slots := a.Store.PoolSize()
	stop := make(chan struct{})
	defer close(stop)
	var senders []*slowSender
	for i := 0; i < slots; i++ {
		senders = append(senders, startSlowSender(t, a.URL, "/anmelden", 400, 50*time.Millisecond, stop))
	}
	time.Sleep(time.Second) // the senders' headers have arrived
	res, err := http.Get(a.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET / while slow bodies arrive: %d", res.StatusCode)
	}
	for i, s := range senders {
		select {
		case <-s.lastByte:
			t.Fatalf("GET / waited until slow sender %d of %d had sent its whole body", i+1, slots)
		default:
		}
	}
}

// TestSlowBodyIsCutOff: a body that does not arrive within the read
// deadline ends the request; the sender does not hold the connection
// forever.
func TestSlowBodyIsCutOff(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	stop := make(chan struct{})
	defer close(stop)
	s := startSlowSender(t, a.URL, "/anmelden", 100000, 200*time.Millisecond, stop)
	// 100000 bytes at 5 per second would take 5.5 hours.
	_ = s.conn.SetReadDeadline(time.Now().Add(5 * time.Minute))
	res, err := http.ReadResponse(bufio.NewReader(s.conn), nil)
	if err != nil {
		t.Fatalf("no answer for a slow body: %v", err)
	}
	if res.StatusCode < 400 {
		t.Fatalf("slow body answered %d", res.StatusCode)
	}
	select {
	case <-s.done:
	case <-time.After(time.Minute):
		t.Fatal("the connection of a slow sender stays open")
	}
}

// TestChunkedBodyOverTheLimit: a body without Content-Length that grows past
// the limit is answered 413 with the German page, like one that declares
// its size.
func TestChunkedBodyOverTheLimit(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.Client(t)
	body := url.Values{"email": {"gross@example.org"}, "password": {"x"}, "padding": {strings.Repeat("x", 3<<20)}, "_csrf": {c.CSRF()}}.Encode()
	// An io.Reader of unknown length makes net/http send it chunked.
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/anmelden", io.MultiReader(strings.NewReader(body)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if req.ContentLength != 0 {
		t.Fatalf("the request declares its length %d", req.ContentLength)
	}
	res := c.Do(req)
	if res.Status != http.StatusRequestEntityTooLarge || !strings.Contains(res.Text(), "zu groß") {
		t.Fatalf("chunked oversized body: %d %s", res.Status, res.Text())
	}
}

// TestHeadIsAnsweredLikeGet: HEAD / has GET's status and headers and no body.
func TestHeadIsAnsweredLikeGet(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	for _, path := range []string{"/", "/veranstaltungen", "/gibt-es-nicht"} {
		get, err := http.Get(a.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		get.Body.Close()
		res, err := http.Head(a.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != get.StatusCode || len(body) != 0 {
			t.Fatalf("HEAD %s: %d with %d bytes, GET: %d", path, res.StatusCode, len(body), get.StatusCode)
		}
		if res.Header.Get("Content-Type") != get.Header.Get("Content-Type") || res.Header.Get("Content-Security-Policy") == "" {
			t.Fatalf("HEAD %s headers: %v", path, res.Header)
		}
	}
}

// TestBoardSocketOriginNeedsSchemeAndHost: the websocket handshake accepts
// the platform's own origin only; the same host under another scheme is a
// different origin.
func TestBoardSocketOriginNeedsSchemeAndHost(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	c := a.SessionClient(t, f.Member)
	u, _ := url.Parse(a.URL)
	for _, origin := range []string{"https://" + u.Host, "http://" + u.Hostname() + ":1", "null", "http://evil.example"} {
		if _, resp, err := dialBoard(t, a, c, f.path(), dialOpts{origin: origin}); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("origin %s accepted: %v", origin, err)
		}
	}
	if _, _, err := dialBoard(t, a, c, f.path(), dialOpts{origin: strings.ToUpper(a.URL[:4]) + a.URL[4:]}); err != nil {
		t.Fatalf("own origin refused: %v", err)
	}
}

// figuresTime is the "as of" line of a page.
func figuresTime(t *testing.T, res *testenv.Response, prefix string) string {
	t.Helper()
	text := res.Text()
	i := strings.Index(text, prefix)
	if i < 0 {
		t.Fatalf("%s shows no %q:\n%s", res.URL.Path, prefix, text)
	}
	line := text[i+len(prefix):]
	if j := strings.Index(line, ". "); j >= 0 {
		line = line[:j]
	}
	return line
}

// TestAdminFiguresShowTheirTime: the dashboard's report and the audit
// page's chain check are not recomputed for every view: they show the time
// they were computed, stay as they are for five minutes and are then
// recomputed in the background.
func TestAdminFiguresShowTheirTime(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	admin := a.CreateUser(t, "figures@example.org", "Figures Admin", app.RoleAdmin)
	c := a.SessionClient(t, admin)
	for _, p := range []struct{ path, prefix string }{{"/admin", "Stand der Zahlen: "}, {"/admin/protokoll", "Geprüft: "}} {
		first := figuresTime(t, c.Get(p.path), p.prefix)
		a.Clock.Advance(2 * time.Minute)
		if again := figuresTime(t, c.Get(p.path), p.prefix); again != first {
			t.Fatalf("%s was recomputed after two minutes: %q, then %q", p.path, first, again)
		}
		a.Clock.Advance(4 * time.Minute)
		waitFor(t, p.path+" recomputed", func() bool { return figuresTime(t, c.Get(p.path), p.prefix) != first })
	}
}
