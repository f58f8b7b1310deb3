package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// Export job statuses.
const (
	ExportQueued  = "queued"
	ExportRunning = "running"
	ExportDone    = "done"
	ExportFailed  = "failed"
)

// ExportStale is how long a running job may stay silent before another
// instance takes it over.
const ExportStale = 2 * time.Minute

// ExportJob is a background export (its file is in export_chunks).
type ExportJob struct {
	ID          int64
	Kind        string
	Format      string
	Filter      string
	Status      string
	RowsDone    int64
	RowsTotal   int64
	FileName    string
	Size        int64
	Error       string
	CreatedBy   *int64
	ClaimedBy   string
	HeartbeatAt *time.Time
	CreatedAt   time.Time
	StartedAt   *time.Time
	FinishedAt  *time.Time
}

// TableName keeps gorm on the table created by the migration.
func (ExportJob) TableName() string { return "export_jobs" }

// Percent is the progress in whole percent.
func (j *ExportJob) Percent() int64 {
	if j.Status == ExportDone {
		return 100
	}
	if j.RowsTotal <= 0 {
		return 0
	}
	return min(99, j.RowsDone*100/j.RowsTotal)
}

// Finished reports whether the job will not change any more.
func (j *ExportJob) Finished() bool { return j.Status == ExportDone || j.Status == ExportFailed }

type exportChunk struct {
	JobID int64
	Seq   int
	Data  []byte
}

func (exportChunk) TableName() string { return "export_chunks" }

// CreateExportJob queues a job.
func (s *Store) CreateExportJob(ctx context.Context, j *ExportJob) error {
	j.ID, j.Status, j.CreatedAt = 0, ExportQueued, s.Now()
	return s.err(s.q(ctx).Create(j).Error)
}

// ExportJobByID loads a job.
func (s *Store) ExportJobByID(ctx context.Context, id int64) (*ExportJob, error) {
	var j ExportJob
	if err := s.q(ctx).First(&j, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &j, nil
}

// RecentExportJobs lists the newest jobs.
func (s *Store) RecentExportJobs(ctx context.Context, limit int) ([]ExportJob, error) {
	var out []ExportJob
	err := s.q(ctx).Order("id DESC").Limit(limit).Find(&out).Error
	return out, s.err(err)
}

// ClaimExportJob gives the oldest queued job (or a running one whose
// instance went silent) to instance; nil when there is none. The
// conditional update makes sure only one instance wins.
func (s *Store) ClaimExportJob(ctx context.Context, instance string) (*ExportJob, error) {
	now := s.Now()
	stale := now.Add(-ExportStale)
	var cands []ExportJob
	err := s.q(ctx).Where("status = ? OR (status = ? AND heartbeat_at < ?)", ExportQueued, ExportRunning, stale).
		Order("id").Limit(3).Find(&cands).Error
	if err != nil {
		return nil, s.err(err)
	}
	for _, j := range cands {
		var won bool
		// The claim and the removal of a previous owner's chunks are one
		// transaction; AppendExportChunk locks the job row, so a previous
		// owner cannot add a chunk after they were removed.
		err := s.Tx(ctx, func(tx *Store) error {
			res := tx.q(ctx).Model(&ExportJob{}).
				Where("id = ? AND (status = ? OR (status = ? AND heartbeat_at < ?))", j.ID, ExportQueued, ExportRunning, stale).
				Updates(map[string]any{"status": ExportRunning, "claimed_by": instance, "heartbeat_at": now, "started_at": now, "rows_done": 0})
			if res.Error != nil {
				return tx.err(res.Error)
			}
			if res.RowsAffected != 1 {
				return nil
			}
			won = true
			return tx.err(tx.q(ctx).Where("job_id = ?", j.ID).Delete(&exportChunk{}).Error)
		})
		if err != nil {
			return nil, err
		}
		if won {
			return s.ExportJobByID(ctx, j.ID)
		}
	}
	return nil, nil
}

// ExportProgress records progress and the heartbeat of a running job; it
// reports false when the job was taken over by another instance.
func (s *Store) ExportProgress(ctx context.Context, id int64, instance string, done, total int64) (bool, error) {
	res := s.q(ctx).Model(&ExportJob{}).Where("id = ? AND status = ? AND claimed_by = ?", id, ExportRunning, instance).
		Updates(map[string]any{"rows_done": done, "rows_total": total, "heartbeat_at": s.Now()})
	return res.RowsAffected == 1, s.err(res.Error)
}

// ErrExportTakenOver is returned to an instance whose running job was
// taken over by another instance (or put back into the queue).
var ErrExportTakenOver = &app.Error{Code: app.CodeConflict, Msg: app.M("error.conflict")}

// AppendExportChunk stores the next piece of a job's file, but only while
// the job is still running on instance; otherwise ErrExportTakenOver. The
// job row is locked for the insert so that a takeover (which deletes the
// chunks) happens either before (refused here) or after (chunk deleted).
func (s *Store) AppendExportChunk(ctx context.Context, id int64, instance string, seq int, data []byte) error {
	return s.Tx(ctx, func(tx *Store) error {
		lock := ""
		if tx.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		var mine []int64
		err := tx.scanRaw(ctx, &mine, "SELECT id FROM export_jobs WHERE id = ? AND status = ? AND claimed_by = ?"+lock, id, ExportRunning, instance)
		if err != nil {
			return tx.err(err)
		}
		if len(mine) == 0 {
			return ErrExportTakenOver
		}
		return tx.err(tx.q(ctx).Create(&exportChunk{JobID: id, Seq: seq, Data: data}).Error)
	})
}

// ReleaseExportJob puts a job that instance is running back into the queue
// (the instance is shutting down), so that another instance runs it. Its
// chunks are removed when it is claimed again.
func (s *Store) ReleaseExportJob(ctx context.Context, id int64, instance string) error {
	return s.err(s.q(ctx).Model(&ExportJob{}).Where("id = ? AND status = ? AND claimed_by = ?", id, ExportRunning, instance).
		Updates(map[string]any{"status": ExportQueued, "claimed_by": "", "heartbeat_at": nil, "started_at": nil, "rows_done": 0}).Error)
}

// FinishExportJob marks a job done (err nil) or failed.
func (s *Store) FinishExportJob(ctx context.Context, id int64, instance, fileName string, size, rows int64, jobErr error) error {
	now := s.Now()
	upd := map[string]any{"finished_at": now, "heartbeat_at": now}
	if jobErr != nil {
		upd["status"], upd["error"] = ExportFailed, string(app.ErrorCode(jobErr))
	} else {
		upd["status"], upd["file_name"], upd["size"], upd["rows_done"], upd["rows_total"] = ExportDone, fileName, size, rows, rows
	}
	return s.err(s.q(ctx).Model(&ExportJob{}).Where("id = ? AND status = ? AND claimed_by = ?", id, ExportRunning, instance).Updates(upd).Error)
}

// EachExportChunk calls fn with the pieces of a finished job's file in
// order, one at a time.
func (s *Store) EachExportChunk(ctx context.Context, id int64, fn func([]byte) error) error {
	for seq := 0; ; seq++ {
		var c exportChunk
		err := s.q(ctx).Where("job_id = ? AND seq = ?", id, seq).Take(&c).Error
		if err == gorm.ErrRecordNotFound {
			return nil
		}
		if err != nil {
			return s.err(err)
		}
		if err := fn(c.Data); err != nil {
			return err
		}
	}
}

// PurgeExportJobs deletes jobs (and files) older than age.
func (s *Store) PurgeExportJobs(ctx context.Context, age time.Duration) error {
	return s.deleteExportJobs(ctx, "created_at < ?", s.Now().Add(-age))
}

// eraseExportFiles deletes the stored files of finished exports when an
// account is erased: they hold every author's pseudonym as it was, the
// erased one included. Admins export again when they need the file.
func (s *Store) eraseExportFiles() func(context.Context) error {
	return func(ctx context.Context) error {
		return s.deleteExportJobs(ctx, "status IN ?", []string{ExportDone, ExportFailed})
	}
}

func (s *Store) deleteExportJobs(ctx context.Context, where string, args ...any) error {
	return s.Tx(ctx, func(tx *Store) error {
		sub := tx.q(ctx).Model(&ExportJob{}).Select("id").Where(where, args...)
		if err := tx.q(ctx).Where("job_id IN (?)", sub).Delete(&exportChunk{}).Error; err != nil {
			return tx.err(err)
		}
		return tx.err(tx.q(ctx).Where(where, args...).Delete(&ExportJob{}).Error)
	})
}
