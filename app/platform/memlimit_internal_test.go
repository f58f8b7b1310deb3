package platform

import (
	"io"
	"log/slog"
	"math"
	"runtime/debug"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// In a container with a memory limit (the Kubernetes manifests give 512Mi)
// the collector's limit is 90 % of it; without one there is none; an
// operator's GOMEMLIMIT wins.
func TestMemoryLimitFollowsTheContainer(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	t.Setenv("GOMEMLIMIT", "")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	limit := float64(512 << 20)
	setMemoryLimit(memlimit.Limit(512<<20), log)
	if got, want := debug.SetMemoryLimit(-1), int64(0.9*limit); got != want {
		t.Errorf("container limit 512 MiB: GOMEMLIMIT %d MiB, want %d MiB", got>>20, want>>20)
	}

	setMemoryLimit(func() (uint64, error) { return 0, memlimit.ErrNoLimit }, log)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("no container limit: GOMEMLIMIT %d, want none", got)
	}

	t.Setenv("GOMEMLIMIT", "300MiB")
	debug.SetMemoryLimit(300 << 20) // as the runtime read it at start
	setMemoryLimit(memlimit.Limit(512<<20), log)
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Errorf("GOMEMLIMIT=300MiB set by the operator: %d MiB", got>>20)
	}
}
