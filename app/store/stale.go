package store

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// staleConns remembers when a PostgreSQL connection last failed, so that
// after a restart or failover the pool's other connections (all cut at the
// same moment) are checked before use instead of each failing a request.
// pgx checks a pooled connection only when it has been idle for more than
// a second; on a busy instance most of them never are.
type staleConns struct {
	lastFailure atomic.Int64 // unix nanoseconds, real time (pool idleness is real time too)
}

// failed records that a connection failed now.
func (c *staleConns) failed() { c.lastFailure.Store(time.Now().UnixNano()) }

// shouldPing is pgx's hook before a pooled connection is handed out: ping
// it when pgx would, or when it was last used before the last failure.
func (c *staleConns) shouldPing(_ context.Context, p stdlib.ShouldPingParams) bool {
	if p.IdleDuration > time.Second {
		return true
	}
	last := c.lastFailure.Load()
	return last != 0 && time.Now().Add(-p.IdleDuration).UnixNano() <= last
}
