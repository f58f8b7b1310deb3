package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// EnqueueMail writes a message to the outbox. Call it on the transaction of
// the change that causes the mail, so the mail exists exactly when the change
// does.
func (s *Store) EnqueueMail(ctx context.Context, m *app.OutboxMessage) error {
	now := s.Now()
	m.Status = app.MailPending
	m.CreatedAt = now
	if m.NextAttemptAt.IsZero() {
		m.NextAttemptAt = now
	}
	if m.Secrets == nil {
		m.Secrets = []string{} // the column holds JSON and is never NULL
	}
	if m.Headers == nil {
		m.Headers = map[string]string{}
	}
	if len(m.Attachments) > 0 {
		return s.err(s.q(ctx).Create(m).Error)
	}
	// Without attachments, one plain statement: in a registration rush
	// gorm's reflection over the model cost more CPU than the insert.
	secrets, err := json.Marshal(m.Secrets)
	if err != nil {
		return app.Internal(err)
	}
	headers, err := json.Marshal(m.Headers)
	if err != nil {
		return app.Internal(err)
	}
	return s.err(s.scanRaw(ctx, &m.ID, insertMailSQL, m.UserID, m.Kind, m.ToAddr, m.Subject, m.BodyText, m.BodyHTML, m.Lang,
		m.Status, m.NextAttemptAt, m.CreatedAt, string(secrets), string(headers), m.RenderData))
}

const insertMailSQL = `INSERT INTO outbox (user_id, kind, to_addr, subject, body_text, body_html, lang, status, attempts,
	next_attempt_at, claim_token, last_error, created_at, secrets, headers, render_data)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '', '', ?, ?, ?, ?) RETURNING id`

// ClaimDueMail leases up to limit due messages to one worker with a single
// conditional update, so two workers on any instances never hold the same
// message (PostgreSQL skips rows another worker is claiming; SQLite runs one
// writer at a time). An expired lease (a worker died mid-send) makes a
// message due again.
func (s *Store) ClaimDueMail(ctx context.Context, claimToken string, lease time.Duration, limit int) ([]app.OutboxMessage, error) {
	return s.claimDueMail(ctx, claimToken, lease, limit, true)
}

// ClaimDueMailHeaders is ClaimDueMail without bodies and attachments, for a
// worker that only records the mails (no SMTP configured).
func (s *Store) ClaimDueMailHeaders(ctx context.Context, claimToken string, lease time.Duration, limit int) ([]app.OutboxMessage, error) {
	return s.claimDueMail(ctx, claimToken, lease, limit, false)
}

func (s *Store) claimDueMail(ctx context.Context, claimToken string, lease time.Duration, limit int, bodies bool) ([]app.OutboxMessage, error) {
	now := s.Now()
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var claimed []int64
	err := s.scanRaw(ctx, &claimed, `UPDATE outbox SET claimed_until = ?, claim_token = ? WHERE id IN (
		SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)
		ORDER BY next_attempt_at, id LIMIT ?`+lock+`) RETURNING id`,
		now.Add(lease), claimToken, app.MailPending, now, now, limit)
	if err != nil {
		return nil, s.err(err)
	}
	if len(claimed) == 0 {
		return nil, nil
	}
	q := s.q(ctx).Where("id IN ?", claimed).Order("id")
	if bodies {
		q = q.Preload("Attachments")
	} else {
		q = q.Select("id", "kind", "subject", "attempts", "created_at")
	}
	var out []app.OutboxMessage
	err = q.Find(&out).Error
	return out, s.err(err)
}

// FinishLoggedMail records that the messages of a claim were kept in the
// outbox (no SMTP configured), in one statement.
func (s *Store) FinishLoggedMail(ctx context.Context, ids []int64, claimToken string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.err(s.q(ctx).Model(&app.OutboxMessage{}).Where("id IN ? AND claim_token = ?", ids, claimToken).
		Updates(map[string]any{"status": app.MailLogged, "claimed_until": nil, "claim_token": "", "sent_at": s.Now()}).Error)
}

// FinishMail records the outcome of a delivery attempt by the worker holding
// the lease. status is sent, logged, failed (gave up) or pending (retry at next).
func (s *Store) FinishMail(ctx context.Context, id int64, claimToken, status, lastError string, next time.Time) error {
	fields := map[string]any{
		"status": status, "claimed_until": nil, "claim_token": "", "last_error": truncate(lastError, 1000),
	}
	now := s.Now()
	switch status {
	case app.MailSent, app.MailLogged:
		fields["sent_at"] = now
	case app.MailPending:
		fields["next_attempt_at"] = next
	}
	if status != app.MailLogged {
		fields["attempts"] = gorm.Expr("attempts + 1")
	}
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.q(ctx).Model(&app.OutboxMessage{}).Where("id = ? AND claim_token = ?", id, claimToken).Updates(fields)
		if res.Error != nil || res.RowsAffected == 0 || (status != app.MailSent && status != app.MailFailed) {
			return tx.err(res.Error)
		}
		return tx.removeSecrets(ctx, id)
	})
}

// SaveRenderedMail stores the bodies the worker holding the lease rendered
// for a mail queued with its template data, and the secrets those bodies
// show.
func (s *Store) SaveRenderedMail(ctx context.Context, m *app.OutboxMessage, claimToken string) error {
	secrets, err := json.Marshal(m.Secrets)
	if err != nil {
		return app.Internal(err)
	}
	res := s.q(ctx).Model(&app.OutboxMessage{}).Where("id = ? AND claim_token = ?", m.ID, claimToken).
		Updates(map[string]any{"body_text": m.BodyText, "body_html": m.BodyHTML, "secrets": string(secrets), "render_data": ""})
	if res.Error != nil {
		return s.err(res.Error)
	}
	if res.RowsAffected == 0 {
		return app.Internal(fmt.Errorf("outbox %d: the lease ran out before the rendered mail was stored", m.ID))
	}
	return nil
}

// removedSecret replaces a token in a mail that is done with delivery.
const removedSecret = "[entfernt]"

// removeSecrets makes the links of a delivered (or abandoned) mail useless in
// the stored copy: the tokens leave the bodies and the secrets column, and
// the attachments, which may encode them (the check-in QR code), lose
// their content. Nobody reading the outbox later can act as the recipient.
func (s *Store) removeSecrets(ctx context.Context, id int64) error {
	var m app.OutboxMessage
	if err := s.q(ctx).Select("id", "body_text", "body_html", "secrets", "headers").First(&m, id).Error; err != nil {
		return s.err(err)
	}
	if len(m.Secrets) == 0 {
		return nil
	}
	m.WithoutSecrets(removedSecret)
	err := s.q(ctx).Model(&app.OutboxMessage{}).Where("id = ?", id).
		Updates(map[string]any{"body_text": m.BodyText, "body_html": m.BodyHTML, "secrets": gorm.Expr("''"), "headers": headersJSON(m.Headers)}).Error
	if err != nil {
		return s.err(err)
	}
	return s.err(s.q(ctx).Model(&app.MailAttachment{}).Where("outbox_id = ?", id).Update("data", []byte{}).Error)
}

// OutboxBacklog counts messages waiting for delivery.
func (s *Store) OutboxBacklog(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&app.OutboxMessage{}).Where("status = ?", app.MailPending).Count(&n).Error
	return n, s.err(err)
}

// OutboxFilter narrows the admin's view of the outbox.
type OutboxFilter struct {
	Status string
	Page   int
}

// ListOutbox lists messages newest first.
func (s *Store) ListOutbox(ctx context.Context, f OutboxFilter) ([]app.OutboxMessage, int64, error) {
	q := s.q(ctx).Model(&app.OutboxMessage{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	var out []app.OutboxMessage
	err := paginate(q.Order("id DESC"), f.Page, 50).Find(&out).Error
	return out, total, s.err(err)
}

// OutboxMessage loads one message with its attachments.
func (s *Store) OutboxMessage(ctx context.Context, id int64) (*app.OutboxMessage, error) {
	var m app.OutboxMessage
	if err := s.q(ctx).Preload("Attachments").First(&m, id).Error; err != nil {
		return nil, s.err(err)
	}
	return &m, nil
}

// PruneMail deletes delivered messages older than the given time.
func (s *Store) PruneMail(ctx context.Context, before time.Time) (int64, error) {
	res := s.q(ctx).Where("status IN ? AND created_at < ?", []string{app.MailSent, app.MailLogged, app.MailFailed}, before).
		Delete(&app.OutboxMessage{})
	return res.RowsAffected, s.err(res.Error)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// headersJSON is the stored form of a mail's extra headers.
func headersJSON(h map[string]string) string {
	if len(h) == 0 {
		return ""
	}
	b, _ := json.Marshal(h)
	return string(b)
}
