package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// labFixture is an active lab with a host, a member and a board.
type labFixture struct {
	App    *testenv.App
	Lab    *app.Lab
	Board  *app.Board
	Host   *app.User
	Member *app.User
	Cols   []app.BoardColumn
}

type boardOpts struct {
	closed     bool // member-only lab
	anonymous  bool
	private    bool
	hideVotes  bool
	votes      int
	columns    []string
	hostName   string
	memberName string
}

func newLabFixture(t *testing.T, a *testenv.App, o boardOpts) *labFixture {
	t.Helper()
	ctx := context.Background()
	if o.hostName == "" {
		o.hostName = "Gastgeberin"
	}
	if o.memberName == "" {
		o.memberName = "Mitglied Eins"
	}
	f := &labFixture{App: a}
	f.Host = a.CreateUser(t, strings.ToLower(strings.ReplaceAll(o.hostName, " ", "."))+"@example.org", o.hostName, app.RoleCitizen)
	f.Member = a.CreateUser(t, strings.ToLower(strings.ReplaceAll(o.memberName, " ", "."))+"@example.org", o.memberName, app.RoleCitizen)
	f.Lab = &app.Lab{Title: "Post-fossile Energiestrategie", Theme: "Energie", Description: "Wärme, Strom, Mobilität.", Status: app.LabActive, Open: !o.closed}
	if err := a.Store.CreateLab(ctx, f.Lab, f.Host.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.AddLabMember(ctx, f.Lab.ID, f.Member.ID, app.LabRoleMember); err != nil {
		t.Fatal(err)
	}
	if o.votes == 0 {
		o.votes = 5
	}
	if o.columns == nil {
		o.columns = []string{"Ideen", "Fragen", "Nächste Schritte"}
	}
	f.Board = &app.Board{LabID: f.Lab.ID, Title: "Wärmewende", Anonymous: o.anonymous, PrivateWriting: o.private,
		VotesPerPerson: o.votes, VotesRevealed: !o.hideVotes, CreatedBy: &f.Host.ID}
	if err := a.Store.CreateBoard(ctx, f.Board, o.columns); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.Cols, err = a.Store.BoardColumns(ctx, f.Board.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *labFixture) path() string { return fmt.Sprintf("/labs/%d/boards/%d", f.Lab.ID, f.Board.ID) }

// apply changes the board directly through the service (as a client would).
func (f *labFixture) apply(t *testing.T, u *app.User, host bool, op labs.Op) labs.Result {
	t.Helper()
	if op.OpID == "" {
		op.OpID = fmt.Sprintf("t-%d", time.Now().UnixNano())
	}
	res, err := f.App.Platform.Labs.Apply(context.Background(), f.Board.ID, labs.Viewer{UserID: u.ID, Host: host, Write: true}, op)
	if err != nil {
		t.Fatalf("apply %s: %v", op.Type, err)
	}
	return res
}

func (f *labFixture) addCard(t *testing.T, u *app.User, col int, text string) labs.Result {
	t.Helper()
	return f.apply(t, u, u.ID == f.Host.ID, labs.Op{Type: labs.OpCardCreate, ColumnID: f.Cols[col].ID, Text: &text})
}

func (f *labFixture) setPhase(t *testing.T, phase string) {
	t.Helper()
	f.apply(t, f.Host, true, labs.Op{Type: labs.OpBoardUpdate, Phase: phase})
}

// frame is one message from the server, decoded.
type frame struct {
	Type      string            `json:"type"`
	Seq       int64             `json:"seq"`
	OpID      string            `json:"op_id"`
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields"`
	Card      *labs.CardView    `json:"card"`
	CardID    int64             `json:"card_id"`
	Cards     []labs.CardView   `json:"cards"`
	Totals    map[string]int    `json:"totals"`
	Total     *int              `json:"total"`
	Mine      *int              `json:"mine"`
	Remaining *int              `json:"remaining"`
	Duplicate bool              `json:"duplicate"`
	After     int64             `json:"after"`
	Head      int64             `json:"head"`
	Count     int               `json:"count"`
	Names     []string          `json:"names"`
	Reason    string            `json:"reason"`
	Board     *labs.BoardState  `json:"board"`
	Raw       string            `json:"-"`
}

// wsClient is a real websocket client (gorilla/websocket) with the cookies
// of a test client.
type wsClient struct {
	t      testing.TB
	conn   *websocket.Conn
	frames chan frame
	closed chan struct{}
	// presence is the last presence frame next() handed out: presence is
	// not sequenced, so a reader skipping to sequenced frames must not lose
	// the newest one.
	presence *frame
}

type dialOpts struct {
	origin     string
	readBuffer int // bytes of the socket's receive buffer (slow clients)
	noRead     bool
}

func dialBoard(t testing.TB, a *testenv.App, c *testenv.Client, path string, o dialOpts) (*wsClient, *http.Response, error) {
	t.Helper()
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	if c != nil {
		d.Jar = c.HTTP.Jar
	}
	if o.readBuffer > 0 {
		d.NetDialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err == nil {
				_ = conn.(*net.TCPConn).SetReadBuffer(o.readBuffer)
			}
			return conn, err
		}
	}
	h := http.Header{}
	if o.origin == "" {
		o.origin = a.URL
	}
	h.Set("Origin", o.origin)
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(a.URL, "http")+path+"/ws", h)
	if err != nil {
		return nil, resp, err
	}
	w := &wsClient{t: t, conn: conn, frames: make(chan frame, 10000), closed: make(chan struct{})}
	t.Cleanup(func() { conn.Close() })
	if !o.noRead {
		go w.read()
	}
	return w, resp, nil
}

func (w *wsClient) read() {
	defer close(w.closed)
	for {
		_, data, err := w.conn.ReadMessage()
		if err != nil {
			return
		}
		var list []json.RawMessage
		if len(data) > 0 && data[0] == '[' {
			if err := json.Unmarshal(data, &list); err != nil {
				w.t.Errorf("bad batch %s: %v", data, err)
				return
			}
		} else {
			list = []json.RawMessage{data}
		}
		for _, raw := range list {
			var f frame
			if err := json.Unmarshal(raw, &f); err != nil {
				w.t.Errorf("bad frame %s: %v", raw, err)
				return
			}
			f.Raw = string(raw)
			w.frames <- f
		}
	}
}

// connect dials and resumes after seq, waiting until the client is live.
func connect(t testing.TB, a *testenv.App, c *testenv.Client, path string, after int64) *wsClient {
	t.Helper()
	w, resp, err := dialBoard(t, a, c, path, dialOpts{})
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (%d)", path, err, status)
	}
	w.send(map[string]any{"type": "resume", "after": after})
	w.until("ready")
	return w
}

func (w *wsClient) send(v any) {
	w.t.Helper()
	if err := w.conn.WriteJSON(v); err != nil {
		w.t.Fatalf("send: %v", err)
	}
}

// next returns the next frame, failing after the timeout.
func (w *wsClient) next(timeout time.Duration) frame {
	w.t.Helper()
	select {
	case f := <-w.frames:
		if f.Type == "presence" {
			w.presence = &f
		}
		return f
	case <-time.After(timeout):
		w.t.Fatalf("no frame within %s", timeout)
	}
	return frame{}
}

// until skips frames up to one of the given type (unsequenced frames such
// as presence may come in between) and returns it.
func (w *wsClient) until(typ string) frame {
	w.t.Helper()
	for {
		f := w.next(15 * time.Second)
		if f.Type == typ {
			return f
		}
		if typ != "hello" && f.Type == "reload" {
			w.t.Fatalf("waiting for %s, got reload (%s)", typ, f.Reason)
		}
	}
}

// sequenced collects the sequenced frames until seq reaches head, checking
// that they arrive in order without gaps or duplicates.
func (w *wsClient) sequenced(from, head int64) []frame {
	w.t.Helper()
	var out []frame
	last := from
	for last < head {
		f := w.next(20 * time.Second)
		if f.Seq == 0 || f.Type == "ack" || f.Type == "error" {
			continue
		}
		if f.Seq != last+1 {
			w.t.Fatalf("frame seq %d after %d (gap or duplicate): %s", f.Seq, last, f.Raw)
		}
		last = f.Seq
		out = append(out, f)
	}
	return out
}

// opReply waits for the ack or error of an operation.
func (w *wsClient) opReply(opID string) frame {
	w.t.Helper()
	for {
		f := w.next(15 * time.Second)
		if (f.Type == "ack" || f.Type == "error") && f.OpID == opID {
			return f
		}
	}
}

func strp(s string) *string { return &s }
