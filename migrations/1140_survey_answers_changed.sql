-- The results page of a survey keeps its counts per question in memory
-- (issue 15: 50,000 responses in under 200 ms) and recounts only when the
-- survey's answers changed. Every save of a response moves this counter on
-- in the transaction of the save (store.SaveSurveyResponse); together with
-- the number of finished responses, which a deletion lowers (erasure of an
-- account), it is the stamp the cached counts are kept under. It lives in
-- the database, so a response saved on one instance shows on every other
-- one at their next load.
ALTER TABLE surveys ADD COLUMN answers_changed BIGINT NOT NULL DEFAULT 0;
