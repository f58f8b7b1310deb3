package export_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app/export"
	"github.com/mitwirken/mitwirken/app/store"
)

func newRunner(f *fixture, instance string) *export.Jobs {
	j := export.NewJobs(f.svc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	j.Instance = instance
	return j
}

// silence makes a running job look like its instance went away.
func silence(t *testing.T, f *fixture, id int64) {
	t.Helper()
	if err := f.s.Gorm().Table("export_jobs").Where("id = ?", id).Update("heartbeat_at", time.Now().Add(-time.Hour)).Error; err != nil {
		t.Fatal(err)
	}
}

func jobFile(t *testing.T, f *fixture, id int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.s.EachExportChunk(context.Background(), id, func(b []byte) error { _, err := buf.Write(b); return err }); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An instance whose job was taken over stops and writes nothing more; the
// new owner's file is complete and not mixed with pieces of the old run.
func TestExportJobTakenOver(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	a, b := newRunner(f, "instanz-a"), newRunner(f, "instanz-b")
	queued, err := a.Enqueue(ctx, f.admin, export.FilterInput{Kind: export.KindContributions, Format: export.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	jobA, err := f.s.ClaimExportJob(ctx, a.Instance)
	if err != nil || jobA == nil || jobA.ID != queued.ID {
		t.Fatalf("claim by a: %v %v", jobA, err)
	}
	silence(t, f, jobA.ID)
	jobB, err := f.s.ClaimExportJob(ctx, b.Instance)
	if err != nil || jobB == nil || jobB.ID != queued.ID {
		t.Fatalf("takeover by b: %v %v", jobB, err)
	}

	// The old owner may not add pieces any more, the new one may.
	if err := f.s.AppendExportChunk(ctx, jobA.ID, a.Instance, 0, []byte("alt")); !errors.Is(err, store.ErrExportTakenOver) {
		t.Fatalf("append by the old owner: got %v, want ErrExportTakenOver", err)
	}
	if mine, err := f.s.ExportProgress(ctx, jobA.ID, a.Instance, 1, 2); err != nil || mine {
		t.Fatalf("progress by the old owner: mine=%v err=%v", mine, err)
	}

	// The old owner runs on (it has not noticed yet): it stops and leaves the job alone.
	a.RunJob(ctx, jobA)
	got, err := f.s.ExportJobByID(ctx, jobA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ExportRunning || got.ClaimedBy != b.Instance {
		t.Fatalf("after the old owner's run: status %q claimed by %q, want running by %q", got.Status, got.ClaimedBy, b.Instance)
	}
	if n := len(jobFile(t, f, jobA.ID)); n != 0 {
		t.Fatalf("old owner stored %d bytes", n)
	}

	b.RunJob(ctx, jobB)
	got, err = f.s.ExportJobByID(ctx, jobB.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ExportDone {
		t.Fatalf("new owner: status %q error %q", got.Status, got.Error)
	}
	file := jobFile(t, f, jobB.ID)
	if int64(len(file)) != got.Size || got.Size == 0 {
		t.Fatalf("file has %d bytes, job says %d", len(file), got.Size)
	}
	rows := readGermanCSV(t, file)
	if int64(len(rows)) < got.RowsDone {
		t.Fatalf("file has %d lines for %d rows", len(rows), got.RowsDone)
	}
}

// An instance that shuts down during an export puts the job back into the
// queue; another instance finishes it.
func TestExportJobShutdownRequeues(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	a, b := newRunner(f, "instanz-a"), newRunner(f, "instanz-b")
	if _, err := a.Enqueue(ctx, f.admin, export.FilterInput{Kind: export.KindContributions, Format: export.FormatCSV}); err != nil {
		t.Fatal(err)
	}
	job, err := f.s.ClaimExportJob(ctx, a.Instance)
	if err != nil || job == nil {
		t.Fatalf("claim: %v %v", job, err)
	}
	stopped, cancel := context.WithCancel(ctx)
	cancel()
	a.RunJob(stopped, job)
	got, err := f.s.ExportJobByID(ctx, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.ExportQueued || got.Error != "" {
		t.Fatalf("after shutdown: status %q error %q, want queued", got.Status, got.Error)
	}
	again, err := f.s.ClaimExportJob(ctx, b.Instance)
	if err != nil || again == nil || again.ID != job.ID {
		t.Fatalf("claim by b: %v %v", again, err)
	}
	b.RunJob(ctx, again)
	if got, err = f.s.ExportJobByID(ctx, job.ID); err != nil || got.Status != store.ExportDone {
		t.Fatalf("after b: %+v %v", got, err)
	}
}
