package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"gorm.io/gorm/clause"
)

// AuditKey is a secret that keys the audit chain (HMAC-SHA-256). Its ID,
// derived from the secret, is stored with every entry so that a verifier
// knows which key to check it with; it reveals nothing useful about a
// random key.
type AuditKey struct {
	ID     string
	secret []byte
}

// NewAuditKey wraps a secret.
func NewAuditKey(secret []byte) AuditKey {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("mitwirken audit key id"))
	return AuditKey{ID: hex.EncodeToString(m.Sum(nil))[:16], secret: secret}
}

// auditKeySetting stores the key generated when MITWIRKEN_AUDIT_KEY is not
// set. It lives in the database it protects, so it only keys the chain
// against people who can write rows but not read settings; docs/operations.md
// says what that means.
const auditKeySetting = "audit_key"

// auditKeys are the keys of one store: the current one writes, all of them
// verify.
type auditKeys struct {
	mu         sync.Mutex
	configured []AuditKey // MITWIRKEN_AUDIT_KEY, current first
	stored     *AuditKey  // the generated key from the settings table
}

// UseAuditKeys sets the configured audit keys (the first writes new
// entries, the others verify older ones) and loads, or generates, the key
// kept in the database for installations without one. Call it once the
// schema is current, outside any transaction.
func (s *Store) UseAuditKeys(ctx context.Context, secrets [][]byte) error {
	s.audit.mu.Lock()
	s.audit.configured = nil
	for _, secret := range secrets {
		s.audit.configured = append(s.audit.configured, NewAuditKey(secret))
	}
	s.audit.mu.Unlock()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	v, err := s.EnsureSetting(ctx, auditKeySetting, hex.EncodeToString(b))
	if err != nil {
		return err
	}
	k := NewAuditKey([]byte(v))
	s.audit.mu.Lock()
	s.audit.stored = &k
	s.audit.mu.Unlock()
	return nil
}

// currentAuditKey is the key new entries are written with. A store whose
// keys were never set up (tools, tests) reads, or creates, the stored key
// through s, which may be a transaction: then the key is used but not
// remembered until it is known to be committed (the next call finds it).
func (s *Store) currentAuditKey(ctx context.Context) (AuditKey, error) {
	s.audit.mu.Lock()
	switch {
	case len(s.audit.configured) > 0:
		defer s.audit.mu.Unlock()
		return s.audit.configured[0], nil
	case s.audit.stored != nil:
		defer s.audit.mu.Unlock()
		return *s.audit.stored, nil
	}
	s.audit.mu.Unlock()
	var row setting
	err := s.q(ctx).Where("key = ?", auditKeySetting).Limit(1).Find(&row).Error
	if err != nil {
		return AuditKey{}, s.err(err)
	}
	if row.Value != "" {
		k := NewAuditKey([]byte(row.Value))
		s.audit.mu.Lock()
		s.audit.stored = &k
		s.audit.mu.Unlock()
		return k, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return AuditKey{}, err
	}
	if err := s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&setting{Key: auditKeySetting, Value: hex.EncodeToString(b)}).Error; err != nil {
		return AuditKey{}, s.err(err)
	}
	if err := s.q(ctx).Where("key = ?", auditKeySetting).First(&row).Error; err != nil {
		return AuditKey{}, s.err(err)
	}
	return NewAuditKey([]byte(row.Value)), nil
}

// auditKeyByID finds a key that verifies entries written with id.
func (s *Store) auditKeyByID(ctx context.Context, id string) (AuditKey, bool, error) {
	if _, err := s.currentAuditKey(ctx); err != nil {
		return AuditKey{}, false, err
	}
	s.audit.mu.Lock()
	defer s.audit.mu.Unlock()
	for _, k := range s.audit.configured {
		if k.ID == id {
			return k, true, nil
		}
	}
	if s.audit.stored != nil && s.audit.stored.ID == id {
		return *s.audit.stored, true, nil
	}
	return AuditKey{}, false, nil
}

// RotateAuditKey records a change of the audit key as an entry of its own,
// written with the new key, at start-up: from then on the verifier needs
// the new key for new entries and the old one for older entries. Nothing is
// written when the key is unchanged.
func (s *Store) RotateAuditKey(ctx context.Context) error {
	return s.appendAudit(ctx, nil)
}

func (k AuditKey) mac(text string) string {
	m := hmac.New(sha256.New, k.secret)
	m.Write([]byte(text))
	return hex.EncodeToString(m.Sum(nil))
}
