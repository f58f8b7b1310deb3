package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// Rounds lists the rounds, newest first.
func (s *Store) Rounds(ctx context.Context) ([]*app.Round, error) {
	var out []*app.Round
	return out, s.err(s.q(ctx).Order("id DESC").Find(&out).Error)
}

// RoundByID loads a round.
func (s *Store) RoundByID(ctx context.Context, id int64) (*app.Round, error) {
	var r app.Round
	if err := s.q(ctx).First(&r, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &r, nil
}

// StartRound creates a round and puts every assigned, unpublished
// assessment that is in no round yet into it. It returns the round and how
// many it took. Audited.
func (s *Store) StartRound(ctx context.Context, actor *app.User, in app.RoundInput) (*app.Round, int64, error) {
	in.Clean()
	if err := in.Validate(); err != nil {
		return nil, 0, err
	}
	var r *app.Round
	var n int64
	err := s.Tx(ctx, func(tx *Store) error {
		now := tx.Now()
		r = &app.Round{Name: in.Name, Deadline: in.Deadline, CreatedAt: now, UpdatedAt: now}
		if actor != nil {
			r.CreatedBy = &actor.ID
		}
		if err := tx.q(ctx).Create(r).Error; err != nil {
			return tx.err(err)
		}
		res := tx.q(ctx).Model(&app.Assessment{}).
			Where("round_id IS NULL AND lead_fachamt_id IS NOT NULL AND state <> ?", app.StatePublished).
			Updates(map[string]any{"round_id": r.ID, "version": gorm.Expr("version + 1"), "updated_at": now})
		if res.Error != nil {
			return tx.err(res.Error)
		}
		n = res.RowsAffected
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditRound, ObjectType: "round", ObjectID: itoa(r.ID),
			Details: map[string]any{"deadline": r.Deadline, "assessments": n}})
	})
	return r, n, err
}

// roundDeadline is the deadline of one Fachamt's batch.
type roundDeadline struct {
	RoundID   int64
	FachamtID int64
	Deadline  string
}

func (roundDeadline) TableName() string { return "round_deadlines" }

// SetRoundDeadline gives one Fachamt's batch its own deadline ("" returns
// it to the round's). Audited.
func (s *Store) SetRoundDeadline(ctx context.Context, actor *app.User, roundID int64, in app.DeadlineInput) error {
	in.Clean()
	if err := in.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		if _, err := tx.RoundByID(ctx, roundID); err != nil {
			return err
		}
		f, err := tx.FachamtByShort(ctx, in.Fachamt)
		if app.ErrorCode(err) == app.CodeNotFound {
			return app.FieldInvalid("fachamt", "abwaegung.fachamt_unknown")
		}
		if err != nil {
			return err
		}
		if err := tx.q(ctx).Where("round_id = ? AND fachamt_id = ?", roundID, f.ID).Delete(&roundDeadline{}).Error; err != nil {
			return tx.err(err)
		}
		if in.Deadline != "" {
			if err := tx.q(ctx).Create(&roundDeadline{RoundID: roundID, FachamtID: f.ID, Deadline: in.Deadline}).Error; err != nil {
				return tx.err(err)
			}
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditRound, ObjectType: "round", ObjectID: itoa(roundID),
			Details: map[string]any{"fachamt": f.Short, "deadline": in.Deadline}})
	})
}

// Batch is one Fachamt's part of a round: its deadline and how many of its
// assessments (as lead) are still with the Fachamt.
type Batch struct {
	RoundID   int64
	RoundName string
	FachamtID int64
	Short     string
	Name      string
	Deadline  string
	Total     int
	Open      int // open, drafted or cosigned: the Fachamt's work
}

// Batches lists the batches of a round (roundID 0: of every round), by
// Fachamt.
func (s *Store) Batches(ctx context.Context, roundID int64) ([]*Batch, error) {
	q := s.q(ctx).Table("assessments a").
		Select(`a.round_id, r.name AS round_name, a.lead_fachamt_id AS fachamt_id, f.short, f.name,
			COALESCE(rd.deadline, r.deadline) AS deadline, COUNT(*) AS total,
			SUM(CASE WHEN a.state IN ('open', 'drafted', 'cosigned') THEN 1 ELSE 0 END) AS open`).
		Joins("JOIN assessment_rounds r ON r.id = a.round_id").
		Joins("JOIN fachaemter f ON f.id = a.lead_fachamt_id").
		Joins("JOIN contributions c ON c.id = a.contribution_id AND c.status = ? AND c.duplicate_of IS NULL", app.StatusPublished).
		Joins("LEFT JOIN round_deadlines rd ON rd.round_id = a.round_id AND rd.fachamt_id = a.lead_fachamt_id")
	if roundID != 0 {
		q = q.Where("a.round_id = ?", roundID)
	}
	var out []*Batch
	err := q.Group("a.round_id, r.name, a.lead_fachamt_id, f.short, f.name, rd.deadline, r.deadline").
		Order("a.round_id, lower(f.short)").Scan(&out).Error
	return out, s.err(err)
}

// ClaimReminder records that the reminder kind of a batch is sent; only one
// caller on any instance wins. Call it in the transaction that queues the
// mails, so that a failure gives the claim back.
func (s *Store) ClaimRoundReminder(ctx context.Context, roundID, fachamtID int64, kind string, open int) (bool, error) {
	res := s.q(ctx).Exec(insertIgnore("round_reminders", "round_id, fachamt_id, kind, sent_at, open_count", "?, ?, ?, ?, ?", "round_id, fachamt_id, kind"),
		roundID, fachamtID, kind, s.Now(), open)
	return res.RowsAffected == 1, s.err(res.Error)
}

// CountRoundReminders counts the reminders sent (for tests and the round page).
func (s *Store) CountRoundReminders(ctx context.Context, roundID int64) (int64, error) {
	var n int64
	err := s.q(ctx).Table("round_reminders").Where("round_id = ?", roundID).Count(&n).Error
	return n, s.err(err)
}

// RoundProgress are the facts of a burn-down: when each assessment of the
// round was published (nil: not yet).
func (s *Store) RoundProgress(ctx context.Context, roundID int64) ([]*time.Time, error) {
	var rows []struct{ PublishedAt *time.Time }
	err := s.q(ctx).Table("assessments a").Select("a.published_at").Joins("JOIN contributions c ON c.id = a.contribution_id").
		Where("a.round_id = ? AND c.status = ? AND c.duplicate_of IS NULL", roundID, app.StatusPublished).
		Scan(&rows).Error
	out := make([]*time.Time, len(rows))
	for i, r := range rows {
		out[i] = r.PublishedAt
	}
	return out, s.err(err)
}
