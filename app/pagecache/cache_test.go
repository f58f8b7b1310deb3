package pagecache

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestStalePagesAreNotServed(t *testing.T) {
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	c, err := New(Config{MaxBytes: 1 << 20, TTL: 10 * time.Second, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, ok := c.Version(ctx, Draft); ok {
		t.Fatal("pages are cached before the listener is connected")
	}
	c.Listening(true)
	v, ok := c.Version(ctx, Draft)
	if !ok {
		t.Fatal("no version while listening")
	}
	p := c.Put("draft de /entwurf/wohnen", v, []byte("<p>Seite</p>"), now)
	if got := c.Get("draft de /entwurf/wohnen", v); got == nil || string(got.Body) != "<p>Seite</p>" || got.ETag != p.ETag || p.ETag == "" {
		t.Fatalf("stored page not served: %+v", got)
	}
	c.Changed("events")
	if c.Get("draft de /entwurf/wohnen", v) == nil {
		t.Error("a change of events made a chapter page stale")
	}
	c.Changed("draft")
	if v2, _ := c.Version(ctx, Draft); v2 == v || c.Get("draft de /entwurf/wohnen", v2) != nil {
		t.Error("a change of the draft left the chapter page current")
	}
	v, _ = c.Version(ctx, Labs)
	c.Put("labs de /labs/1", v, []byte("lab"), now)
	c.Changed("all")
	if v2, _ := c.Version(ctx, Labs); c.Get("labs de /labs/1", v2) != nil {
		t.Error("a change of every scope left the lab page current")
	}
	v, _ = c.Version(ctx, Events)
	c.Put("events de /veranstaltungen/1", v, []byte("event"), now)
	now = now.Add(10 * time.Second)
	if c.Get("events de /veranstaltungen/1", v) != nil {
		t.Error("a page older than the TTL was served")
	}
	c.Listening(false)
	if _, ok := c.Version(ctx, Events); ok {
		t.Error("pages are cached while the listener is down")
	}
}

func TestMemoryIsBoundedByBytes(t *testing.T) {
	const limit = 1 << 20
	c, err := New(Config{MaxBytes: limit, TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c.Listening(true)
	body := make([]byte, 100<<10)
	for i := 0; i < 100; i++ {
		c.Put(fmt.Sprintf("draft de /entwurf/k%d", i), 0, body, time.Now())
	}
	c.pages.CleanUp()
	if st := c.Stats(); st.Bytes > limit || st.Pages > 10 || st.Pages == 0 {
		t.Errorf("100 pages of 100 KiB in a 1 MiB cache: %d pages, %d bytes kept", st.Pages, st.Bytes)
	}
}

func TestOffWithoutMemory(t *testing.T) {
	c, err := New(Config{MaxBytes: 0})
	if err != nil || c != nil {
		t.Fatalf("size 0: %v, %v", c, err)
	}
	if _, ok := c.Version(context.Background(), Draft); ok {
		t.Error("a switched-off cache offers a version")
	}
}
