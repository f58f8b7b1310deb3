-- Cards of future.labs handed over to AG INSEK. This is the minimal
-- contribution record of the labs until the contribution pipeline (draft
-- comments, channel "futurelab") is merged; see docs/labs.md.
CREATE TABLE lab_handovers (
    id {{pk}},
    channel TEXT NOT NULL DEFAULT 'futurelab',
    lab_id BIGINT NOT NULL REFERENCES labs(id) ON DELETE CASCADE,
    board_id BIGINT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
    card_id BIGINT REFERENCES board_cards(id) ON DELETE SET NULL,
    -- the card's text when it was handed over
    body TEXT NOT NULL,
    -- NULL on anonymous boards: the author stays unknown here too
    author_id BIGINT REFERENCES users(id),
    author_label TEXT NOT NULL DEFAULT '',
    votes INTEGER NOT NULL DEFAULT 0,
    handed_over_by BIGINT REFERENCES users(id),
    created_at {{timestamp}} NOT NULL,
    UNIQUE (card_id)
);
CREATE INDEX lab_handovers_lab ON lab_handovers (lab_id);
