-- Cached survey results catch up with new responses instead of counting
-- all answers again (issue 15: the results of 50,000 responses in under
-- 200 ms, also right after a response). Counts are taken up to the newest
-- finished response of the stamp (store.SurveyResultsStamp) and the
-- answers of later responses added, so both reads bound the response id:
--
-- the stamp's count and maximum of the finished responses, and the count of
-- those between two stamps, read this partial index alone;
CREATE INDEX survey_responses_finished ON survey_responses (survey_id, id) WHERE submitted_at IS NOT NULL;
-- the grouped count per question and value checks the response id in the
-- index it already reads in order (migration 1101), without the table.
CREATE INDEX survey_answers_question_value_response ON survey_answers (question_id, value, response_id);
DROP INDEX survey_answers_question_value;
