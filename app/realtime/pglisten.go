package realtime

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mitwirken/mitwirken/app/store"
)

// ListenPostgres keeps a dedicated connection that LISTENs for board and
// presence notifications of every instance and wakes the rooms. A
// notification only says "board 12 changed": the rooms read the log. After
// a lost connection it reconnects with backoff and wakes every room, which
// catches up from the log, so nothing is lost while it was away.
func (h *Hub) ListenPostgres(ctx context.Context, url string) {
	backoff := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := h.listenOnce(ctx, url, func() { backoff = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("realtime: PostgreSQL listener lost, reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		if backoff *= 2; backoff > 5*time.Second {
			backoff = 5 * time.Second
		}
	}
}

func (h *Hub) listenOnce(ctx context.Context, url string, connected func()) error {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, err := pgx.Connect(cctx, url)
	cancel()
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	channels := []string{store.BoardNotifyChannel, store.PresenceNotifyChannel}
	for _, l := range h.listeners {
		channels = append(channels, l.Channel)
	}
	for _, ch := range channels {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	connected()
	h.listening.Store(true)
	defer h.listening.Store(false)
	for _, l := range h.listeners {
		l.Listening(true)
		defer l.Listening(false)
	}
	// Whatever happened while we were not listening is in the log.
	h.WakeAll()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		switch n.Channel {
		case store.BoardNotifyChannel:
			idStr, seqStr, _ := strings.Cut(n.Payload, ":")
			id, err1 := strconv.ParseInt(idStr, 10, 64)
			seq, _ := strconv.ParseInt(seqStr, 10, 64)
			if err1 == nil {
				h.Wake(id, seq)
			}
		case store.PresenceNotifyChannel:
			if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
				h.WakePresence(id)
			}
		default:
			for _, l := range h.listeners {
				if l.Channel == n.Channel {
					l.Notify(n.Payload)
				}
			}
		}
	}
}

// Listener is another user of the hub's PostgreSQL connection: its channel
// is listened on as well, so that an instance needs one LISTEN session.
type Listener struct {
	Channel string
	Notify  func(payload string)
	// Listening is told when the connection is up (true) and lost (false):
	// notifications sent in between are not delivered.
	Listening func(on bool)
}

// AddListener listens on another channel; call it before ListenPostgres.
func (h *Hub) AddListener(l Listener) { h.listeners = append(h.listeners, l) }

// Listening reports whether the PostgreSQL listener is connected.
func (h *Hub) Listening() bool { return h.listening.Load() }
