package platform

import (
	"context"
	"net/url"
	"time"

	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/realtime"
	"github.com/mitwirken/mitwirken/app/store"
)

// buildLabs prepares future.labs: the service and the realtime hub that
// delivers the boards' event logs to websocket clients.
func (p *Platform) buildLabs(base *url.URL) {
	p.Labs = &labs.Service{Store: p.Store, Mail: p.Mail, WakeMail: p.Worker.Wake, Signer: p.Signer}
	p.Hub = realtime.New(realtime.Config{Origins: []string{base.Scheme + "://" + base.Host}}, p.Labs, p.Store, p.Log)
	p.Labs.OnChange = p.Hub.Committed
	p.Metrics.Register(p.Hub.Collectors()...)
}

// startLabs runs the hub's presence upkeep, the PostgreSQL listener that
// brings other instances' changes, and the pruning of old board events.
func (p *Platform) startLabs(ctx context.Context) {
	p.runEvery(ctx, 0, "realtime", p.Hub.Run)
	if p.Store.Dialect() == store.Postgres {
		p.runEvery(ctx, 0, "board-listener", func(ctx context.Context) { p.Hub.ListenPostgres(ctx, p.Store.URL()) })
	}
	p.runEvery(ctx, time.Hour, "board-events", func(ctx context.Context) {
		if n, err := p.Labs.PruneEvents(ctx); err != nil {
			p.Log.Warn("prune board events", "err", err)
		} else if n > 0 {
			p.Log.Info("old board events deleted", "count", n)
		}
	})
}
