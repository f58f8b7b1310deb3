package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

type auditHead struct {
	ID       int
	LastID   int64
	LastHash string
	KeyID    string
}

func (auditHead) TableName() string { return "audit_head" }

// AppendAudit adds an entry to the keyed hash chain of the audit log. It
// joins the caller's transaction when there is one, so the entry exists
// exactly when the audited change does. Appends serialise on the audit_head
// row. When the audit key changed since the last entry, a rotation entry
// comes first.
func (s *Store) AppendAudit(ctx context.Context, ev app.AuditEvent) error {
	return s.appendAudit(ctx, &ev)
}

func (s *Store) appendAudit(ctx context.Context, ev *app.AuditEvent) error {
	return s.Tx(ctx, func(tx *Store) error {
		// The no-op update takes the row lock before the head is read.
		if err := tx.q(ctx).Exec("UPDATE audit_head SET last_id = last_id WHERE id = 1").Error; err != nil {
			return tx.err(err)
		}
		var head auditHead
		if err := tx.q(ctx).First(&head, 1).Error; err != nil {
			return tx.err(err)
		}
		key, err := tx.currentAuditKey(ctx)
		if err != nil {
			return err
		}
		if head.KeyID != key.ID && head.LastID > 0 {
			rotation := app.AuditEvent{Action: app.AuditKeyRotated, ObjectType: "audit_key", ObjectID: key.ID,
				Details: map[string]any{"from": head.KeyID, "to": key.ID}}
			if head, err = tx.writeAudit(ctx, head, key, rotation); err != nil {
				return err
			}
		}
		if ev != nil {
			_, err = tx.writeAudit(ctx, head, key, *ev)
		}
		return err
	})
}

// writeAudit writes the entry after head and moves the head onto it.
func (s *Store) writeAudit(ctx context.Context, head auditHead, key AuditKey, ev app.AuditEvent) (auditHead, error) {
	details := "{}"
	if len(ev.Details) > 0 {
		b, err := json.Marshal(ev.Details)
		if err != nil {
			return head, app.Internal(err)
		}
		details = string(b)
	}
	e := app.AuditEntry{
		ID: head.LastID + 1, At: s.Now(), Action: ev.Action, ObjectType: ev.ObjectType, ObjectID: ev.ObjectID,
		Details: details, PrevHash: head.LastHash, KeyID: key.ID,
	}
	if ev.Actor != nil {
		id := ev.Actor.ID
		e.ActorID, e.ActorRole = &id, string(ev.Actor.Role)
	}
	e.Hash = key.mac(auditText(e))
	if err := s.q(ctx).Create(&e).Error; err != nil {
		return head, s.err(err)
	}
	next := auditHead{ID: 1, LastID: e.ID, LastHash: e.Hash, KeyID: key.ID}
	err := s.q(ctx).Model(&auditHead{}).Where("id = 1").
		Updates(map[string]any{"last_id": next.LastID, "last_hash": next.LastHash, "key_id": next.KeyID}).Error
	return next, s.err(err)
}

// auditText is what an entry's hash covers, in a fixed, documented order
// (docs/operations.md): each field as its length, a colon, the field and a
// newline. Keyed entries add their key id as the last field.
func auditText(e app.AuditEntry) string {
	actor := ""
	if e.ActorID != nil {
		actor = strconv.FormatInt(*e.ActorID, 10)
	}
	fields := []string{
		strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339Nano), actor, e.ActorRole,
		e.Action, e.ObjectType, e.ObjectID, e.Details, e.PrevHash,
	}
	if e.KeyID != "" {
		fields = append(fields, e.KeyID)
	}
	var b strings.Builder
	for _, field := range fields {
		fmt.Fprintf(&b, "%d:%s\n", len(field), field)
	}
	return b.String()
}

// legacyAuditHash is the unkeyed SHA-256 of the entries written before the
// chain was keyed.
func legacyAuditHash(e app.AuditEntry) string {
	sum := sha256.Sum256([]byte(auditText(e)))
	return hex.EncodeToString(sum[:])
}

// AuditBreak describes the first entry at which the chain does not hold.
type AuditBreak struct {
	ID     int64
	Reason string
}

// VerifyAudit walks the whole log in order and returns the number of entries
// checked and the first broken entry, if any.
func (s *Store) VerifyAudit(ctx context.Context) (int64, *AuditBreak, error) {
	return s.VerifyAuditAgainst(ctx, nil)
}

// VerifyAuditAgainst is VerifyAudit that also checks the log against a head
// exported earlier (AuditHead): the entry it names must still be there,
// unchanged, so that cutting off the newest entries is noticed even by
// someone who rewound audit_head.
func (s *Store) VerifyAuditAgainst(ctx context.Context, exported *SignedAuditHead) (int64, *AuditBreak, error) {
	if exported != nil {
		ok, err := s.checkHeadSignature(ctx, exported)
		if err != nil {
			return 0, nil, err
		}
		if !ok {
			return 0, &AuditBreak{ID: exported.LastID, Reason: "the exported head's signature does not match (another key, or the file was changed)"}, nil
		}
	}
	v := auditVerifier{s: s, ctx: ctx}
	const batch = 1000
	for v.broken == nil {
		var rows []app.AuditEntry
		if err := s.q(ctx).Where("id > ?", v.prevID).Order("id").Limit(batch).Find(&rows).Error; err != nil {
			return v.checked, nil, s.err(err)
		}
		for _, e := range rows {
			if err := v.check(e, exported); err != nil {
				return v.checked, nil, err
			}
			if v.broken != nil {
				break
			}
		}
		if len(rows) < batch {
			break
		}
	}
	if v.broken != nil {
		return v.checked, v.broken, nil
	}
	var head auditHead
	if err := s.q(ctx).First(&head, 1).Error; err != nil {
		return v.checked, nil, s.err(err)
	}
	switch {
	case head.LastID != v.prevID || head.LastHash != v.prevHash:
		v.broken = &AuditBreak{ID: v.prevID + 1, Reason: fmt.Sprintf("the log ends at entry %d but %d entries were written", v.prevID, head.LastID)}
	case v.checked > 0 && v.prevKey == "":
		v.broken = &AuditBreak{ID: v.prevID, Reason: "the newest entries carry no key: start the platform once to key the chain"}
	case exported != nil && !v.sawExported:
		v.broken = &AuditBreak{ID: v.prevID + 1, Reason: fmt.Sprintf("the log ends at entry %d, but the exported head names entry %d: entries were removed", v.prevID, exported.LastID)}
	}
	return v.checked, v.broken, nil
}

// auditVerifier walks the chain entry by entry.
type auditVerifier struct {
	s           *Store
	ctx         context.Context
	checked     int64
	prevID      int64
	prevHash    string
	prevKey     string
	sawExported bool
	broken      *AuditBreak
}

func (v *auditVerifier) check(e app.AuditEntry, exported *SignedAuditHead) error {
	fail := func(id int64, reason string) { v.broken = &AuditBreak{ID: id, Reason: reason} }
	switch {
	case e.ID != v.prevID+1:
		fail(v.prevID+1, fmt.Sprintf("entry %d is missing", v.prevID+1))
		return nil
	case e.PrevHash != v.prevHash:
		fail(e.ID, "prev_hash does not match the previous entry")
		return nil
	}
	if e.KeyID == "" {
		if v.prevKey != "" {
			fail(e.ID, "an entry without key follows keyed entries")
		} else if legacyAuditHash(e) != e.Hash {
			fail(e.ID, "content does not match its hash")
		}
	} else {
		key, ok, err := v.s.auditKeyByID(v.ctx, e.KeyID)
		switch {
		case err != nil:
			return err
		case !ok:
			fail(e.ID, fmt.Sprintf("written with audit key %s, which is not configured (MITWIRKEN_AUDIT_KEY)", e.KeyID))
		case !hmac.Equal([]byte(key.mac(auditText(e))), []byte(e.Hash)):
			fail(e.ID, "content does not match its keyed hash")
		case e.KeyID != v.prevKey && v.prevKey != "" && !isRotationTo(e, e.KeyID):
			fail(e.ID, "the key changes without a rotation entry")
		}
	}
	if v.broken != nil {
		return nil
	}
	if exported != nil && e.ID == exported.LastID {
		if e.Hash != exported.LastHash {
			fail(e.ID, "the entry named by the exported head was changed")
			return nil
		}
		v.sawExported = true
	}
	v.checked++
	v.prevID, v.prevHash, v.prevKey = e.ID, e.Hash, e.KeyID
	return nil
}

func isRotationTo(e app.AuditEntry, key string) bool {
	var d struct {
		To string `json:"to"`
	}
	return e.Action == app.AuditKeyRotated && json.Unmarshal([]byte(e.Details), &d) == nil && d.To == key
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
