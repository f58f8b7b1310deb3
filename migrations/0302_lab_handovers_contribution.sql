-- A handed-over card now becomes a contribution in the shared pipeline
-- (moderated and assessed like a comment on the draft); the hand-over record
-- keeps the link, the dot count and who handed it over.
ALTER TABLE lab_handovers ADD COLUMN contribution_id BIGINT REFERENCES contributions(id);
