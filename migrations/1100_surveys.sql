-- Surveys (Umfragen, issue 15): questionnaires built by admins and AG INSEK.
CREATE TABLE surveys (
    id {{pk}},
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    thank_you TEXT NOT NULL DEFAULT '',
    -- shown before any personal question; asked to be agreed to
    consent TEXT NOT NULL DEFAULT '',
    opens_at {{timestamp}},
    closes_at {{timestamp}},
    -- anonymous: no account is linked to a response
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    one_per_screen BOOLEAN NOT NULL DEFAULT FALSE,
    chapter_id BIGINT REFERENCES draft_chapters(id) ON DELETE SET NULL,
    event_id BIGINT REFERENCES events(id) ON DELETE SET NULL,
    -- raised by a change of a question's structure after the first response
    version INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX surveys_open ON surveys (opens_at, closes_at);

CREATE TABLE survey_sections (
    id {{pk}},
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL
);
CREATE INDEX survey_sections_survey ON survey_sections (survey_id, position);

-- A question row belongs to the versions since_version .. until_version-1
-- (until_version NULL: still asked); answers point at the row they answered.
CREATE TABLE survey_questions (
    id {{pk}},
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    section_id BIGINT REFERENCES survey_sections(id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    help TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT FALSE,
    other BOOLEAN NOT NULL DEFAULT FALSE,
    -- JSON array of option labels (or matrix rows)
    options TEXT NOT NULL DEFAULT '[]',
    min_choices INTEGER NOT NULL DEFAULT 0,
    max_choices INTEGER NOT NULL DEFAULT 0,
    scale_low TEXT NOT NULL DEFAULT '',
    scale_high TEXT NOT NULL DEFAULT '',
    max_length INTEGER NOT NULL DEFAULT 0,
    num_min BIGINT,
    num_max BIGINT,
    cond_question_id BIGINT REFERENCES survey_questions(id) ON DELETE SET NULL,
    cond_option INTEGER NOT NULL DEFAULT 0,
    since_version INTEGER NOT NULL,
    until_version INTEGER
);
CREATE INDEX survey_questions_survey ON survey_questions (survey_id, position);

CREATE TABLE survey_responses (
    id {{pk}},
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    -- account-bound surveys only; erased with the account
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    -- anonymous surveys: hash of the random one-time token of the browser
    once_hash TEXT,
    step INTEGER NOT NULL DEFAULT 0,
    submitted_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX survey_responses_user ON survey_responses (survey_id, user_id);
CREATE UNIQUE INDEX survey_responses_once ON survey_responses (survey_id, once_hash);
CREATE INDEX survey_responses_submitted ON survey_responses (survey_id, submitted_at);

CREATE TABLE survey_answers (
    response_id BIGINT NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    other TEXT NOT NULL DEFAULT '',
    -- moderation of free text: hidden from the results with a reason
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    hidden_reason TEXT NOT NULL DEFAULT '',
    contribution_id BIGINT REFERENCES contributions(id) ON DELETE SET NULL,
    PRIMARY KEY (response_id, question_id)
);
CREATE INDEX survey_answers_question ON survey_answers (question_id);
