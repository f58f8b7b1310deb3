-- Search across the platform (issue 15, docs/search.md). The index lives
-- with the content and changes in the transaction that changes the content:
--
-- PostgreSQL: a stored generated tsvector column (configuration "german":
-- stemming, stop words) on each searchable table, with a GIN index.
-- search_norm folds the spelling first, exactly like search.Fold in Go:
-- "ß" as "ss" and "ae/oe/ue" (not after "q") as umlauts, which the German
-- stemmer then removes, so Straße/Strasse and Größe/Groesse meet.
--
-- SQLite: one FTS5 table per searchable table (rowid = the row's id), kept
-- by triggers. search_terms is a Go function registered with the driver
-- (app/store/search.go) that returns search.IndexText: the same folding,
-- the same Snowball German stemmer and the same stop words as PostgreSQL.
--
-- Which rows may be shown (published, not hidden, members-only labs) is
-- decided when searching, from the rows themselves.
{{if .Postgres}}
CREATE FUNCTION search_norm(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT replace(replace(replace(replace(replace(replace(replace(
           lower(t), 'é', 'e'), 'ß', 'ss'), 'que', 'qu' || chr(57344) || 'e'),
           'ae', 'ä'), 'oe', 'ö'), 'ue', 'ü'), chr(57344), '')
$$;
ALTER TABLE contributions ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('german', search_norm(body || ' ' || answer_body))) STORED;
CREATE INDEX contributions_search ON contributions USING GIN (search_tsv);
ALTER TABLE draft_blocks ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    to_tsvector('german', search_norm(text))) STORED;
CREATE INDEX draft_blocks_search ON draft_blocks USING GIN (search_tsv);
ALTER TABLE events ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', search_norm(title)), 'A') || to_tsvector('german', search_norm(description || ' ' || venue))) STORED;
CREATE INDEX events_search ON events USING GIN (search_tsv);
ALTER TABLE labs ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', search_norm(title)), 'A') || to_tsvector('german', search_norm(description))) STORED;
CREATE INDEX labs_search ON labs USING GIN (search_tsv);
ALTER TABLE boards ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', search_norm(title)), 'A')) STORED;
CREATE INDEX boards_search ON boards USING GIN (search_tsv);
ALTER TABLE content_blocks ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', search_norm(title_de)), 'A') || to_tsvector('german', search_norm(body_de))) STORED;
CREATE INDEX content_blocks_search ON content_blocks USING GIN (search_tsv);
{{else}}
CREATE VIRTUAL TABLE search_contributions USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_contributions (rowid, title, body) SELECT id, search_terms(''), search_terms(body || ' ' || answer_body) FROM contributions;
CREATE TRIGGER search_contributions_insert AFTER INSERT ON contributions BEGIN
    INSERT INTO search_contributions (rowid, title, body) VALUES (new.id, search_terms(''), search_terms(new.body || ' ' || new.answer_body));
END;
CREATE TRIGGER search_contributions_update AFTER UPDATE OF body, answer_body ON contributions BEGIN
    DELETE FROM search_contributions WHERE rowid = old.id;
    INSERT INTO search_contributions (rowid, title, body) VALUES (new.id, search_terms(''), search_terms(new.body || ' ' || new.answer_body));
END;
CREATE TRIGGER search_contributions_delete AFTER DELETE ON contributions BEGIN
    DELETE FROM search_contributions WHERE rowid = old.id;
END;
CREATE VIRTUAL TABLE search_paragraphs USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_paragraphs (rowid, title, body) SELECT id, search_terms(''), search_terms(text) FROM draft_blocks;
CREATE TRIGGER search_paragraphs_insert AFTER INSERT ON draft_blocks BEGIN
    INSERT INTO search_paragraphs (rowid, title, body) VALUES (new.id, search_terms(''), search_terms(new.text));
END;
CREATE TRIGGER search_paragraphs_update AFTER UPDATE OF text ON draft_blocks BEGIN
    DELETE FROM search_paragraphs WHERE rowid = old.id;
    INSERT INTO search_paragraphs (rowid, title, body) VALUES (new.id, search_terms(''), search_terms(new.text));
END;
CREATE TRIGGER search_paragraphs_delete AFTER DELETE ON draft_blocks BEGIN
    DELETE FROM search_paragraphs WHERE rowid = old.id;
END;
CREATE VIRTUAL TABLE search_events USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_events (rowid, title, body) SELECT id, search_terms(title), search_terms(description || ' ' || venue) FROM events;
CREATE TRIGGER search_events_insert AFTER INSERT ON events BEGIN
    INSERT INTO search_events (rowid, title, body) VALUES (new.id, search_terms(new.title), search_terms(new.description || ' ' || new.venue));
END;
CREATE TRIGGER search_events_update AFTER UPDATE OF title, description, venue ON events BEGIN
    DELETE FROM search_events WHERE rowid = old.id;
    INSERT INTO search_events (rowid, title, body) VALUES (new.id, search_terms(new.title), search_terms(new.description || ' ' || new.venue));
END;
CREATE TRIGGER search_events_delete AFTER DELETE ON events BEGIN
    DELETE FROM search_events WHERE rowid = old.id;
END;
CREATE VIRTUAL TABLE search_labs USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_labs (rowid, title, body) SELECT id, search_terms(title), search_terms(description) FROM labs;
CREATE TRIGGER search_labs_insert AFTER INSERT ON labs BEGIN
    INSERT INTO search_labs (rowid, title, body) VALUES (new.id, search_terms(new.title), search_terms(new.description));
END;
CREATE TRIGGER search_labs_update AFTER UPDATE OF title, description ON labs BEGIN
    DELETE FROM search_labs WHERE rowid = old.id;
    INSERT INTO search_labs (rowid, title, body) VALUES (new.id, search_terms(new.title), search_terms(new.description));
END;
CREATE TRIGGER search_labs_delete AFTER DELETE ON labs BEGIN
    DELETE FROM search_labs WHERE rowid = old.id;
END;
CREATE VIRTUAL TABLE search_boards USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_boards (rowid, title, body) SELECT id, search_terms(title), search_terms('') FROM boards;
CREATE TRIGGER search_boards_insert AFTER INSERT ON boards BEGIN
    INSERT INTO search_boards (rowid, title, body) VALUES (new.id, search_terms(new.title), search_terms(''));
END;
CREATE TRIGGER search_boards_update AFTER UPDATE OF title ON boards BEGIN
    DELETE FROM search_boards WHERE rowid = old.id;
    INSERT INTO search_boards (rowid, title, body) VALUES (new.id, search_terms(new.title), search_terms(''));
END;
CREATE TRIGGER search_boards_delete AFTER DELETE ON boards BEGIN
    DELETE FROM search_boards WHERE rowid = old.id;
END;
CREATE VIRTUAL TABLE search_pages USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_pages (rowid, title, body) SELECT id, search_terms(title_de), search_terms(body_de) FROM content_blocks;
CREATE TRIGGER search_pages_insert AFTER INSERT ON content_blocks BEGIN
    INSERT INTO search_pages (rowid, title, body) VALUES (new.id, search_terms(new.title_de), search_terms(new.body_de));
END;
CREATE TRIGGER search_pages_update AFTER UPDATE OF title_de, body_de ON content_blocks BEGIN
    DELETE FROM search_pages WHERE rowid = old.id;
    INSERT INTO search_pages (rowid, title, body) VALUES (new.id, search_terms(new.title_de), search_terms(new.body_de));
END;
CREATE TRIGGER search_pages_delete AFTER DELETE ON content_blocks BEGIN
    DELETE FROM search_pages WHERE rowid = old.id;
END;
{{end}}
