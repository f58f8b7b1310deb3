package platform

import (
	"time"

	"github.com/labstack/gommon/bytes"

	"github.com/mitwirken/mitwirken/app/pagecache"
	"github.com/mitwirken/mitwirken/app/realtime"
	"github.com/mitwirken/mitwirken/app/store"
)

// Defaults of MITWIRKEN_PAGE_CACHE_SIZE and _TTL.
const (
	defaultPageCacheSize = "64M"
	defaultPageCacheTTL  = 10 * time.Second
)

// buildPageCache prepares the cache of rendered pages for anonymous readers
// (issue 16). On PostgreSQL the hub's listener brings the other instances'
// changes; on SQLite the cache reads the version counters per request.
func (p *Platform) buildPageCache() error {
	size, ttl := p.Config.PageCacheSize, p.Config.PageCacheTTL
	if size == "" {
		size = defaultPageCacheSize
	}
	if ttl <= 0 {
		ttl = defaultPageCacheTTL
	}
	var maxBytes int64
	if size != "0" {
		var err error
		if maxBytes, err = bytes.Parse(size); err != nil {
			return err
		}
	}
	cfg := pagecache.Config{MaxBytes: maxBytes, TTL: ttl, Now: p.Store.Now}
	if p.Store.Dialect() == store.SQLite {
		cfg.StoredVersion = p.Store.PageVersion
	}
	var err error
	if p.Pages, err = pagecache.New(cfg); err != nil || p.Pages == nil {
		return err
	}
	p.Metrics.Register(p.Pages.Collectors()...)
	if p.Store.Dialect() == store.Postgres {
		p.Hub.AddListener(realtime.Listener{Channel: store.PageNotifyChannel, Notify: p.Pages.Changed, Listening: p.Pages.Listening})
	}
	return nil
}
