-- Rendered-page cache (issue 16, docs/operations.md): anonymous reads of
-- chapter, event and lab pages are served from memory while the content
-- they show is unchanged. Every change to a table such a page reads bumps the
-- version of its scope in the same transaction, so no code path can forget
-- to invalidate: draft (chapter pages), events, labs, or all (names, site
-- texts).
--
-- PostgreSQL: a statement-level trigger sends pg_notify('mitwirken_pages',
-- scope); PostgreSQL delivers it at commit to every instance's listener
-- (app/realtime/pglisten.go), which moves that instance's version of the
-- scope on. No shared counter row, so writers of different content never
-- wait for each other.
--
-- SQLite (one instance): page_versions holds a counter per scope that
-- triggers move on and the cache reads per request.
{{if .Postgres}}
CREATE FUNCTION page_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mitwirken_pages', TG_ARGV[0]);
    RETURN NULL;
END
$$;
CREATE TRIGGER draft_documents_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON draft_documents
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER draft_chapters_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON draft_chapters
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER draft_versions_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON draft_versions
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER draft_blocks_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON draft_blocks
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER draft_periods_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON draft_periods
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER contributions_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contributions
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER contribution_tags_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contribution_tags
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER contribution_supports_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contribution_supports
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER assessments_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assessments
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER assessment_versions_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assessment_versions
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('draft');
CREATE TRIGGER events_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('events');
CREATE TRIGGER event_registrations_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_registrations
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('events');
CREATE TRIGGER event_wait_counts_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_wait_counts
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('events');
CREATE TRIGGER event_draws_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_draws
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('events');
CREATE TRIGGER event_invitations_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON event_invitations
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('events');
CREATE TRIGGER stadtgebiete_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stadtgebiete
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('events');
CREATE TRIGGER stadtgebiet_bezirke_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stadtgebiet_bezirke
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('events');
CREATE TRIGGER labs_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON labs
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('labs');
CREATE TRIGGER lab_members_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lab_members
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('labs');
CREATE TRIGGER boards_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON boards
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('labs');
CREATE TRIGGER lab_handovers_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lab_handovers
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('labs');
CREATE TRIGGER users_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('all');
CREATE TRIGGER settings_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('all');
CREATE TRIGGER content_blocks_page_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON content_blocks
    FOR EACH STATEMENT EXECUTE FUNCTION page_changed('all');
{{else}}
CREATE TABLE page_versions (
    scope   TEXT PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO page_versions (scope) VALUES ('draft'), ('events'), ('labs');
CREATE TRIGGER draft_documents_page_insert AFTER INSERT ON draft_documents BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_documents_page_update AFTER UPDATE ON draft_documents BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_documents_page_delete AFTER DELETE ON draft_documents BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_chapters_page_insert AFTER INSERT ON draft_chapters BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_chapters_page_update AFTER UPDATE ON draft_chapters BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_chapters_page_delete AFTER DELETE ON draft_chapters BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_versions_page_insert AFTER INSERT ON draft_versions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_versions_page_update AFTER UPDATE ON draft_versions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_versions_page_delete AFTER DELETE ON draft_versions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_blocks_page_insert AFTER INSERT ON draft_blocks BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_blocks_page_update AFTER UPDATE ON draft_blocks BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_blocks_page_delete AFTER DELETE ON draft_blocks BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_periods_page_insert AFTER INSERT ON draft_periods BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_periods_page_update AFTER UPDATE ON draft_periods BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER draft_periods_page_delete AFTER DELETE ON draft_periods BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contributions_page_insert AFTER INSERT ON contributions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contributions_page_update AFTER UPDATE ON contributions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contributions_page_delete AFTER DELETE ON contributions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contribution_tags_page_insert AFTER INSERT ON contribution_tags BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contribution_tags_page_update AFTER UPDATE ON contribution_tags BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contribution_tags_page_delete AFTER DELETE ON contribution_tags BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contribution_supports_page_insert AFTER INSERT ON contribution_supports BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contribution_supports_page_update AFTER UPDATE ON contribution_supports BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER contribution_supports_page_delete AFTER DELETE ON contribution_supports BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER assessments_page_insert AFTER INSERT ON assessments BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER assessments_page_update AFTER UPDATE ON assessments BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER assessments_page_delete AFTER DELETE ON assessments BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER assessment_versions_page_insert AFTER INSERT ON assessment_versions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER assessment_versions_page_update AFTER UPDATE ON assessment_versions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER assessment_versions_page_delete AFTER DELETE ON assessment_versions BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'draft'; END;
CREATE TRIGGER events_page_insert AFTER INSERT ON events BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER events_page_update AFTER UPDATE ON events BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER events_page_delete AFTER DELETE ON events BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_registrations_page_insert AFTER INSERT ON event_registrations BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_registrations_page_update AFTER UPDATE ON event_registrations BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_registrations_page_delete AFTER DELETE ON event_registrations BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_wait_counts_page_insert AFTER INSERT ON event_wait_counts BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_wait_counts_page_update AFTER UPDATE ON event_wait_counts BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_wait_counts_page_delete AFTER DELETE ON event_wait_counts BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_draws_page_insert AFTER INSERT ON event_draws BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_draws_page_update AFTER UPDATE ON event_draws BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_draws_page_delete AFTER DELETE ON event_draws BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_invitations_page_insert AFTER INSERT ON event_invitations BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_invitations_page_update AFTER UPDATE ON event_invitations BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER event_invitations_page_delete AFTER DELETE ON event_invitations BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER stadtgebiete_page_insert AFTER INSERT ON stadtgebiete BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER stadtgebiete_page_update AFTER UPDATE ON stadtgebiete BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER stadtgebiete_page_delete AFTER DELETE ON stadtgebiete BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER stadtgebiet_bezirke_page_insert AFTER INSERT ON stadtgebiet_bezirke BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER stadtgebiet_bezirke_page_update AFTER UPDATE ON stadtgebiet_bezirke BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER stadtgebiet_bezirke_page_delete AFTER DELETE ON stadtgebiet_bezirke BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'events'; END;
CREATE TRIGGER labs_page_insert AFTER INSERT ON labs BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER labs_page_update AFTER UPDATE ON labs BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER labs_page_delete AFTER DELETE ON labs BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER lab_members_page_insert AFTER INSERT ON lab_members BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER lab_members_page_update AFTER UPDATE ON lab_members BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER lab_members_page_delete AFTER DELETE ON lab_members BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER boards_page_insert AFTER INSERT ON boards BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER boards_page_update AFTER UPDATE ON boards BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER boards_page_delete AFTER DELETE ON boards BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER lab_handovers_page_insert AFTER INSERT ON lab_handovers BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER lab_handovers_page_update AFTER UPDATE ON lab_handovers BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER lab_handovers_page_delete AFTER DELETE ON lab_handovers BEGIN UPDATE page_versions SET version = version + 1 WHERE scope = 'labs'; END;
CREATE TRIGGER users_page_insert AFTER INSERT ON users BEGIN UPDATE page_versions SET version = version + 1; END;
CREATE TRIGGER users_page_update AFTER UPDATE ON users BEGIN UPDATE page_versions SET version = version + 1; END;
CREATE TRIGGER users_page_delete AFTER DELETE ON users BEGIN UPDATE page_versions SET version = version + 1; END;
CREATE TRIGGER settings_page_insert AFTER INSERT ON settings BEGIN UPDATE page_versions SET version = version + 1; END;
CREATE TRIGGER settings_page_update AFTER UPDATE ON settings BEGIN UPDATE page_versions SET version = version + 1; END;
CREATE TRIGGER settings_page_delete AFTER DELETE ON settings BEGIN UPDATE page_versions SET version = version + 1; END;
CREATE TRIGGER content_blocks_page_insert AFTER INSERT ON content_blocks BEGIN UPDATE page_versions SET version = version + 1; END;
CREATE TRIGGER content_blocks_page_update AFTER UPDATE ON content_blocks BEGIN UPDATE page_versions SET version = version + 1; END;
CREATE TRIGGER content_blocks_page_delete AFTER DELETE ON content_blocks BEGIN UPDATE page_versions SET version = version + 1; END;
{{end}}
