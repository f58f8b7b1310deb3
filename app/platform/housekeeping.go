package platform

import (
	"context"
	"time"
)

// Retention periods, as stated in the privacy notice.
const (
	loginFailureRetention = 24 * time.Hour
	mailRetention         = 90 * 24 * time.Hour
)

// housekeeping deletes what the privacy notice promises to delete.
func (p *Platform) housekeeping(ctx context.Context) {
	now := p.Store.Now()
	if n, err := p.Store.PruneSessions(ctx); err != nil {
		p.Log.Warn("prune sessions", "err", err)
	} else if n > 0 {
		p.Log.Info("expired sessions deleted", "count", n)
	}
	if _, err := p.Store.PruneLoginFailures(ctx, now.Add(-loginFailureRetention)); err != nil {
		p.Log.Warn("prune login failures", "err", err)
	}
	if n, err := p.Store.PruneMail(ctx, now.Add(-mailRetention)); err != nil {
		p.Log.Warn("prune mail", "err", err)
	} else if n > 0 {
		p.Log.Info("old mails deleted", "count", n)
	}
}

// flushTokenUse writes when personal access tokens were last used; requests
// only note it in memory.
func (p *Platform) flushTokenUse(ctx context.Context) {
	if err := p.Store.FlushTokenUse(ctx); err != nil && ctx.Err() == nil {
		p.Log.Warn("record token use", "err", err)
	}
}
