package seed_test

import (
	"context"
	"sync"
	"testing"

	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestDemoSeedRunsConcurrently: two instances that start at once on an
// empty database both fill it with the demo (as replicas started together
// with MITWIRKEN_DEMO=true do), and the demo exists once.
func TestDemoSeedRunsConcurrently(t *testing.T) {
	url := testenv.DatabaseURL(t)
	apps := []*testenv.App{
		testenv.StartApp(t, testenv.WithDatabase(url), testenv.WithoutSMTP()),
		testenv.StartApp(t, testenv.WithDatabase(url), testenv.WithoutSMTP()),
	}
	ctx := context.Background()
	errs := make([]error, len(apps))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, a := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			de := a.Platform.I18n.Localizer("de")
			errs[i] = seed.Demo(ctx, a.Store, seed.Options{Events: a.Platform.Events, T: func(id string) string { return de.T(id) }})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i+1, err)
		}
	}
	// Run once more: a demo that exists once is left as it is.
	before, _ := apps[0].Store.CountUsers(ctx)
	de := apps[1].Platform.I18n.Localizer("de")
	if err := seed.Demo(ctx, apps[1].Store, seed.Options{Events: apps[1].Platform.Events, T: func(id string) string { return de.T(id) }}); err != nil {
		t.Fatal(err)
	}
	if after, _ := apps[0].Store.CountUsers(ctx); after != before || before < 6 {
		t.Fatalf("accounts after the concurrent seeding %d, after one more run %d", before, after)
	}
}
