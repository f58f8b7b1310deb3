-- The draft for comment (issue 4): documents with chapters, immutable chapter
-- versions split into anchored blocks, comment periods, and the contribution
-- pipeline shared by online comments, transcribed in-person input and cards
-- handed over from future.labs (see docs/draft.md).
CREATE TABLE draft_documents (
    id {{pk}},
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    -- Markdown introduction shown above the chapter list.
    intro TEXT NOT NULL DEFAULT '',
    -- pre: comments appear after approval; post: at once, can be hidden.
    moderation TEXT NOT NULL DEFAULT 'pre',
    published BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);

CREATE TABLE draft_chapters (
    id {{pk}},
    document_id BIGINT NOT NULL REFERENCES draft_documents(id),
    -- Unique across documents: the address is /entwurf/SLUG.
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    -- The responsible Fachamt.
    fachamt TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    current_version_id BIGINT,
    -- The next fresh anchor number; anchors are never reused.
    next_anchor INTEGER NOT NULL DEFAULT 1,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX draft_chapters_document ON draft_chapters (document_id, position);

-- Every saved text of a chapter. Versions never change once written.
CREATE TABLE draft_versions (
    id {{pk}},
    chapter_id BIGINT NOT NULL REFERENCES draft_chapters(id),
    number INTEGER NOT NULL,
    body TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (chapter_id, number)
);

-- The anchored blocks (paragraph, heading, list item, table, quote, code) of a
-- version: the anchor, the plain text (for quotes, matching and the API) and
-- the sanitised HTML of the block.
CREATE TABLE draft_blocks (
    id {{pk}},
    version_id BIGINT NOT NULL REFERENCES draft_versions(id),
    chapter_id BIGINT NOT NULL REFERENCES draft_chapters(id),
    anchor TEXT NOT NULL,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    html TEXT NOT NULL,
    -- Consecutive list items with the same list_group form one list.
    list_group INTEGER NOT NULL DEFAULT 0,
    list_ordered BOOLEAN NOT NULL DEFAULT FALSE,
    list_start INTEGER NOT NULL DEFAULT 1,
    UNIQUE (version_id, anchor)
);
CREATE INDEX draft_blocks_chapter ON draft_blocks (chapter_id, version_id, position);

CREATE TABLE draft_periods (
    id {{pk}},
    document_id BIGINT NOT NULL REFERENCES draft_documents(id),
    starts_at {{timestamp}} NOT NULL,
    ends_at {{timestamp}} NOT NULL,
    label TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX draft_periods_document ON draft_periods (document_id, starts_at);

-- The one counter behind the public numbers A-0001, A-0002, ...: incremented
-- in the creating transaction, so numbers have no gaps and never repeat.
CREATE TABLE contribution_counter (
    id INTEGER PRIMARY KEY,
    last_number BIGINT NOT NULL
);
INSERT INTO contribution_counter (id, last_number) VALUES (1, 0);

CREATE TABLE contributions (
    id {{pk}},
    number BIGINT NOT NULL UNIQUE,
    -- online, werkstatt, stadtgebietsforum, fachforum, futurelab
    channel TEXT NOT NULL,
    document_id BIGINT REFERENCES draft_documents(id),
    chapter_id BIGINT REFERENCES draft_chapters(id),
    -- Anchor of the paragraph ('' = the whole chapter) in version_id.
    paragraph TEXT NOT NULL DEFAULT '',
    version_id BIGINT REFERENCES draft_versions(id),
    -- No foreign keys: these tables belong to features built in parallel.
    event_id BIGINT,
    lab_id BIGINT,
    board_id BIGINT,
    card_id BIGINT,
    author_id BIGINT REFERENCES users(id),
    -- For transcribed input: "Teilnehmende des Werkstattgesprächs".
    author_label TEXT NOT NULL DEFAULT '',
    -- The moderator who transcribed the input, or NULL.
    entered_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    parent_id BIGINT REFERENCES contributions(id),
    depth INTEGER NOT NULL DEFAULT 0,
    -- The public text (redacted once a moderator removed personal data).
    body TEXT NOT NULL,
    -- The text before redaction: admins only.
    original_body TEXT,
    body_hash TEXT NOT NULL,
    ortsteil_code TEXT REFERENCES ortsteile(code),
    -- pending, published, rejected, hidden, withdrawn
    status TEXT NOT NULL,
    reason_code TEXT NOT NULL DEFAULT '',
    reason_text TEXT NOT NULL DEFAULT '',
    moderated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    moderated_at {{timestamp}},
    redacted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    redacted_at {{timestamp}},
    duplicate_of BIGINT REFERENCES contributions(id),
    support_count INTEGER NOT NULL DEFAULT 0,
    open_reports INTEGER NOT NULL DEFAULT 0,
    answer_body TEXT NOT NULL DEFAULT '',
    answered_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    answered_at {{timestamp}},
    -- The Abwägung.
    assessment_status TEXT NOT NULL DEFAULT '',
    assessment_reasoning TEXT NOT NULL DEFAULT '',
    assessment_fachamt TEXT NOT NULL DEFAULT '',
    assessment_version_id BIGINT REFERENCES draft_versions(id),
    assessment_anchor TEXT NOT NULL DEFAULT '',
    assessed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    assessed_at {{timestamp}},
    assessment_published_at {{timestamp}},
    edited_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX contributions_chapter ON contributions (chapter_id, status);
CREATE INDEX contributions_author ON contributions (author_id, created_at);
CREATE INDEX contributions_queue ON contributions (status, open_reports, created_at);
CREATE INDEX contributions_parent ON contributions (parent_id);
CREATE INDEX contributions_duplicate ON contributions (duplicate_of);
-- A future.labs card is handed over once.
CREATE UNIQUE INDEX contributions_card ON contributions (card_id) WHERE card_id IS NOT NULL;

-- Handlungsschwerpunkte (kind hs) and themes (kind theme) of a contribution.
CREATE TABLE contribution_tags (
    contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (contribution_id, code)
);

-- One support ("Zustimmung") per person and contribution, on every instance.
CREATE TABLE contribution_supports (
    contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at {{timestamp}} NOT NULL,
    PRIMARY KEY (contribution_id, user_id)
);
CREATE INDEX contribution_supports_user ON contribution_supports (user_id);

-- Reports ("melden") by readers; one per person and contribution.
CREATE TABLE contribution_reports (
    id {{pk}},
    contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id),
    reason_code TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    resolved_at {{timestamp}},
    resolved_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (contribution_id, user_id)
);
CREATE INDEX contribution_reports_user ON contribution_reports (user_id);

-- What happened to a contribution, for moderators: who, when, what, why.
-- Internal notes are entries with action 'note'.
CREATE TABLE contribution_log (
    id {{pk}},
    contribution_id BIGINT NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    reason_code TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX contribution_log_contribution ON contribution_log (contribution_id, id);
