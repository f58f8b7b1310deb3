-- A mail can be queued with the data its templates need instead of its
-- rendered bodies (JSON, the template data of mail.Composer.QueueLater), so
-- that a request such as a registration in a rush does not pay for
-- rendering: the mail worker renders it before sending and stores the
-- bodies; /admin/outbox renders a mail that was not rendered yet on view.
-- Empty once the bodies are stored (and for every mail queued before).
ALTER TABLE outbox ADD COLUMN render_data TEXT NOT NULL DEFAULT '';
