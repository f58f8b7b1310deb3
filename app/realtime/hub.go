// Package realtime delivers the event logs of the live boards to websocket
// clients (gorilla/websocket). The database is the single source of truth:
// each instance keeps one room per board that has clients, and a room only
// ever sends what it read from board_events, in sequence order. A room is
// woken by changes made on this instance, by PostgreSQL NOTIFY for changes
// made on other instances (the payload is a hint only), and by a slow poll
// as a safety net. docs/realtime.md describes the protocol.
package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/store"
)

// Config tunes the hub; zero values take the defaults.
type Config struct {
	// SendQueue is the number of frames waiting for a slow client before
	// it is disconnected (it resumes later).
	SendQueue int
	// PingInterval, PongWait and WriteWait are the heartbeat and deadlines.
	PingInterval time.Duration
	PongWait     time.Duration
	WriteWait    time.Duration
	// MaxMessage is the largest frame a client may send; larger ones get an
	// error frame, frames over 4×MaxMessage close the connection.
	MaxMessage int
	// Rate and Burst limit the frames a connection may send.
	Rate  rate.Limit
	Burst int
	// ResumeWindow is how many missed events a client may catch up on; a
	// client further behind is told to reload the board.
	ResumeWindow int64
	// Poll is the safety-net interval at which rooms read the log even
	// without a wake-up.
	Poll time.Duration
	// PresenceStale is when an instance's presence entries are ignored.
	PresenceStale time.Duration
	// Origins are the origins (scheme://host[:port]) whose pages may open
	// a socket: the platform's base URL.
	Origins []string
}

func (c *Config) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.SendQueue <= 0 {
		c.SendQueue = 64
	}
	def(&c.PingInterval, 25*time.Second)
	def(&c.PongWait, 60*time.Second)
	def(&c.WriteWait, 10*time.Second)
	def(&c.Poll, 5*time.Second)
	def(&c.PresenceStale, 90*time.Second)
	if c.MaxMessage <= 0 {
		c.MaxMessage = 4096
	}
	if c.Rate <= 0 {
		c.Rate, c.Burst = 20, 40
	}
	if c.ResumeWindow <= 0 {
		c.ResumeWindow = 500
	}
}

// Hub holds the rooms of one instance.
type Hub struct {
	cfg      Config
	labs     *labs.Service
	store    *store.Store
	log      *slog.Logger
	instance string
	upgrader websocket.Upgrader
	metrics  *hubMetrics

	mu     sync.Mutex
	rooms  map[int64]*room
	closed bool
	wg     sync.WaitGroup

	presence  *presence
	listening atomic.Bool
	listeners []Listener
}

// New builds a hub.
func New(cfg Config, svc *labs.Service, st *store.Store, log *slog.Logger) *Hub {
	cfg.defaults()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	h := &Hub{cfg: cfg, labs: svc, store: st, log: log, instance: hex.EncodeToString(b), rooms: map[int64]*room{}, metrics: newHubMetrics()}
	h.upgrader = websocket.Upgrader{
		ReadBufferSize:   1024,
		WriteBufferSize:  1024,
		WriteBufferPool:  &sync.Pool{},
		HandshakeTimeout: 10 * time.Second,
		CheckOrigin:      h.checkOrigin,
	}
	h.presence = newPresence(h)
	return h
}

// Collectors are the hub's Prometheus series.
func (h *Hub) Collectors() []prometheus.Collector { return h.metrics.collectors() }

// Instance identifies this instance in the presence table.
func (h *Hub) Instance() string { return h.instance }

// checkOrigin accepts browsers on this site only: the Origin must be one of
// the configured origins, scheme and host (with port) alike, so that
// neither another site nor the same host over plain http (or on another
// port) may open a socket with the visitor's cookie. The request's Host
// header is not trusted for this. Clients that send no Origin (not
// browsers) still need the session cookie.
func (h *Hub) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	got, ok := normalOrigin(origin)
	if !ok {
		return false
	}
	for _, o := range h.cfg.Origins {
		if want, ok := normalOrigin(o); ok && want == got {
			return true
		}
	}
	return false
}

// normalOrigin is scheme://host:port in lower case with the default port
// written out, so that equal origins compare equal.
func normalOrigin(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	scheme, port := strings.ToLower(u.Scheme), u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port, true
}

// Wake tells the room of a board that its log grew up to seq (a hint from
// NOTIFY): a room that has already delivered seq is left alone, which spares
// it a read of the log for every change made on this instance.
func (h *Hub) Wake(boardID, seq int64) {
	if r := h.room(boardID); r != nil && (seq <= 0 || seq > r.delivered.Load()) {
		r.poke()
	}
}

// Committed hands the room an event of this instance that has just
// committed, so the room can send it without reading it back from the log.
func (h *Hub) Committed(ev *app.BoardEvent) {
	r := h.room(ev.BoardID)
	if r == nil {
		return
	}
	select {
	case r.fresh <- *ev:
	default:
		r.poke() // the room is busy: it reads the log instead
	}
}

func (h *Hub) room(boardID int64) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[boardID]
}

// WakeAll makes every room read its log (after a reconnect of the listener).
func (h *Hub) WakeAll() {
	h.mu.Lock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		r.poke()
		r.presencePoke()
	}
}

// WakePresence tells a room that the people on its board changed.
func (h *Hub) WakePresence(boardID int64) {
	if r := h.room(boardID); r != nil {
		r.presencePoke()
	}
}

// join hands a connection to its board's room, starting the room if needed.
func (h *Hub) join(c *conn) bool {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return false
	}
	r := h.rooms[c.boardID]
	if r == nil {
		r = newRoom(h, c.boardID)
		h.rooms[c.boardID] = r
		h.wg.Add(1)
		go r.run()
	}
	r.pending++
	h.mu.Unlock()
	select {
	case r.joins <- c:
		return true
	case <-r.stop:
		return false
	}
}

// Run keeps presence alive until ctx ends; the platform runs it.
func (h *Hub) Run(ctx context.Context) {
	h.presence.run(ctx)
}

// Close disconnects every client ("going away": they reconnect to another
// instance or after the restart) and stops the rooms.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	h.mu.Unlock()
	for _, r := range rooms {
		close(r.stop)
	}
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		h.log.Warn("realtime: rooms did not stop in time")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = h.store.ClearPresence(ctx, h.instance)
}

// Stats are the current numbers of rooms and connections (benchmarks).
type Stats struct {
	Rooms       int
	Connections int64
	Dropped     int64
}

// Stats reports rooms and connections.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Stats{Rooms: len(h.rooms), Connections: h.metrics.open.Load(), Dropped: h.metrics.drops.Load()}
}
