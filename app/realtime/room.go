package realtime

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
)

const (
	// readBatch is how many events a room reads from the log at once.
	readBatch = 200
	// ringSize is how many recent events a room keeps for resuming clients.
	ringSize = 256
	// idleRoom is how long a room without clients stays (reconnects are cheap).
	idleRoom = 30 * time.Second
	// presenceEvery throttles presence frames per board.
	presenceEvery = 2 * time.Second
)

// room delivers one board's log to this instance's clients. Its goroutine
// is the only one that reads the log, admits clients and sends events, so a
// client's catch-up and the live stream can neither overlap nor leave a gap.
type room struct {
	hub     *Hub
	boardID int64

	joins    chan *conn
	leaves   chan *conn
	fresh    chan app.BoardEvent // committed on this instance
	wake     chan struct{}
	presWake chan struct{}
	stop     chan struct{}
	pending  int // joins on their way (guarded by hub.mu)

	conns     map[*conn]struct{}
	last      int64
	delivered atomic.Int64 // last, for Hub.Wake on other goroutines
	ring      []*labs.Event
	prepared  map[*byte]*websocket.PreparedMessage // of the event being delivered
}

func newRoom(h *Hub, boardID int64) *room {
	return &room{
		hub: h, boardID: boardID,
		joins: make(chan *conn, 16), leaves: make(chan *conn, 16), fresh: make(chan app.BoardEvent, 64),
		wake: make(chan struct{}, 1), presWake: make(chan struct{}, 1), stop: make(chan struct{}),
		conns: map[*conn]struct{}{}, last: -1, prepared: map[*byte]*websocket.PreparedMessage{},
	}
}

func (r *room) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *room) presencePoke() {
	select {
	case r.presWake <- struct{}{}:
	default:
	}
}

func (r *room) run() {
	defer r.hub.wg.Done()
	poll := time.NewTicker(r.hub.cfg.Poll)
	defer poll.Stop()
	idle := time.NewTimer(idleRoom)
	defer idle.Stop()
	var presTimer *time.Timer
	var presC <-chan time.Time
	var lastPresence time.Time
	for {
		select {
		case c := <-r.joins:
			r.hub.mu.Lock()
			r.pending--
			r.hub.mu.Unlock()
			r.admit(c)
			r.presencePoke()
		case c := <-r.leaves:
			if _, ok := r.conns[c]; ok {
				delete(r.conns, c)
				r.hub.presence.leave(r.boardID, c.viewer.UserID)
			}
			if len(r.conns) == 0 {
				idle.Reset(idleRoom)
			}
		case ev := <-r.fresh:
			r.deliverCommitted(ev)
		case <-r.wake:
			r.deliver()
		case <-poll.C:
			r.deliver()
		case <-r.presWake:
			// At most one presence frame per presenceEvery.
			if presTimer == nil {
				wait := presenceEvery - time.Since(lastPresence)
				if wait < 0 {
					wait = 0
				}
				presTimer = time.NewTimer(wait)
				presC = presTimer.C
			}
		case <-presC:
			presTimer, presC = nil, nil
			lastPresence = time.Now()
			r.sendPresence()
		case <-idle.C:
			if r.retire() {
				return
			}
		case <-r.stop:
			for c := range r.conns {
				c.goingAway()
			}
			return
		}
	}
}

// retire removes an empty room unless a client is on its way in.
func (r *room) retire() bool {
	h := r.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(r.conns) > 0 || r.pending > 0 || len(r.joins) > 0 {
		return false
	}
	delete(h.rooms, r.boardID)
	return true
}

func (r *room) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 10*time.Second)
}

// deliver reads every event after the last delivered one and sends it to
// each client, rendered for that client.
func (r *room) deliver() {
	if r.last < 0 {
		if !r.init() {
			return
		}
	}
	ctx, cancel := r.ctx()
	defer cancel()
	for {
		evs, err := r.hub.store.BoardEventsAfter(ctx, r.boardID, r.last, readBatch)
		if err != nil {
			r.hub.log.Warn("realtime: read board events", "board", r.boardID, "err", err)
			return
		}
		if !r.send(ctx, evs) || len(evs) < readBatch {
			return
		}
	}
}

// deliverCommitted sends an event committed on this instance straight away
// when it is the next one; otherwise (an event of another instance came
// between, or this one was already read) the log decides.
func (r *room) deliverCommitted(ev app.BoardEvent) {
	switch {
	case r.last >= 0 && ev.Seq == r.last+1:
		ctx, cancel := r.ctx()
		defer cancel()
		r.send(ctx, []app.BoardEvent{ev})
	case ev.Seq > r.last:
		r.deliver()
	}
}

// send delivers events of the log, in order, to every client; false when
// one could not be decoded (the next read starts there again).
func (r *room) send(ctx context.Context, evs []app.BoardEvent) bool {
	defer func() { r.delivered.Store(r.last) }()
	for i := range evs {
		if evs[i].Seq != r.last+1 {
			// Only pruning makes a gap: everyone starts afresh.
			r.hub.log.Warn("realtime: gap in board log", "board", r.boardID, "after", r.last, "got", evs[i].Seq)
			for c := range r.conns {
				c.reload("gap")
			}
			r.last, r.ring = evs[i].Seq-1, nil
		}
		e, err := r.hub.labs.Decode(ctx, &evs[i])
		if err != nil {
			r.hub.log.Error("realtime: decode board event", "board", r.boardID, "seq", evs[i].Seq, "err", err)
			return false
		}
		r.remember(e)
		r.last = e.Seq
		for c := range r.conns {
			if e.Kind == labs.KindAccess && e.AffectsUser(c.viewer.UserID) && !c.recheck(ctx) {
				delete(r.conns, c)
				r.hub.presence.leave(r.boardID, c.viewer.UserID)
				continue
			}
			c.sendFrame(r.prepare(r.hub.labs.Frame(e, c.viewer)))
		}
		clear(r.prepared)
		r.hub.metrics.events.Inc()
	}
	return true
}

func (r *room) init() bool {
	ctx, cancel := r.ctx()
	defer cancel()
	seqs, err := r.hub.store.BoardLastSeqs(ctx, []int64{r.boardID})
	if err != nil {
		r.hub.log.Warn("realtime: read board head", "board", r.boardID, "err", err)
		return false
	}
	r.last = seqs[r.boardID]
	return true
}

func (r *room) remember(e *labs.Event) {
	if len(r.ring) >= ringSize {
		copy(r.ring, r.ring[1:])
		r.ring = r.ring[:len(r.ring)-1]
	}
	r.ring = append(r.ring, e)
}

// admit brings a client up to date and adds it to the live stream: it sends
// the events after the client's last one (from memory or from the log) and
// then everything that follows, in order.
func (r *room) admit(c *conn) {
	r.deliver()
	if r.last < 0 {
		c.reload("unavailable")
		return
	}
	after := c.after
	if after < 0 || after > r.last || r.last-after > r.hub.cfg.ResumeWindow {
		c.reload("too_far_behind")
		return
	}
	c.sendHello(after, r.last)
	if after < r.last {
		if !r.replay(c, after) {
			return
		}
	}
	r.conns[c] = struct{}{}
	r.hub.presence.join(r.boardID, c.viewer.UserID)
	c.send(readyFrame)
	r.hub.metrics.resumed.Inc()
}

// replay sends the events (after, r.last] to a joining client as JSON
// arrays of up to 100 frames, so that a long catch-up takes few queue slots.
func (r *room) replay(c *conn, after int64) bool {
	var frames [][]byte
	flush := func() {
		if len(frames) > 0 {
			c.send(batch(frames))
			frames = frames[:0]
		}
	}
	add := func(e *labs.Event) {
		frames = append(frames, r.hub.labs.Frame(e, c.viewer))
		if len(frames) == 100 {
			flush()
		}
	}
	if len(r.ring) > 0 && r.ring[0].Seq <= after+1 {
		for _, e := range r.ring {
			if e.Seq > after {
				add(e)
			}
		}
		flush()
		return true
	}
	ctx, cancel := r.ctx()
	defer cancel()
	next := after
	for next < r.last {
		evs, err := r.hub.store.BoardEventsAfter(ctx, r.boardID, next, readBatch)
		if err != nil || len(evs) == 0 || evs[0].Seq != next+1 {
			c.reload("too_far_behind")
			return false
		}
		for i := range evs {
			if evs[i].Seq > r.last {
				break
			}
			e, err := r.hub.labs.Decode(ctx, &evs[i])
			if err != nil {
				c.reload("unavailable")
				return false
			}
			add(e)
			next = e.Seq
		}
	}
	flush()
	return true
}

func (r *room) sendPresence() {
	if len(r.conns) == 0 {
		return
	}
	ctx, cancel := r.ctx()
	defer cancel()
	f, err := r.hub.presence.frame(ctx, r.boardID)
	if err != nil {
		r.hub.log.Warn("realtime: presence", "board", r.boardID, "err", err)
		return
	}
	out := r.prepare(f)
	clear(r.prepared)
	for c := range r.conns {
		c.sendFrame(out)
	}
}

// prepare frames a frame once for all connections that receive the same
// bytes (labs.Frame returns the same slice for the same variant of an
// event), so fan-out to N clients costs one encoding, not N.
func (r *room) prepare(b []byte) outFrame {
	if len(b) == 0 {
		return outFrame{b: b}
	}
	if pm, ok := r.prepared[&b[0]]; ok {
		return outFrame{pm: pm}
	}
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, b)
	if err != nil {
		return outFrame{b: b} // only compression can fail; the hub does not compress
	}
	r.prepared[&b[0]] = pm
	return outFrame{pm: pm}
}
