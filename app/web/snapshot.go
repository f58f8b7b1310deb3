package web

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// snapshotMaxAge is how old the admin's figures and the audit check may get
// before a view starts computing new ones.
const snapshotMaxAge = 5 * time.Minute

// snapshot keeps the result of an expensive computation (the report's
// figures, the audit chain check) so that a page view does not pay for it:
// views show the last result with the time it was computed, and a view that
// finds it older than maxAge starts a new computation in the background.
// Only the very first view waits. Each instance keeps its own.
type snapshot[T any] struct {
	name    string
	maxAge  time.Duration
	now     func() time.Time
	compute func(context.Context) (T, error)
	log     *slog.Logger

	mu      sync.Mutex
	value   T
	at      time.Time
	has     bool
	running bool
}

func newSnapshot[T any](name string, now func() time.Time, log *slog.Logger, compute func(context.Context) (T, error)) *snapshot[T] {
	return &snapshot[T]{name: name, maxAge: snapshotMaxAge, now: now, compute: compute, log: log}
}

// get returns the latest result and when it was computed.
func (s *snapshot[T]) get(ctx context.Context) (T, time.Time, error) {
	s.mu.Lock()
	if !s.has {
		s.mu.Unlock()
		return s.refresh(ctx)
	}
	value, at := s.value, s.at
	if s.now().Sub(at) >= s.maxAge && !s.running {
		s.running = true
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			if _, _, err := s.refresh(ctx); err != nil {
				s.log.Warn("background computation failed", "what", s.name, "err", err)
			}
		}()
	}
	s.mu.Unlock()
	return value, at, nil
}

func (s *snapshot[T]) refresh(ctx context.Context) (T, time.Time, error) {
	at := s.now()
	value, err := s.compute(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running = false
	if err != nil {
		return value, at, err
	}
	if !s.has || !at.Before(s.at) {
		s.value, s.at, s.has = value, at, true
	}
	return s.value, s.at, nil
}
