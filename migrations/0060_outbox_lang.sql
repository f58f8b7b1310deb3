-- The language a mail was written in (the recipient's), so the outbox view
-- marks its subject and text with it (WCAG 3.1.2) on pages in another
-- language. Mails queued before this change were German.
ALTER TABLE outbox ADD COLUMN lang TEXT NOT NULL DEFAULT 'de';
