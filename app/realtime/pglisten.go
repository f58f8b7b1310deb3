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
	for _, ch := range []string{store.BoardNotifyChannel, store.PresenceNotifyChannel} {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return err
		}
	}
	connected()
	h.listening.Store(true)
	defer h.listening.Store(false)
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
		}
	}
}

// Listening reports whether the PostgreSQL listener is connected.
func (h *Hub) Listening() bool { return h.listening.Load() }
