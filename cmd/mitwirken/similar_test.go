package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSimilarCommands: `similar status` counts what waits for the index,
// `similar reindex` catches up, `--all` recomputes everything.
func TestSimilarCommands(t *testing.T) {
	url := testenv.DatabaseURL(t)
	t.Setenv("MITWIRKEN_DATABASE_URL", url)
	s := openTestStore(t, url)
	ctx := context.Background()
	if err := seed.Demo(ctx, s, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := seed.Contributions(ctx, s, 30, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Gorm().Exec("DELETE FROM similar_fingerprints").Error; err != nil {
		t.Fatal(err)
	}
	total, err := s.SimilarBacklog(ctx)
	if err != nil || total < 30 {
		t.Fatalf("backlog %d, %v", total, err)
	}
	if r := runCLI(t, "", "similar", "status"); r.err != nil || !strings.Contains(r.stdout, itoa64(total)+" Beiträge warten") {
		t.Fatalf("status: %v %q", r.err, r.stdout)
	}
	if r := runCLI(t, "", "similar", "reindex"); r.err != nil || !strings.Contains(r.stdout, itoa64(total)+" Beiträge indiziert") {
		t.Fatalf("reindex: %v %q %q", r.err, r.stdout, r.stderr)
	}
	if r := runCLI(t, "", "similar", "status"); !strings.Contains(r.stdout, ": 0 Beiträge warten") {
		t.Fatalf("status after reindex: %q", r.stdout)
	}
	if r := runCLI(t, "", "similar", "reindex", "--all"); r.err != nil || !strings.Contains(r.stdout, itoa64(total)+" Beiträge indiziert") {
		t.Fatalf("reindex --all: %v %q", r.err, r.stdout)
	}
	if r := runCLI(t, "", "similar"); r.err == nil {
		t.Fatal("`similar` without subcommand succeeded")
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
