-- A survey's opening is announced to its followers (and the followers of
-- its chapter or event) once: the background job claims the survey by
-- setting this column in the transaction that publishes the notification.
ALTER TABLE surveys ADD COLUMN announced_at {{timestamp}};
