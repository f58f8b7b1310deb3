package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// boardBook is the board all citizens edit over websockets: it hands out
// unique card texts, remembers which changes the server acknowledged and
// what the observers (one open connection per instance for the whole run)
// received, so that a change lost on its way to any instance is counted.
type boardBook struct {
	path    string
	columns []int64
	rec     *recorder
	next    atomic.Int64
	lastSeq atomic.Int64

	mu        sync.Mutex
	acked     map[string]bool
	observers []*observer
}

// wsFrame is the part of the server's frames the soak reads.
type wsFrame struct {
	Type string `json:"type"`
	Seq  int64  `json:"seq"`
	OpID string `json:"op_id"`
	Code string `json:"code"`
	Card *struct {
		ID      int64  `json:"id"`
		Text    string `json:"text"`
		Version int    `json:"version"`
	} `json:"card"`
}

func dialBoard(ctx context.Context, s *session, base, path string) (*websocket.Conn, error) {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	h := http.Header{}
	h.Set("Origin", base)
	h.Set("Cookie", "mw_session="+s.cookie("mw_session"))
	c, _, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(base, "http")+path, h)
	return c, err
}

// edit is one visit of the board: connect, resume, add a card, edit it,
// leave. The latencies are submission → acknowledgement.
func (b *boardBook) edit(ctx context.Context, s *session) {
	base := s.base()
	conn, err := dialBoard(ctx, s, base, b.path)
	if err != nil {
		if ctx.Err() == nil {
			b.rec.fail("WS verbinden", "%v", err)
		}
		return
	}
	defer conn.Close()
	_ = conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	if err := conn.WriteJSON(map[string]any{"type": "resume", "after": b.lastSeq.Load()}); err != nil {
		b.rec.fail("WS verbinden", "resume: %v", err)
		return
	}
	if _, err := awaitFrame(conn, func(f wsFrame) bool { return f.Type == "ready" }); err != nil {
		b.rec.fail("WS verbinden", "ready: %v", err)
		return
	}
	n := b.next.Add(1)
	text := fmt.Sprintf("soak-card-%d", n)
	start := time.Now()
	if err := conn.WriteJSON(map[string]any{"type": "card.create", "op_id": fmt.Sprintf("c%d", n),
		"column_id": b.columns[int(n)%len(b.columns)], "text": text}); err != nil {
		b.rec.fail("WS card.create", "%v", err)
		return
	}
	var card wsFrame
	acked := false
	if _, err := awaitFrame(conn, func(f wsFrame) bool {
		if f.Card != nil && f.Card.Text == text {
			card = f
		}
		if f.OpID == fmt.Sprintf("c%d", n) {
			acked = f.Type == "ack"
			if acked {
				b.rec.ok("WS card.create (bis Quittung)", time.Since(start))
			} else {
				b.rec.fail("WS card.create (bis Quittung)", "Antwort %s %s", f.Type, f.Code)
			}
		}
		return acked && card.Card != nil || f.OpID != "" && !acked
	}); err != nil || !acked {
		if err != nil {
			b.rec.fail("WS card.create (bis Quittung)", "%v", err)
		}
		return
	}
	b.expect(text)
	edited := text + "-bearbeitet"
	start = time.Now()
	if err := conn.WriteJSON(map[string]any{"type": "card.update", "op_id": fmt.Sprintf("u%d", n),
		"card_id": card.Card.ID, "version": card.Card.Version, "text": edited}); err != nil {
		b.rec.fail("WS card.update (bis Quittung)", "%v", err)
		return
	}
	if f, err := awaitFrame(conn, func(f wsFrame) bool { return f.OpID == fmt.Sprintf("u%d", n) }); err != nil || f.Type != "ack" {
		b.rec.fail("WS card.update (bis Quittung)", "%v %s %s", err, f.Type, f.Code)
		return
	}
	b.rec.ok("WS card.update (bis Quittung)", time.Since(start))
	b.expect(edited)
}

func (b *boardBook) expect(text string) {
	b.mu.Lock()
	b.acked[text] = true
	b.mu.Unlock()
}

// awaitFrame reads frames until done says so.
func awaitFrame(conn *websocket.Conn, done func(wsFrame) bool) (wsFrame, error) {
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return wsFrame{}, err
		}
		frames, err := decodeFrames(msg)
		if err != nil {
			return wsFrame{}, err
		}
		for _, f := range frames {
			if done(f) {
				return f, nil
			}
		}
	}
}

// decodeFrames reads one websocket message: a frame, or the array of
// frames the server sends when it replays the events after a resume.
func decodeFrames(msg []byte) ([]wsFrame, error) {
	if len(msg) > 0 && msg[0] == '[' {
		var fs []wsFrame
		if err := json.Unmarshal(msg, &fs); err != nil {
			return nil, fmt.Errorf("frames %q: %w", msg, err)
		}
		return fs, nil
	}
	var f wsFrame
	if err := json.Unmarshal(msg, &f); err != nil {
		return nil, fmt.Errorf("frame %q: %w", msg, err)
	}
	return []wsFrame{f}, nil
}

// observer keeps one connection to one instance open for the whole run
// and notes every card text it receives.
type observer struct {
	instance string
	mu       sync.Mutex
	seen     map[string]bool
	err      error
	conn     *websocket.Conn
}

func (b *boardBook) observe(ctx context.Context, s *session, instance string) error {
	conn, err := dialBoard(ctx, s, instance, b.path)
	if err != nil {
		return err
	}
	if err := conn.WriteJSON(map[string]any{"type": "resume", "after": 0}); err != nil {
		return err
	}
	o := &observer{instance: instance, seen: map[string]bool{}, conn: conn}
	b.mu.Lock()
	b.observers = append(b.observers, o)
	b.mu.Unlock()
	go func() {
		for {
			_, msg, err := conn.ReadMessage()
			if err != nil {
				o.mu.Lock()
				o.err = err
				o.mu.Unlock()
				return
			}
			frames, err := decodeFrames(msg)
			if err != nil {
				b.rec.fail("WS Beobachter", "%v", err)
				continue
			}
			for _, f := range frames {
				if f.Seq > b.lastSeq.Load() {
					b.lastSeq.Store(f.Seq)
				}
				if f.Card != nil {
					o.mu.Lock()
					o.seen[f.Card.Text] = true
					o.mu.Unlock()
				}
			}
		}
	}()
	return nil
}

// lost counts, per observer, the acknowledged changes it did not receive,
// and closes the observers.
func (b *boardBook) lost(ctx context.Context) (acked int, lost map[string]int, dropped map[string]error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	lost, dropped = map[string]int{}, map[string]error{}
	for _, o := range b.observers {
		o.mu.Lock()
		for t := range b.acked {
			if !o.seen[t] {
				lost[o.instance]++
			}
		}
		if o.err != nil {
			dropped[o.instance] = o.err
		}
		o.mu.Unlock()
		_ = o.conn.Close()
	}
	return len(b.acked), lost, dropped
}
