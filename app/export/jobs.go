package export

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// ChunkSize is the size of one stored piece of a finished export.
const ChunkSize = 1 << 20

// Jobs runs queued exports in the background. Every instance runs one; the
// database decides which instance takes a job (store.ClaimExportJob), and
// holds progress and the finished file, so any instance shows and serves it.
type Jobs struct {
	Service  *Service
	Log      *slog.Logger
	Instance string
	// Interval is how often the queue is checked without a wake-up.
	Interval time.Duration
	wake     chan struct{}
}

// NewJobs makes the runner of an instance.
func NewJobs(svc *Service, log *slog.Logger) *Jobs {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return &Jobs{Service: svc, Log: log, Instance: hex.EncodeToString(b), Interval: 2 * time.Second, wake: make(chan struct{}, 1)}
}

// Wake makes the runner look at the queue now.
func (j *Jobs) Wake() {
	select {
	case j.wake <- struct{}{}:
	default:
	}
}

// Enqueue checks the filter and queues an export for actor.
func (j *Jobs) Enqueue(ctx context.Context, actor *app.User, in FilterInput) (*store.ExportJob, error) {
	if _, err := in.Resolve(ctx, j.Service.Store); err != nil {
		return nil, err
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, app.Internal(err)
	}
	job := &store.ExportJob{Kind: in.Kind, Format: in.Format, Filter: string(b)}
	if actor != nil {
		job.CreatedBy = &actor.ID
	}
	if err := j.Service.Store.CreateExportJob(ctx, job); err != nil {
		return nil, err
	}
	j.Wake()
	return job, nil
}

// Run works through the queue until ctx ends.
func (j *Jobs) Run(ctx context.Context) {
	t := time.NewTicker(j.Interval)
	defer t.Stop()
	purged := time.Time{}
	for {
		for ctx.Err() == nil {
			job, err := j.Service.Store.ClaimExportJob(ctx, j.Instance)
			if err != nil {
				j.Log.Warn("export queue", "err", err)
				break
			}
			if job == nil {
				break
			}
			j.run(ctx, job)
		}
		if time.Since(purged) > time.Hour {
			purged = time.Now()
			if err := j.Service.Store.PurgeExportJobs(ctx, 7*24*time.Hour); err != nil && ctx.Err() == nil {
				j.Log.Warn("purge exports", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-j.wake:
		}
	}
}

func (j *Jobs) run(ctx context.Context, job *store.ExportJob) {
	st := j.Service.Store
	// runCtx ends when the instance shuts down or when the job turns out to
	// have been taken over by another instance.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	lost := false
	var in FilterInput
	err := json.Unmarshal([]byte(job.Filter), &in)
	var req Request
	if err == nil {
		req, err = in.Resolve(runCtx, st)
	}
	var actor *app.User
	if err == nil && job.CreatedBy != nil {
		actor, err = st.UserByID(runCtx, *job.CreatedBy)
	}
	w := &chunkWriter{ctx: runCtx, st: st, job: job.ID, instance: j.Instance, buf: make([]byte, 0, ChunkSize)}
	var rows int64
	if err == nil {
		rows, err = j.Service.Run(runCtx, actor, req, w, func(done, total int64) {
			mine, perr := st.ExportProgress(runCtx, job.ID, j.Instance, done, total)
			if perr != nil {
				if runCtx.Err() == nil {
					j.Log.Warn("export progress", "job", job.ID, "err", perr)
				}
				return
			}
			if !mine {
				lost = true
				stop()
			}
		})
	}
	if err == nil {
		err = w.flush()
	}
	switch {
	case lost || errors.Is(err, store.ErrExportTakenOver):
		// Another instance owns the job now; it writes the file.
		j.Log.Info("export taken over by another instance", "job", job.ID)
		return
	case err != nil && ctx.Err() != nil:
		// Shutting down: back into the queue for another instance (or this
		// one after the restart) instead of failing the admin's export.
		if rerr := st.ReleaseExportJob(context.WithoutCancel(ctx), job.ID, j.Instance); rerr != nil {
			j.Log.Error("release export", "job", job.ID, "err", rerr)
		}
		j.Log.Info("export put back into the queue", "job", job.ID)
		return
	case err != nil:
		j.Log.Error("export failed", "job", job.ID, "kind", job.Kind, "err", err)
	}
	if ferr := st.FinishExportJob(context.WithoutCancel(ctx), job.ID, j.Instance, FileName(job.Kind, job.Format, job.CreatedAt), w.size, rows, err); ferr != nil {
		j.Log.Error("finish export", "job", job.ID, "err", ferr)
	}
}

// chunkWriter stores what is written in pieces of ChunkSize.
type chunkWriter struct {
	ctx      context.Context
	st       *store.Store
	job      int64
	instance string
	seq      int
	buf      []byte
	size     int64
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), ChunkSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p = p[k:]
		if len(w.buf) == ChunkSize {
			if err := w.flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

func (w *chunkWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	if err := w.st.AppendExportChunk(w.ctx, w.job, w.instance, w.seq, w.buf); err != nil {
		return err
	}
	w.size += int64(len(w.buf))
	w.seq++
	w.buf = w.buf[:0]
	return nil
}
