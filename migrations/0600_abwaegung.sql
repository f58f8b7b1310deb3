-- The Abwägung as the city does it (issue 13, docs/abwaegung.md): grantable
-- roles besides users.role, the Fachämter and their staff, assignment rules,
-- rounds with a deadline per Fachamt, and the assessment workflow with its
-- full version history.

-- Roles a person holds besides users.role (citizen < moderator < admin):
-- 'fachamt' and 'ag_insek'. A person can hold several.
CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    granted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    granted_at {{timestamp}} NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE fachaemter (
    id {{pk}},
    -- The short name in addresses and files ("ASW"); unique ignoring case.
    short TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The office's shared address (reminders go to the staff's own addresses).
    email TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX fachaemter_short ON fachaemter (lower(short));

-- Staff of a Fachamt: they see and draft for their Fachämter only.
CREATE TABLE fachamt_members (
    fachamt_id BIGINT NOT NULL REFERENCES fachaemter(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    added_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    added_at {{timestamp}} NOT NULL,
    PRIMARY KEY (fachamt_id, user_id)
);
CREATE INDEX fachamt_members_user ON fachamt_members (user_id);

-- Default assignment, maintained by AG INSEK: a chapter (value = chapter
-- id), a tag (Handlungsschwerpunkt or theme code) or a channel leads to a
-- Fachamt, as lead or as co-signer.
CREATE TABLE assignment_rules (
    id {{pk}},
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    fachamt_id BIGINT NOT NULL REFERENCES fachaemter(id),
    role TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (kind, value, fachamt_id)
);

CREATE TABLE assessment_rounds (
    id {{pk}},
    name TEXT NOT NULL,
    -- The default deadline (a day in Europe/Berlin, YYYY-MM-DD).
    deadline TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);

-- The deadline of one Fachamt's batch in a round, when it differs.
CREATE TABLE round_deadlines (
    round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
    fachamt_id BIGINT NOT NULL REFERENCES fachaemter(id),
    deadline TEXT NOT NULL,
    PRIMARY KEY (round_id, fachamt_id)
);

-- Reminder mails sent: the primary key makes each one a claim that only one
-- instance wins (kind: '3' or '1' working days before).
CREATE TABLE round_reminders (
    round_id BIGINT NOT NULL REFERENCES assessment_rounds(id),
    fachamt_id BIGINT NOT NULL REFERENCES fachaemter(id),
    kind TEXT NOT NULL,
    sent_at {{timestamp}} NOT NULL,
    open_count INTEGER NOT NULL,
    PRIMARY KEY (round_id, fachamt_id, kind)
);

-- The working copy of a contribution's Abwägung (one per contribution; a
-- duplicate group is assessed through its primary). The published result is
-- copied to the contribution's assessment_* columns, which public pages and
-- exports read.
CREATE TABLE assessments (
    id {{pk}},
    contribution_id BIGINT NOT NULL UNIQUE REFERENCES contributions(id),
    lead_fachamt_id BIGINT REFERENCES fachaemter(id),
    round_id BIGINT REFERENCES assessment_rounds(id),
    -- open, drafted, cosigned, in_review, published
    state TEXT NOT NULL,
    -- Optimistic locking: raised by every change; a change names the
    -- version it was made on.
    version INTEGER NOT NULL DEFAULT 0,
    -- Number of the latest text in assessment_versions (0: none yet).
    text_number INTEGER NOT NULL DEFAULT 0,
    result TEXT NOT NULL DEFAULT '',
    reasoning TEXT NOT NULL DEFAULT '',
    -- Where the result is reflected in the chapter (anchor of its version).
    anchor TEXT NOT NULL DEFAULT '',
    -- The proposed change: paragraph anchor and new wording.
    change_anchor TEXT NOT NULL DEFAULT '',
    change_text TEXT NOT NULL DEFAULT '',
    change_version_id BIGINT REFERENCES draft_versions(id),
    return_comment TEXT NOT NULL DEFAULT '',
    handback_reason TEXT NOT NULL DEFAULT '',
    -- When each state was last reached.
    assigned_at {{timestamp}},
    drafted_at {{timestamp}},
    cosigned_at {{timestamp}},
    review_at {{timestamp}},
    returned_at {{timestamp}},
    published_at {{timestamp}},
    published_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX assessments_lead ON assessments (lead_fachamt_id, state);
CREATE INDEX assessments_round ON assessments (round_id, state);

-- Co-signing Fachämter (Mitzeichnung); signed_text is the text number the
-- signature is for (a changed text needs new signatures).
CREATE TABLE assessment_cosigners (
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    fachamt_id BIGINT NOT NULL REFERENCES fachaemter(id),
    signed_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    signed_at {{timestamp}},
    signed_text INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (assessment_id, fachamt_id)
);
CREATE INDEX assessment_cosigners_fachamt ON assessment_cosigners (fachamt_id);

-- Every text ever saved: who wrote it, in which capacity, and what.
CREATE TABLE assessment_versions (
    id {{pk}},
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    number INTEGER NOT NULL,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- 'fachamt' (with author_fachamt_id) or 'ag_insek'
    author_role TEXT NOT NULL,
    author_fachamt_id BIGINT REFERENCES fachaemter(id),
    -- web, xlsx or api
    source TEXT NOT NULL,
    result TEXT NOT NULL,
    reasoning TEXT NOT NULL,
    anchor TEXT NOT NULL DEFAULT '',
    change_anchor TEXT NOT NULL DEFAULT '',
    change_text TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    UNIQUE (assessment_id, number)
);
CREATE INDEX assessment_versions_author ON assessment_versions (author_id);

-- Every transition: who, in which capacity, from which state to which, why.
CREATE TABLE assessment_transitions (
    id {{pk}},
    assessment_id BIGINT NOT NULL REFERENCES assessments(id),
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    actor_role TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX assessment_transitions_assessment ON assessment_transitions (assessment_id, id);
