package auth

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// TestPasswordChecksAtOnceKeepMemoryBounded: every Argon2id computation
// holds 19 MiB while it runs. Sixteen logins arriving together (a
// registration opening, a login storm) used to hold 16 × 19 MiB at once,
// enough to push a pod over its memory limit; only as many run at once as
// there are cores to run them, so the others wait instead of allocating.
func TestPasswordChecksAtOnceKeepMemoryBounded(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	encoded, err := HashPassword("richtig-langes-passwort")
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	before := heapObjects()

	const logins = 16
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		for {
			if h := heapObjects(); h > max {
				max = h
			}
			select {
			case <-stop:
				peak <- max
				return
			case <-time.After(200 * time.Microsecond):
			}
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < logins; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := CheckPassword(encoded, "richtig-langes-passwort"); !ok || err != nil {
				t.Errorf("check: %v %v", ok, err)
			}
		}()
	}
	wg.Wait()
	close(stop)
	grew := (<-peak - before) >> 20

	// Two at once hold 38 MiB; with the garbage of those done before the
	// next collection, the heap may reach about twice that. Eight at once
	// would be 152 MiB.
	const limit = 8 * argonMemory >> 10
	t.Logf("%d checks at once on 2 cores: heap grew by at most %d MiB", logins, grew)
	if grew >= limit {
		t.Errorf("%d password checks at once grew the heap by %d MiB, want < %d MiB", logins, grew, limit)
	}
}

// heapObjects is the memory of heap objects, live or not yet collected.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
