package realtime

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// maxPresenceNames bounds the names in a presence frame; the count is exact.
const maxPresenceNames = 30

type presenceKey struct{ board, user int64 }

// presence keeps the board_presence table up to date for this instance:
// changes are written in batches, renewed while the instance lives and
// removed when it stops. Every instance reads the table to tell its clients
// who is on a board (logged-in people; readers without an account are not
// listed).
type presence struct {
	h      *Hub
	mu     sync.Mutex
	counts map[presenceKey]int
	dirty  map[presenceKey]bool
	kick   chan struct{}
}

func newPresence(h *Hub) *presence {
	return &presence{h: h, counts: map[presenceKey]int{}, dirty: map[presenceKey]bool{}, kick: make(chan struct{}, 1)}
}

func (p *presence) change(board, user int64, d int) {
	if user == 0 {
		return
	}
	k := presenceKey{board, user}
	p.mu.Lock()
	p.counts[k] += d
	if p.counts[k] <= 0 {
		delete(p.counts, k)
	}
	p.dirty[k] = true
	p.mu.Unlock()
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *presence) join(board, user int64)  { p.change(board, user, 1) }
func (p *presence) leave(board, user int64) { p.change(board, user, -1) }

func (p *presence) run(ctx context.Context) {
	touch := time.NewTicker(p.h.cfg.PresenceStale / 3)
	defer touch.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
			// Gather the changes of a short while into one write.
			select {
			case <-ctx.Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
			p.flush(ctx)
		case <-touch.C:
			if err := p.h.store.TouchPresence(ctx, p.h.instance); err != nil && ctx.Err() == nil {
				p.h.log.Warn("realtime: renew presence", "err", err)
			}
		}
	}
}

func (p *presence) flush(ctx context.Context) {
	p.mu.Lock()
	changes := make(map[presenceKey]int, len(p.dirty))
	for k := range p.dirty {
		changes[k] = p.counts[k]
	}
	p.dirty = map[presenceKey]bool{}
	p.mu.Unlock()
	boards := map[int64]bool{}
	for k, n := range changes {
		if err := p.h.store.SetPresence(ctx, k.board, k.user, p.h.instance, n); err != nil {
			if ctx.Err() == nil {
				p.h.log.Warn("realtime: write presence", "err", err)
			}
			return
		}
		boards[k.board] = true
	}
	for b := range boards {
		if err := p.h.store.NotifyPresence(ctx, b); err != nil && ctx.Err() == nil {
			p.h.log.Warn("realtime: notify presence", "err", err)
		}
		p.h.WakePresence(b)
	}
}

type presenceFrame struct {
	Type  string   `json:"type"`
	Count int      `json:"count"`
	Names []string `json:"names"`
}

// frame lists who is on the board now (no names on anonymous boards).
func (p *presence) frame(ctx context.Context, boardID int64) ([]byte, error) {
	b, err := p.h.store.BoardByID(ctx, boardID)
	if err != nil {
		return nil, err
	}
	users, err := p.h.store.BoardPresence(ctx, boardID, p.h.store.Now().Add(-p.h.cfg.PresenceStale))
	if err != nil {
		return nil, err
	}
	f := presenceFrame{Type: "presence", Count: len(users), Names: []string{}}
	if !b.Anonymous {
		for _, u := range users {
			if len(f.Names) == maxPresenceNames {
				break
			}
			if u.DisplayName != "" {
				f.Names = append(f.Names, u.DisplayName)
			}
		}
	}
	return json.Marshal(f)
}
