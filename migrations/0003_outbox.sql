-- Outgoing mail. A message is written in the same transaction as the change that
-- causes it and delivered later by the mail worker of any instance.
CREATE TABLE outbox (
    id {{pk}},
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- pending, sent, failed (gave up), logged (no SMTP configured)
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at {{timestamp}} NOT NULL,
    claimed_until {{timestamp}},
    claim_token TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    sent_at {{timestamp}}
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_user ON outbox (user_id);

CREATE TABLE outbox_attachments (
    id {{pk}},
    outbox_id BIGINT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data {{bytes}} NOT NULL
);
CREATE INDEX outbox_attachments_outbox ON outbox_attachments (outbox_id);
