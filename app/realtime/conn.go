package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
)

// Authorizer re-checks a client's right to read the board (after its lab's
// membership changed) and returns its current rights.
type Authorizer func(ctx context.Context) (labs.Viewer, bool)

// Client describes who opens a board connection.
type Client struct {
	BoardID   int64
	Viewer    labs.Viewer
	Translate func(app.Msg) string
	Authorize Authorizer
}

// conn is one websocket client. It has one reader goroutine (which also
// applies the client's operations) and one writer goroutine fed by a
// bounded queue; a client that does not read is disconnected when the queue
// is full, so it never holds up the others.
type conn struct {
	hub       *Hub
	ws        *websocket.Conn
	boardID   int64
	viewer    labs.Viewer
	translate func(app.Msg) string
	authorize Authorizer
	after     int64

	out        chan []byte
	closeOnce  sync.Once
	done       chan struct{}
	readerDone chan struct{}
	closeCode  int
}

var (
	readyFrame = []byte(`{"type":"ready"}`)
	pongFrame  = []byte(`{"type":"pong"}`)
)

// Serve upgrades the request to a websocket for a board. The caller has
// checked that the viewer may read the board.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, cl Client) error {
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		h.metrics.rejected.Inc()
		return nil // the upgrader answered already
	}
	if tcp, ok := ws.NetConn().(*net.TCPConn); ok {
		// A small kernel buffer keeps memory low and lets a stuck client
		// fill its queue soon.
		_ = tcp.SetWriteBuffer(64 << 10)
	}
	c := &conn{hub: h, ws: ws, boardID: cl.BoardID, viewer: cl.Viewer, translate: cl.Translate, authorize: cl.Authorize,
		after: -1, out: make(chan []byte, h.cfg.SendQueue), done: make(chan struct{}), readerDone: make(chan struct{})}
	h.metrics.open.Add(1)
	h.metrics.opened.Inc()
	go c.writeLoop()
	go c.readLoop()
	return nil
}

// send queues a frame without ever blocking; a full queue drops the client.
func (c *conn) send(b []byte) {
	select {
	case <-c.done:
		return
	default:
	}
	select {
	case c.out <- b:
	default:
		c.hub.metrics.dropped.Inc()
		c.hub.metrics.drops.Add(1)
		c.shutdown(websocket.ClosePolicyViolation)
	}
}

// reply queues an answer to the client's own frame. The reader waits for
// room in the queue (a client that floods and does not read only slows
// itself down) and drops the client after WriteWait.
func (c *conn) reply(b []byte) {
	select {
	case c.out <- b:
		return
	case <-c.done:
		return
	default:
	}
	t := time.NewTimer(c.hub.cfg.WriteWait)
	defer t.Stop()
	select {
	case c.out <- b:
	case <-c.done:
	case <-t.C:
		c.hub.metrics.dropped.Inc()
		c.hub.metrics.drops.Add(1)
		c.shutdown(websocket.ClosePolicyViolation)
	}
}

// shutdown closes the connection once: the writer sends a close frame and
// the network connection is closed, which ends the reader.
func (c *conn) shutdown(code int) {
	c.closeOnce.Do(func() {
		c.closeCode = code
		close(c.done)
		if code == websocket.ClosePolicyViolation {
			// A client that does not read gets no goodbye: free it now.
			_ = c.ws.NetConn().Close()
		}
	})
}

func (c *conn) goingAway() { c.shutdown(websocket.CloseGoingAway) }

// reload tells the client to load the board page again and disconnects it.
func (c *conn) reload(reason string) {
	b, _ := json.Marshal(map[string]string{"type": "reload", "reason": reason})
	select {
	case c.out <- b:
	default:
	}
	c.shutdown(websocket.CloseNormalClosure)
}

func (c *conn) sendHello(after, head int64) {
	b, _ := json.Marshal(map[string]any{"type": "hello", "board_id": c.boardID, "after": after, "head": head,
		"now": time.Now().UTC().Format(time.RFC3339Nano), "host": c.viewer.Host, "write": c.viewer.Write})
	c.send(b)
}

// recheck asks whether the client may still read the board (room goroutine).
func (c *conn) recheck(ctx context.Context) bool {
	v, ok := c.authorize(ctx)
	if !ok {
		c.reload("access")
		return false
	}
	c.viewer = v
	return true
}

func (c *conn) writeLoop() {
	h := c.hub
	ping := time.NewTicker(h.cfg.PingInterval)
	defer func() {
		ping.Stop()
		c.ws.Close()
	}()
	for {
		select {
		case b := <-c.out:
			if !c.write(b) {
				return
			}
		case <-ping.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(h.cfg.WriteWait)); err != nil {
				c.shutdown(websocket.CloseGoingAway)
				return
			}
		case <-c.done:
			// Flush what is queued (e.g. a reload notice), then say goodbye.
			for len(c.out) > 0 && c.closeCode != websocket.ClosePolicyViolation {
				if !c.write(<-c.out) {
					return
				}
			}
			msg := websocket.FormatCloseMessage(c.closeCode, "")
			_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
			// Closing the socket while the client's frames are still unread
			// would reset the connection and lose the frames just sent: the
			// reader drains until the client answers the close (or 2 s pass).
			select {
			case <-c.readerDone:
			case <-time.After(2 * time.Second):
			}
			return
		}
	}
}

func (c *conn) write(b []byte) bool {
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.hub.cfg.WriteWait))
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		c.shutdown(websocket.CloseGoingAway)
		return false
	}
	c.hub.metrics.sent.Inc()
	return true
}

// clientMsg is every frame a client may send: resume, ping or an operation.
type clientMsg struct {
	labs.Op
	After *int64 `json:"after,omitempty"`
}

func (c *conn) readLoop() {
	h := c.hub
	joined := false
	defer func() {
		close(c.readerDone)
		c.shutdown(websocket.CloseNormalClosure)
		if joined {
			h.mu.Lock()
			r := h.rooms[c.boardID]
			h.mu.Unlock()
			if r != nil {
				select {
				case r.leaves <- c:
				case <-r.stop:
				}
			}
		}
		h.metrics.open.Add(-1)
	}()
	c.ws.SetReadLimit(int64(4 * h.cfg.MaxMessage))
	_ = c.ws.SetReadDeadline(time.Now().Add(h.cfg.PongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(h.cfg.PongWait)) })
	limiter := rate.NewLimiter(h.cfg.Rate, h.cfg.Burst)
	strikes := 0
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		select {
		case <-c.done:
			// Closing: read on (and ignore) until the client's close frame.
			_ = c.ws.SetReadDeadline(time.Now().Add(2 * time.Second))
			continue
		default:
		}
		_ = c.ws.SetReadDeadline(time.Now().Add(h.cfg.PongWait))
		h.metrics.received.Inc()
		if !limiter.Allow() {
			strikes++
			c.errorFrame("", "too_many_requests", app.M("labs.ws_rate_limited"), nil)
			if strikes > 3*h.cfg.Burst {
				// Flooding ends the connection after the queued answers.
				c.shutdown(websocket.CloseTryAgainLater)
			}
			continue
		}
		if typ != websocket.TextMessage || len(data) > h.cfg.MaxMessage {
			code := "bad_frame"
			if len(data) > h.cfg.MaxMessage {
				code = "too_large"
			}
			c.errorFrame("", code, app.M("labs.ws_bad_frame"), nil)
			continue
		}
		var m clientMsg
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil || dec.More() {
			c.errorFrame("", "bad_frame", app.M("labs.ws_bad_frame"), nil)
			continue
		}
		switch m.Type {
		case "resume":
			if joined || m.After == nil {
				c.errorFrame("", "bad_frame", app.M("labs.ws_bad_frame"), nil)
				continue
			}
			c.after = *m.After
			if !h.join(c) {
				c.goingAway()
				continue
			}
			joined = true
		case "ping":
			c.reply(pongFrame)
		default:
			if !joined {
				c.errorFrame(m.OpID, "resume_first", app.M("labs.ws_resume_first"), nil)
				continue
			}
			c.apply(m.Op)
		}
	}
}

func (c *conn) apply(op labs.Op) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	res, err := c.hub.labs.Apply(ctx, c.boardID, c.viewer, op)
	if err != nil {
		var card *labs.CardView
		if e, ok := app.AsError(err); ok && e.Code == app.CodeConflict && e.Msg.ID == "labs.card_changed" {
			card, _ = c.hub.labs.CurrentCard(ctx, c.boardID, op.CardID, c.viewer)
		}
		e, ok := app.AsError(err)
		if !ok || e.Code == app.CodeInternal || e.Code == app.CodeUnavailable {
			c.hub.log.Warn("realtime: apply operation", "board", c.boardID, "type", op.Type, "err", err)
			e = app.Internal(err)
		}
		c.errorFrame(op.OpID, string(e.Code), e.Msg, e.Fields, card)
		return
	}
	b, _ := json.Marshal(map[string]any{"type": "ack", "op_id": op.OpID, "seq": res.Seq, "duplicate": res.Duplicate})
	c.reply(b)
}

type errorFrame struct {
	Type    string            `json:"type"`
	OpID    string            `json:"op_id,omitempty"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Card    *labs.CardView    `json:"card,omitempty"`
}

func (c *conn) errorFrame(opID, code string, msg app.Msg, fields []app.FieldError, card ...*labs.CardView) {
	f := errorFrame{Type: "error", OpID: opID, Code: code, Message: c.translate(msg)}
	if len(fields) > 0 {
		f.Fields = map[string]string{}
		for _, fe := range fields {
			if _, dup := f.Fields[fe.Field]; !dup {
				f.Fields[fe.Field] = c.translate(fe.Msg)
			}
		}
		if f.Message == c.translate(app.M("error.invalid")) {
			f.Message = f.Fields[fields[0].Field]
		}
	}
	if len(card) > 0 {
		f.Card = card[0]
	}
	b, _ := json.Marshal(f)
	c.hub.metrics.errors.Inc()
	c.reply(b)
}

// batch joins frames into one message (a JSON array) for catch-up.
func batch(frames [][]byte) []byte {
	n := 2
	for _, f := range frames {
		n += len(f) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, '[')
	for i, f := range frames {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, f...)
	}
	return append(b, ']')
}
