package app

import (
	"strings"
	"time"
)

// Outbox statuses.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"
	MailLogged  = "logged"
)

// AuditMailView records that an admin read the body of a mail in the outbox.
const AuditMailView = "mail.view"

// OutboxMessage is a mail waiting for, or done with, delivery.
type OutboxMessage struct {
	ID       int64
	UserID   *int64
	Kind     string
	ToAddr   string
	Subject  string
	BodyText string
	// Lang is the language the mail is written in (the recipient's).
	Lang          string
	BodyHTML      string `gorm:"column:body_html"`
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	ClaimedUntil  *time.Time
	ClaimToken    string
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
	// Secrets are the tokens in the mail's links, kept only until it is
	// sent (see WithoutSecrets).
	Secrets []string `gorm:"serializer:json"`
	// Headers are extra mail headers, such as List-Unsubscribe (RFC 8058).
	// Secrets in them are removed with those of the bodies.
	Headers map[string]string `gorm:"serializer:json"`
	// RenderData is the template data (JSON) of a mail queued to be
	// rendered later (mail.Composer.QueueLater); empty once the bodies are
	// rendered and stored.
	RenderData  string
	Attachments []MailAttachment `gorm:"foreignKey:OutboxID"`
}

// WithoutSecrets replaces every secret in the bodies by marker, so that
// the links that carried them no longer work.
func (m *OutboxMessage) WithoutSecrets(marker string) {
	for _, secret := range m.Secrets {
		if secret == "" {
			continue
		}
		m.BodyText = strings.ReplaceAll(m.BodyText, secret, marker)
		m.BodyHTML = strings.ReplaceAll(m.BodyHTML, secret, marker)
		for k, v := range m.Headers {
			m.Headers[k] = strings.ReplaceAll(v, secret, marker)
		}
	}
}

// TableName keeps gorm on the table created by the migration.
func (OutboxMessage) TableName() string { return "outbox" }

// MailAttachment is a file sent with a mail, such as an .ics calendar entry.
type MailAttachment struct {
	ID          int64
	OutboxID    int64
	Filename    string
	ContentType string
	Data        []byte
}

// TableName keeps gorm on the table created by the migration.
func (MailAttachment) TableName() string { return "outbox_attachments" }
