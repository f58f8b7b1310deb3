-- Export jobs (issue 7): long exports run in the background on whichever
-- instance claims them; state, progress and the finished file live in the
-- database so that every instance can show the progress and serve the file.
CREATE TABLE export_jobs (
    id {{pk}},
    kind TEXT NOT NULL,
    format TEXT NOT NULL,
    -- The filter as entered (JSON of export.FilterInput); no personal data.
    filter TEXT NOT NULL DEFAULT '{}',
    -- queued, running, done, failed
    status TEXT NOT NULL DEFAULT 'queued',
    rows_done BIGINT NOT NULL DEFAULT 0,
    rows_total BIGINT NOT NULL DEFAULT 0,
    file_name TEXT NOT NULL DEFAULT '',
    size BIGINT NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- The instance that runs the job and when it last reported: a job whose
    -- instance went silent is taken over.
    claimed_by TEXT NOT NULL DEFAULT '',
    heartbeat_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    started_at {{timestamp}},
    finished_at {{timestamp}}
);
CREATE INDEX export_jobs_status ON export_jobs (status, id);

-- The file of a finished job in chunks of at most 1 MB, so that neither
-- writing nor serving it needs the whole file in memory.
CREATE TABLE export_chunks (
    job_id BIGINT NOT NULL REFERENCES export_jobs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data {{bytes}} NOT NULL,
    PRIMARY KEY (job_id, seq)
);
