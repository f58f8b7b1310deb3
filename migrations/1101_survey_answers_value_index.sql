-- The results page counts the answers per question and value straight from
-- this index (issue 15 benchmark: 50,000 responses).
CREATE INDEX survey_answers_question_value ON survey_answers (question_id, value);
