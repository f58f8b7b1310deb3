-- Background computation of a draw (leximin can take seconds): one row per
-- event. Any instance claims a pending (or stale running) job with a
-- conditional update; the announcement itself is one transaction.
-- status: pending, running, done, failed.
CREATE TABLE selection_jobs (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    seed_source TEXT NOT NULL,
    requested_by BIGINT,
    requested_at {{timestamp}} NOT NULL,
    claimed_at {{timestamp}},
    claimed_by TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    finished_at {{timestamp}},
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX selection_jobs_status ON selection_jobs (status);
