-- The results page lists the free-text answers and "other" texts of a
-- question page by page, oldest response first. With (question_id,
-- response_id) a page is a short range read of the index instead of a sort
-- of every answer of the question, and the partial index holds only the
-- answers with an "other" text, so finding the few among 50,000 choices no
-- longer reads them all (issue 15 benchmark). The first index also serves
-- every lookup the one on (question_id) alone did, which it replaces.
CREATE INDEX survey_answers_question_response ON survey_answers (question_id, response_id);
CREATE INDEX survey_answers_other ON survey_answers (question_id, response_id) WHERE other <> '';
DROP INDEX survey_answers_question;
