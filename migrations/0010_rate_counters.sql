-- Fixed-window counters for the login throttle and the mail limits. One row
-- per key; a single INSERT ... ON CONFLICT DO UPDATE ... RETURNING counts
-- and reads in one statement, so concurrent requests on any number of
-- instances cannot all pass the check before any of them is counted.
-- window_start is in Unix seconds (compared as integers on both databases).
CREATE TABLE rate_counters (
    key_hash TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits INTEGER NOT NULL
);
CREATE INDEX rate_counters_window ON rate_counters (window_start);

-- The per-failure rows of the old two-step throttle.
DROP TABLE login_failures;
