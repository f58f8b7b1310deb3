-- Surveys in the search (issue 15: "draft paragraphs, … surveys, pages"),
-- indexed like labs in migrations/1000_search.sql: the title weighs more
-- than the introduction. Which surveys may be found (those with an opening
-- date: announced, open or closed; never drafts) is decided when searching.
{{if .Postgres}}
ALTER TABLE surveys ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german', search_norm(title)), 'A') || to_tsvector('german', search_norm(intro))) STORED;
CREATE INDEX surveys_search ON surveys USING GIN (search_tsv);
{{else}}
CREATE VIRTUAL TABLE search_surveys USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_surveys (rowid, title, body) SELECT id, search_terms(title), search_terms(intro) FROM surveys;
CREATE TRIGGER search_surveys_insert AFTER INSERT ON surveys BEGIN
    INSERT INTO search_surveys (rowid, title, body) VALUES (new.id, search_terms(new.title), search_terms(new.intro));
END;
CREATE TRIGGER search_surveys_update AFTER UPDATE OF title, intro ON surveys BEGIN
    DELETE FROM search_surveys WHERE rowid = old.id;
    INSERT INTO search_surveys (rowid, title, body) VALUES (new.id, search_terms(new.title), search_terms(new.intro));
END;
CREATE TRIGGER search_surveys_delete AFTER DELETE ON surveys BEGIN
    DELETE FROM search_surveys WHERE rowid = old.id;
END;
{{end}}
