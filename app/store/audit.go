package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

type auditHead struct {
	ID       int
	LastID   int64
	LastHash string
}

func (auditHead) TableName() string { return "audit_head" }

// AppendAudit adds an entry to the hash-chained audit log. It joins the
// caller's transaction when there is one, so the entry exists exactly when
// the audited change does. Appends serialise on the audit_head row.
func (s *Store) AppendAudit(ctx context.Context, ev app.AuditEvent) error {
	details := "{}"
	if len(ev.Details) > 0 {
		b, err := json.Marshal(ev.Details)
		if err != nil {
			return app.Internal(err)
		}
		details = string(b)
	}
	return s.Tx(ctx, func(tx *Store) error {
		// The no-op update takes the row lock before the head is read.
		if err := tx.q(ctx).Exec("UPDATE audit_head SET last_id = last_id WHERE id = 1").Error; err != nil {
			return tx.err(err)
		}
		var head auditHead
		if err := tx.q(ctx).First(&head, 1).Error; err != nil {
			return tx.err(err)
		}
		e := app.AuditEntry{
			ID: head.LastID + 1, At: tx.Now(), Action: ev.Action,
			ObjectType: ev.ObjectType, ObjectID: ev.ObjectID, Details: details, PrevHash: head.LastHash,
		}
		if ev.Actor != nil {
			id := ev.Actor.ID
			e.ActorID, e.ActorRole = &id, string(ev.Actor.Role)
		}
		e.Hash = AuditHash(e)
		if err := tx.q(ctx).Create(&e).Error; err != nil {
			return tx.err(err)
		}
		return tx.err(tx.q(ctx).Model(&auditHead{}).Where("id = 1").
			Updates(map[string]any{"last_id": e.ID, "last_hash": e.Hash}).Error)
	})
}

// AuditHash is the SHA-256 over an entry's fields and its predecessor's hash,
// in a fixed, documented order (docs/operations.md).
func AuditHash(e app.AuditEntry) string {
	actor := ""
	if e.ActorID != nil {
		actor = strconv.FormatInt(*e.ActorID, 10)
	}
	h := sha256.New()
	for _, field := range []string{
		strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339Nano), actor, e.ActorRole,
		e.Action, e.ObjectType, e.ObjectID, e.Details, e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s\n", len(field), field)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditBreak describes the first entry at which the chain does not hold.
type AuditBreak struct {
	ID     int64
	Reason string
}

// VerifyAudit walks the whole log in order and returns the number of entries
// checked and the first broken entry, if any.
func (s *Store) VerifyAudit(ctx context.Context) (int64, *AuditBreak, error) {
	var (
		checked  int64
		prevHash string
		prevID   int64
		broken   *AuditBreak
	)
	const batch = 1000
	for broken == nil {
		var rows []app.AuditEntry
		if err := s.q(ctx).Where("id > ?", prevID).Order("id").Limit(batch).Find(&rows).Error; err != nil {
			return checked, nil, s.err(err)
		}
		for _, e := range rows {
			switch {
			case e.ID != prevID+1:
				broken = &AuditBreak{ID: prevID + 1, Reason: fmt.Sprintf("entry %d is missing", prevID+1)}
			case e.PrevHash != prevHash:
				broken = &AuditBreak{ID: e.ID, Reason: "prev_hash does not match the previous entry"}
			case AuditHash(e) != e.Hash:
				broken = &AuditBreak{ID: e.ID, Reason: "content does not match its hash"}
			}
			if broken != nil {
				break
			}
			checked++
			prevID, prevHash = e.ID, e.Hash
		}
		if len(rows) < batch {
			break
		}
	}
	if broken == nil {
		var head auditHead
		if err := s.q(ctx).First(&head, 1).Error; err != nil {
			return checked, nil, s.err(err)
		}
		if head.LastID != prevID || head.LastHash != prevHash {
			broken = &AuditBreak{ID: prevID + 1, Reason: fmt.Sprintf("the log ends at entry %d but %d entries were written", prevID, head.LastID)}
		}
	}
	return checked, broken, nil
}

// AuditFilter narrows the audit log view.
type AuditFilter struct {
	Action     string
	ObjectType string
	ObjectID   string
	ActorID    int64
	From, To   *time.Time // at in [From, To)
	Page       int
	PerPage    int
}

// ListAudit returns a page of audit entries, newest first.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]app.AuditEntry, int64, error) {
	q := s.q(ctx).Model(&app.AuditEntry{})
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.From != nil {
		q = q.Where("at >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("at < ?", *f.To)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	var out []app.AuditEntry
	err := paginate(q.Order("id DESC"), f.Page, f.PerPage).Find(&out).Error
	return out, total, s.err(err)
}
