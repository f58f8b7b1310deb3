// Package pagecache keeps rendered pages for anonymous readers (issue 16):
// chapter, event and lab pages change only when their content changes, so
// most reads can be answered from memory with the bytes rendered before.
//
// A page is stored with the version of its scope at the moment its
// rendering started. A change of content moves the scope's version on in
// the transaction of the change (the triggers of migration 1200), which makes
// every page of the scope stale at once. Reading the version before loading
// the content means a page can be newer than its version, never older.
//
// On PostgreSQL the versions live in memory and move on when the listener
// hears the trigger's notification; while the listener is not connected
// nothing is served from the cache. On SQLite (one instance) the version is
// read from the database per request.
package pagecache

import (
	"context"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/maypok86/otter/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// Scope is a group of pages that the same tables feed.
type Scope string

// The scopes of migration 1200; All stands for changes every page shows
// (people's names, site texts).
const (
	Draft  Scope = "draft"
	Events Scope = "events"
	Labs   Scope = "labs"
	All    Scope = "all"
)

var scopes = []Scope{Draft, Events, Labs}

// Page is a rendered page as it is served again.
type Page struct {
	Body []byte
	// ETag is a strong validator of Body.
	ETag     string
	version  uint64
	rendered time.Time
}

// Config sets the cache up.
type Config struct {
	// MaxBytes bounds the memory of the stored pages; 0 turns the cache off.
	MaxBytes int64
	// TTL bounds how long a page is served without a change of content:
	// what a page shows also depends on the time (a comment period opens).
	TTL time.Duration
	// Now is the platform's clock.
	Now func() time.Time
	// StoredVersion reads a scope's version from the database (SQLite). Nil
	// means the versions are kept in memory and moved on by Changed.
	StoredVersion func(ctx context.Context, scope string) (int64, error)
}

// Cache holds the pages, weighed by their bytes.
type Cache struct {
	cfg      Config
	pages    *otter.Cache[string, *Page]
	versions map[Scope]*atomic.Uint64
	// listening: the notifications of other instances arrive (PostgreSQL).
	listening    atomic.Bool
	hits, misses atomic.Int64
}

// entryOverhead approximates what otter and the Page struct keep per page
// besides body and key.
const entryOverhead = 256

// New builds a cache; with MaxBytes 0 it is nil, which caches nothing.
func New(cfg Config) (*Cache, error) {
	if cfg.MaxBytes <= 0 {
		return nil, nil
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	pages, err := otter.New(&otter.Options[string, *Page]{
		MaximumWeight: uint64(cfg.MaxBytes),
		Weigher: func(key string, p *Page) uint32 {
			return uint32(min(len(key)+len(p.Body)+len(p.ETag)+entryOverhead, 1<<31))
		},
	})
	if err != nil {
		return nil, err
	}
	c := &Cache{cfg: cfg, pages: pages, versions: map[Scope]*atomic.Uint64{}}
	for _, s := range scopes {
		c.versions[s] = new(atomic.Uint64)
	}
	return c, nil
}

// Version is the current version of a scope, and whether pages of it may be
// served from and stored in the cache now.
func (c *Cache) Version(ctx context.Context, scope Scope) (uint64, bool) {
	if c == nil || c.versions[scope] == nil {
		return 0, false
	}
	if c.cfg.StoredVersion != nil {
		v, err := c.cfg.StoredVersion(ctx, string(scope))
		return uint64(v), err == nil
	}
	if !c.listening.Load() {
		return 0, false
	}
	return c.versions[scope].Load(), true
}

// Get is the page stored under key for version, or nil.
func (c *Cache) Get(key string, version uint64) *Page {
	p, ok := c.pages.GetIfPresent(key)
	if !ok || p.version != version || c.cfg.Now().Sub(p.rendered) >= c.cfg.TTL {
		c.misses.Add(1)
		return nil
	}
	c.hits.Add(1)
	return p
}

// Put stores a page rendered for version (read before its content was
// loaded) and returns it with its ETag.
func (c *Cache) Put(key string, version uint64, body []byte, rendered time.Time) *Page {
	p := &Page{Body: body, ETag: ETag(body), version: version, rendered: rendered}
	c.pages.Set(key, p)
	return p
}

// Now is the time a rendering starts at, by the platform's clock.
func (c *Cache) Now() time.Time { return c.cfg.Now() }

// ETag is the strong validator of a page's bytes.
func ETag(body []byte) string {
	return `"` + strconv.FormatUint(xxhash.Sum64(body), 36) + `"`
}

// Changed moves a scope's version on (the payload of a notification);
// All moves every scope.
func (c *Cache) Changed(scope string) {
	if c == nil {
		return
	}
	if v := c.versions[Scope(scope)]; v != nil {
		v.Add(1)
		return
	}
	if Scope(scope) == All {
		for _, v := range c.versions {
			v.Add(1)
		}
	}
}

// Listening tells the cache whether notifications arrive. Whatever changed
// while they did not is unknown, so (re)connecting makes every page stale.
func (c *Cache) Listening(on bool) {
	if c == nil {
		return
	}
	if on {
		c.Changed(string(All))
	}
	c.listening.Store(on)
}

// Stats are the cache's counters.
type Stats struct {
	Hits, Misses int64
	Pages        int
	Bytes        uint64
}

// Stats reports hits, misses and what is stored.
func (c *Cache) Stats() Stats {
	if c == nil {
		return Stats{}
	}
	return Stats{Hits: c.hits.Load(), Misses: c.misses.Load(), Pages: c.pages.EstimatedSize(), Bytes: c.pages.WeightedSize()}
}

// Collectors are the cache's Prometheus metrics: hits, misses, pages and
// bytes kept.
func (c *Cache) Collectors() []prometheus.Collector {
	counter := func(name, help string, v *atomic.Int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v.Load()) })
	}
	return []prometheus.Collector{
		counter("mitwirken_page_cache_hits_total", "Pages served from the page cache.", &c.hits),
		counter("mitwirken_page_cache_misses_total", "Cacheable requests that rendered the page.", &c.misses),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "mitwirken_page_cache_bytes", Help: "Weight of the stored pages."},
			func() float64 { return float64(c.pages.WeightedSize()) }),
	}
}
