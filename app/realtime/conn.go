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

// writerLinger is how long a writer goroutine waits for the next frame
// before it ends: an idle connection holds only its reader goroutine, while
// a busy board (a frame every few hundred milliseconds) keeps its writers
// instead of starting one per frame.
const writerLinger = 2 * time.Second

// outFrame is a queued frame: board and presence frames are prepared once
// for every connection that gets the same bytes (websocket.PreparedMessage
// frames them once), answers to one client are plain bytes.
type outFrame struct {
	pm *websocket.PreparedMessage
	b  []byte
}

// conn is one websocket client. It has one reader goroutine (which also
// applies the client's operations) and a writer goroutine that runs only
// while frames are queued (plus writerLinger); pings are written from a
// timer. The queue is bounded: a client that does not read is disconnected
// when it is full, so it never holds up the others.
type conn struct {
	hub       *Hub
	ws        *websocket.Conn
	boardID   int64
	viewer    labs.Viewer
	translate func(app.Msg) string
	authorize Authorizer
	after     int64

	mu       sync.Mutex
	queue    []outFrame // nil while idle, so an idle connection holds no queue
	writing  bool       // a writer goroutine runs
	finished bool       // the writer said goodbye; nothing more is written
	kick     chan struct{}
	drained  chan struct{}
	pinger   *time.Timer

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
		after: -1, kick: make(chan struct{}, 1), drained: make(chan struct{}, 1),
		done: make(chan struct{}), readerDone: make(chan struct{})}
	c.pinger = time.AfterFunc(h.cfg.PingInterval, c.ping)
	h.metrics.open.Add(1)
	h.metrics.opened.Inc()
	go c.readLoop()
	return nil
}

// push queues a frame and makes sure a writer runs; false when the queue
// is full.
func (c *conn) push(f outFrame) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.finished {
		return true // closing: the frame has nobody to go to
	}
	if len(c.queue) >= c.hub.cfg.SendQueue {
		return false
	}
	c.queue = append(c.queue, f)
	if !c.writing {
		c.writing = true
		go c.writeLoop()
	} else {
		select {
		case c.kick <- struct{}{}:
		default:
		}
	}
	return true
}

// send queues a frame without ever blocking; a full queue drops the client.
func (c *conn) send(b []byte) { c.sendFrame(outFrame{b: b}) }

func (c *conn) sendFrame(f outFrame) {
	select {
	case <-c.done:
		return
	default:
	}
	if !c.push(f) {
		c.hub.metrics.dropped.Inc()
		c.hub.metrics.drops.Add(1)
		c.shutdown(websocket.ClosePolicyViolation)
	}
}

// reply queues an answer to the client's own frame. The reader waits for
// room in the queue (a client that floods and does not read only slows
// itself down) and drops the client after WriteWait.
func (c *conn) reply(b []byte) {
	if c.push(outFrame{b: b}) {
		return
	}
	t := time.NewTimer(c.hub.cfg.WriteWait)
	defer t.Stop()
	for {
		select {
		case <-c.drained:
			if c.push(outFrame{b: b}) {
				return
			}
		case <-c.done:
			return
		case <-t.C:
			c.hub.metrics.dropped.Inc()
			c.hub.metrics.drops.Add(1)
			c.shutdown(websocket.ClosePolicyViolation)
			return
		}
	}
}

// shutdown closes the connection once: the writer sends a close frame and
// the network connection is closed, which ends the reader.
func (c *conn) shutdown(code int) {
	c.closeOnce.Do(func() {
		c.closeCode = code
		close(c.done)
		c.pinger.Stop()
		if code == websocket.ClosePolicyViolation {
			// A client that does not read gets no goodbye: free it now.
			_ = c.ws.NetConn().Close()
		}
		c.mu.Lock()
		if !c.writing && !c.finished {
			c.writing = true
			go c.writeLoop()
		}
		c.mu.Unlock()
	})
}

func (c *conn) goingAway() { c.shutdown(websocket.CloseGoingAway) }

// reload tells the client to load the board page again and disconnects it.
func (c *conn) reload(reason string) {
	b, _ := json.Marshal(map[string]string{"type": "reload", "reason": reason})
	c.push(outFrame{b: b})
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

// ping runs on the pinger's timer: gorilla allows WriteControl beside the
// writer, so an idle connection needs no goroutine for its heartbeat.
func (c *conn) ping() {
	select {
	case <-c.done:
		return
	default:
	}
	if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(c.hub.cfg.WriteWait)); err != nil {
		c.shutdown(websocket.CloseGoingAway)
		return
	}
	c.pinger.Reset(c.hub.cfg.PingInterval)
}

// next takes the oldest queued frame.
func (c *conn) next() (outFrame, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) == 0 {
		return outFrame{}, false
	}
	f := c.queue[0]
	// Shifting (at most SendQueue frames) keeps the array for the next frames.
	n := copy(c.queue, c.queue[1:])
	c.queue[n] = outFrame{}
	c.queue = c.queue[:n]
	select {
	case c.drained <- struct{}{}:
	default:
	}
	return f, true
}

// rest ends the writer if nothing was queued meanwhile.
func (c *conn) rest() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.queue) > 0 {
		return false
	}
	c.writing, c.queue = false, nil
	return true
}

func (c *conn) writeLoop() {
	linger := time.NewTimer(writerLinger)
	defer linger.Stop()
	for {
		select {
		case <-c.done:
			c.goodbye()
			return
		default:
		}
		if f, ok := c.next(); ok {
			if !c.write(f) {
				c.finish()
				c.ws.Close()
				return
			}
			continue
		}
		linger.Reset(writerLinger)
		select {
		case <-c.kick:
		case <-c.done:
		case <-linger.C:
			if c.rest() {
				return
			}
		}
	}
}

func (c *conn) finish() {
	c.mu.Lock()
	c.finished, c.queue = true, nil
	c.mu.Unlock()
}

// goodbye flushes what is queued (e.g. a reload notice) and closes.
func (c *conn) goodbye() {
	defer c.ws.Close()
	if c.closeCode != websocket.ClosePolicyViolation {
		for {
			f, ok := c.next()
			if !ok {
				break
			}
			if !c.write(f) {
				c.finish()
				return
			}
		}
	}
	c.finish()
	msg := websocket.FormatCloseMessage(c.closeCode, "")
	_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	// Closing the socket while the client's frames are still unread would
	// reset the connection and lose the frames just sent: the reader drains
	// until the client answers the close (or 2 s pass).
	select {
	case <-c.readerDone:
	case <-time.After(2 * time.Second):
	}
}

func (c *conn) write(f outFrame) bool {
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.hub.cfg.WriteWait))
	var err error
	if f.pm != nil {
		err = c.ws.WritePreparedMessage(f.pm)
	} else {
		err = c.ws.WriteMessage(websocket.TextMessage, f.b)
	}
	if err != nil {
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
