-- The audit chain is keyed (HMAC-SHA-256 with MITWIRKEN_AUDIT_KEY): each entry
-- names the key it was written with ('' for the plain SHA-256 entries written
-- before this migration), and so does the head.
ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN key_id TEXT NOT NULL DEFAULT '';

-- audit_head is protected like the log: it cannot be deleted or added to, and
-- an update either changes nothing (appends lock the row that way) or moves
-- it forward by exactly one, onto the entry just written. Rewinding it to
-- hide deleted entries needs the triggers switched off first.
{{if .Postgres}}
CREATE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND (
        (NEW.last_id = OLD.last_id AND NEW.last_hash = OLD.last_hash AND NEW.key_id = OLD.key_id)
        OR (NEW.last_id = OLD.last_id + 1 AND EXISTS (
            SELECT 1 FROM audit_log l WHERE l.id = NEW.last_id AND l.hash = NEW.last_hash AND l.key_id = NEW.key_id)))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_head only moves forward, onto the newest audit_log entry';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_head_forward BEFORE INSERT OR UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
{{else}}
CREATE TRIGGER audit_head_no_insert BEFORE INSERT ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head only moves forward, onto the newest audit_log entry');
END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head only moves forward, onto the newest audit_log entry');
END;
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
WHEN NOT (NEW.id = OLD.id AND (
    (NEW.last_id = OLD.last_id AND NEW.last_hash = OLD.last_hash AND NEW.key_id = OLD.key_id)
    OR (NEW.last_id = OLD.last_id + 1 AND EXISTS (
        SELECT 1 FROM audit_log WHERE id = NEW.last_id AND hash = NEW.last_hash AND key_id = NEW.key_id))))
BEGIN
    SELECT RAISE(ABORT, 'audit_head only moves forward, onto the newest audit_log entry');
END;
{{end}}
