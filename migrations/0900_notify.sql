-- Following and notifications (issue 15).
-- A follow: a person wants to hear about a chapter, a contribution, an
-- event, a lab or an Ortsteil (by its official number).
CREATE TABLE follows (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX follows_user_target ON follows (user_id, target_kind, target_id);
CREATE INDEX follows_target ON follows (target_kind, target_id);

-- Digests: one row per recipient and period, inserted by the instance that
-- builds the digest (the unique index is the claim); outbox_id is the one
-- outbox entry the digest became.
CREATE TABLE notify_digests (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    outbox_id BIGINT,
    items INTEGER NOT NULL DEFAULT 0,
    created_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX notify_digests_user_period ON notify_digests (user_id, period);

-- An in-app notification. title is a snapshot of a public name (chapter,
-- event or lab title, contribution number), never user-written text;
-- mail_state: pending (waits for a digest), done (mailed at once, in a
-- digest, or not to be mailed).
CREATE TABLE notifications (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    read_at {{timestamp}},
    mail_state TEXT NOT NULL DEFAULT 'pending',
    digest_id BIGINT REFERENCES notify_digests(id) ON DELETE SET NULL
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
CREATE INDEX notifications_mail ON notifications (mail_state, user_id);
CREATE INDEX notifications_subject ON notifications (subject_kind, subject_id);

-- Per kind e-mail preference; a missing row means the kind's default.
CREATE TABLE notify_prefs (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Extra mail headers (JSON object), e.g. List-Unsubscribe (RFC 8058).
ALTER TABLE outbox ADD COLUMN headers TEXT NOT NULL DEFAULT '';
