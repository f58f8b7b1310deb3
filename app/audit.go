package app

import "time"

// AuditEntry is one line of the append-only audit log. Details must never
// hold personal data such as addresses: the log outlives accounts.
type AuditEntry struct {
	ID         int64
	At         time.Time
	ActorID    *int64
	ActorRole  string
	Action     string
	ObjectType string
	ObjectID   string
	Details    string
	PrevHash   string
	Hash       string
	// KeyID names the audit key whose HMAC Hash is ("" for the plain
	// SHA-256 entries written before the chain was keyed).
	KeyID string
}

// TableName keeps gorm on the table created by the migration.
func (AuditEntry) TableName() string { return "audit_log" }

// Audit actions of the foundation; features add their own ("event.checkin",
// "comment.reject", ...).
const (
	AuditRoleChange    = "user.role_change"
	AuditUserErase     = "user.erase"
	AuditContentUpdate = "content.update"
	AuditTokenCreate   = "token.create"
	// AuditKeyRotated is written, with the new key, when the audit key
	// changes; its details name the previous and the new key id.
	AuditKeyRotated = "audit.key_rotated"
)

// AuditEvent is what a caller hands to the store to append.
type AuditEvent struct {
	Actor      *User
	Action     string
	ObjectType string
	ObjectID   string
	Details    map[string]any
}
