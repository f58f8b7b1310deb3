-- future.labs: self-organised thematic labs with live boards.
CREATE TABLE labs (
    id {{pk}},
    title TEXT NOT NULL,
    theme TEXT NOT NULL,
    description TEXT NOT NULL,
    -- proposed (waits for a moderator), active, rejected, archived
    status TEXT NOT NULL,
    -- true: everyone may read and join; false: members only
    open BOOLEAN NOT NULL DEFAULT TRUE,
    -- raised by a host to invalidate every invitation link handed out so far
    invite_gen INTEGER NOT NULL DEFAULT 1,
    proposed_by BIGINT REFERENCES users(id),
    reviewed_by BIGINT REFERENCES users(id),
    reviewed_at {{timestamp}},
    reject_reason TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX labs_status ON labs (status);

CREATE TABLE lab_members (
    lab_id BIGINT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- host or member
    role TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    PRIMARY KEY (lab_id, user_id)
);
CREATE INDEX lab_members_user ON lab_members (user_id);

CREATE TABLE boards (
    id {{pk}},
    lab_id BIGINT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    -- chosen at creation: nobody (hosts included) sees who wrote a card
    anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    -- collect, vote, discuss, closed
    phase TEXT NOT NULL DEFAULT 'collect',
    votes_per_person INTEGER NOT NULL DEFAULT 5,
    votes_revealed BOOLEAN NOT NULL DEFAULT TRUE,
    -- new cards stay concealed (visible to their author only) until revealed
    private_writing BOOLEAN NOT NULL DEFAULT FALSE,
    timer_ends_at {{timestamp}},
    -- sequence number of the last event in board_events; every change takes
    -- the next one with a conditional UPDATE in its own transaction
    last_seq BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX boards_lab ON boards (lab_id);

CREATE TABLE board_columns (
    id {{pk}},
    board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX board_columns_board ON board_columns (board_id, position);

CREATE TABLE board_cards (
    id {{pk}},
    board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    column_id BIGINT NOT NULL REFERENCES board_columns(id) ON DELETE CASCADE,
    -- order inside the column; a move changes only the moved card
    position DOUBLE PRECISION NOT NULL,
    body TEXT NOT NULL,
    color TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users(id),
    -- written during private writing and not yet revealed
    concealed BOOLEAN NOT NULL DEFAULT FALSE,
    -- hidden by a host
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    -- raised by every change of content (text, colour, hidden)
    version INTEGER NOT NULL DEFAULT 1,
    handed_over_at {{timestamp}},
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE INDEX board_cards_board ON board_cards (board_id, column_id, position);
CREATE INDEX board_cards_author ON board_cards (author_id);

-- One row per dot.
CREATE TABLE board_votes (
    id {{pk}},
    board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id BIGINT NOT NULL REFERENCES board_cards(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{timestamp}} NOT NULL
);
CREATE INDEX board_votes_card ON board_votes (card_id, user_id);
CREATE INDEX board_votes_user ON board_votes (board_id, user_id);

-- The event log of each board: what the live clients receive, in order.
CREATE TABLE board_events (
    board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    -- "<actor id>:<client operation id>": a retried operation is applied once
    op_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    at {{timestamp}} NOT NULL,
    PRIMARY KEY (board_id, seq),
    UNIQUE (board_id, op_id)
);
CREATE INDEX board_events_at ON board_events (at);

-- Who has a board open, per app instance (refreshed while connected).
CREATE TABLE board_presence (
    board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    instance TEXT NOT NULL,
    connections INTEGER NOT NULL,
    seen_at {{timestamp}} NOT NULL,
    PRIMARY KEY (board_id, user_id, instance)
);
