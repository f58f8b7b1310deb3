-- The answers so far of an unfinished one-question-per-screen run of an
-- account-bound survey (form field -> values, JSON). They are kept here and
-- not in survey_answers: the results count survey_answers without a join,
-- because answers there exist only for finished responses (and an account
-- changing a finished response must not change the results before it
-- submits again). Cleared when the response is submitted.
ALTER TABLE survey_responses ADD COLUMN draft TEXT NOT NULL DEFAULT '';
