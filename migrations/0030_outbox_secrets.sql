-- The one-time tokens in a queued mail's links (JSON list). They are needed
-- until the mail is sent; then they are replaced in the stored bodies and
-- this column is cleared, so that /admin/outbox never holds a working link
-- of a delivered mail.
ALTER TABLE outbox ADD COLUMN secrets TEXT NOT NULL DEFAULT '';
