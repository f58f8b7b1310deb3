package platform

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app/similar"
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

// indexSimilar indexes contributions that have no (current) fingerprint for
// similar contributions: those from before the feature, or all after a
// change of the method (similar.Version). New texts are indexed when they
// are written; this only catches up.
func (p *Platform) indexSimilar(ctx context.Context) {
	n, err := similar.IndexBacklog(ctx, p.Store, nil)
	if err != nil && ctx.Err() == nil {
		p.Log.Warn("index similar contributions", "err", err)
	}
	if n > 0 {
		p.Log.Info("similar contributions indexed", "count", n)
	}
}
