package app

import "time"

// Outbox statuses.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"
	MailLogged  = "logged"
)

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
	Attachments   []MailAttachment `gorm:"foreignKey:OutboxID"`
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
