-- Results and exports (issue 7): exports read contributions chapter by
-- chapter in number order, in keyset batches (number > last).
CREATE INDEX contributions_chapter_number ON contributions (chapter_id, number);
