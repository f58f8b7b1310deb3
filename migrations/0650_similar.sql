-- Similar contributions (issue 13, docs/draft.md "Similar contributions"):
-- the terms of each contribution's text and its LSH band keys, written in
-- the transaction that writes the text. Any instance finds the candidates
-- of a contribution with one indexed query on similar_bands.
CREATE TABLE similar_fingerprints (
    contribution_id BIGINT PRIMARY KEY REFERENCES contributions(id) ON DELETE CASCADE,
    -- similar.Version of the method that computed the row; rows of an older
    -- version are recomputed by the background index job.
    version INTEGER NOT NULL,
    -- The distinct terms (stems), separated by spaces.
    terms TEXT NOT NULL
);

-- Clustered by band key on SQLite (WITHOUT ROWID); an index-only scan on
-- PostgreSQL.
CREATE TABLE similar_bands (
    band_key BIGINT NOT NULL,
    contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, contribution_id)
){{if not .Postgres}} WITHOUT ROWID{{end}};
CREATE INDEX similar_bands_contribution ON similar_bands (contribution_id);
