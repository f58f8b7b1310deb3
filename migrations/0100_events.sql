-- Events (issue 3): Stadtgebiete, events with hard capacity, registrations with
-- waiting list and offers, invitations of organisations, the per-event log and
-- the published selection draws.

-- A Stadtgebiet is a named group of Stadtbezirke (the four Stadtgebietsforen).
-- The grouping is configuration; "example" marks the demo grouping.
CREATE TABLE stadtgebiete (
    id {{pk}},
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    example BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX stadtgebiete_name ON stadtgebiete (lower(name));

-- Each Stadtbezirk belongs to at most one Stadtgebiet.
CREATE TABLE stadtgebiet_bezirke (
    stadtbezirk_code TEXT PRIMARY KEY REFERENCES stadtbezirke(code),
    stadtgebiet_id BIGINT NOT NULL REFERENCES stadtgebiete(id) ON DELETE CASCADE
);
CREATE INDEX stadtgebiet_bezirke_gebiet ON stadtgebiet_bezirke (stadtgebiet_id);

CREATE TABLE events (
    id {{pk}},
    title TEXT NOT NULL,
    -- auftaktveranstaltung, fachforum, werkstattgespraech, stadtgebietsforum, future_lab, other
    format TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- theme codes wrapped in commas (",wohnen,verkehr,") so that a LIKE finds one
    themes TEXT NOT NULL DEFAULT '',
    venue TEXT NOT NULL,
    address TEXT NOT NULL,
    venue_access TEXT NOT NULL DEFAULT '',
    step_free BOOLEAN NOT NULL DEFAULT FALSE,
    stadtgebiet_id BIGINT REFERENCES stadtgebiete(id) ON DELETE SET NULL,
    starts_at {{timestamp}} NOT NULL,
    ends_at {{timestamp}} NOT NULL,
    registration_opens_at {{timestamp}} NOT NULL,
    registration_closes_at {{timestamp}} NOT NULL,
    -- first_come, selection, invitation
    allocation TEXT NOT NULL,
    -- The hard capacity and the seats held (confirmed + offered). The CHECK makes
    -- overbooking impossible whatever the application does.
    capacity INTEGER NOT NULL,
    seats_taken INTEGER NOT NULL DEFAULT 0,
    -- Seats open to the public: the capacity, or for invitation events the open
    -- seats for residents; public_taken counts the held ones.
    public_seats INTEGER NOT NULL,
    public_taken INTEGER NOT NULL DEFAULT 0,
    auto_promote BOOLEAN NOT NULL DEFAULT FALSE,
    offer_hours INTEGER NOT NULL DEFAULT 48,
    confirm_hours INTEGER NOT NULL DEFAULT 72,
    reminder_hours INTEGER NOT NULL DEFAULT 24,
    retention_days INTEGER NOT NULL DEFAULT 90,
    -- draft, published, cancelled
    status TEXT NOT NULL DEFAULT 'draft',
    cancel_reason TEXT NOT NULL DEFAULT '',
    cancelled_at {{timestamp}},
    -- "" before, "announced" once the seed source is announced and the pool
    -- frozen, "drawn" after the draw (selection events only)
    draw_status TEXT NOT NULL DEFAULT '',
    -- RFC 5545 SEQUENCE: raised when time or place change
    sequence INTEGER NOT NULL DEFAULT 0,
    reminder_sent_at {{timestamp}},
    purged_at {{timestamp}},
    -- Aggregate counts kept after the personal data is deleted (JSON).
    final_counts TEXT NOT NULL DEFAULT '',
    created_by BIGINT,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    CHECK (capacity >= 1),
    CHECK (seats_taken >= 0 AND seats_taken <= capacity),
    CHECK (public_seats >= 0 AND public_seats <= capacity),
    CHECK (public_taken >= 0 AND public_taken <= public_seats AND public_taken <= seats_taken)
);
CREATE INDEX events_starts ON events (status, starts_at);
CREATE INDEX events_stadtgebiet ON events (stadtgebiet_id);

-- Organisations invited to an invitation event (CSV import). The link in the
-- invitation mail names the delegates once.
CREATE TABLE event_invitations (
    id {{pk}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    organisation TEXT NOT NULL,
    -- stadtbezirksbeirat, ortschaftsrat, buergerverein, initiative, multiplikator
    kind TEXT NOT NULL,
    stadtbezirk_code TEXT REFERENCES stadtbezirke(code),
    email TEXT NOT NULL,
    seats INTEGER NOT NULL CHECK (seats >= 1),
    token_hash TEXT NOT NULL UNIQUE,
    sent_at {{timestamp}},
    used_at {{timestamp}},
    revoked_at {{timestamp}},
    created_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX event_invitations_org ON event_invitations (event_id, lower(organisation));

CREATE TABLE event_registrations (
    id {{pk}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- NULL for delegates named by an organisation (they need no account).
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- public (counts against public_seats) or delegate
    kind TEXT NOT NULL DEFAULT 'public',
    invitation_id BIGINT REFERENCES event_invitations(id) ON DELETE SET NULL,
    -- Delegates only: named by their organisation.
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    substitute_name TEXT NOT NULL DEFAULT '',
    substitute_email TEXT NOT NULL DEFAULT '',
    -- applied, confirmed, waitlisted, offered, cancelled, declined, expired
    status TEXT NOT NULL,
    -- Arrival order on the waiting list (or the order of the draw); the visible
    -- position is the rank among those still waiting.
    wait_seq BIGINT NOT NULL DEFAULT 0,
    -- Random applicant id published in draws instead of any personal data
    -- (selection events only; '' otherwise).
    pseudonym TEXT NOT NULL DEFAULT '',
    access_needs TEXT NOT NULL DEFAULT '',
    access_other TEXT NOT NULL DEFAULT '',
    -- Optional answers for the selection, stored only with consent.
    answers_consent BOOLEAN NOT NULL DEFAULT FALSE,
    answer_ortsteil TEXT NOT NULL DEFAULT '',
    answer_age TEXT NOT NULL DEFAULT '',
    answer_gender TEXT NOT NULL DEFAULT '',
    answer_first_time TEXT NOT NULL DEFAULT '',
    offered_at {{timestamp}},
    offer_expires_at {{timestamp}},
    -- Set when a mail about a change made without one (e.g. an offer made while
    -- an account was erased) still has to be sent: "offer" or "confirmed".
    notify_pending TEXT NOT NULL DEFAULT '',
    confirmed_at {{timestamp}},
    cancelled_at {{timestamp}},
    checked_in_at {{timestamp}},
    -- Part of every mailed link; replaced to make old links stop working.
    link_nonce TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    UNIQUE (event_id, user_id)
);
CREATE INDEX event_registrations_wait ON event_registrations (event_id, status, wait_seq);
CREATE INDEX event_registrations_user ON event_registrations (user_id);
-- Partial indexes: a registration that waits or is confirmed (nearly all,
-- and every row of a rush) does not touch them.
CREATE UNIQUE INDEX event_registrations_pseudonym ON event_registrations (event_id, pseudonym) WHERE pseudonym <> '';
CREATE INDEX event_registrations_offers ON event_registrations (offer_expires_at) WHERE status = 'offered';
CREATE INDEX event_registrations_notify ON event_registrations (id) WHERE notify_pending <> '';
-- The number of people waiting per event, spread over a few rows so that
-- concurrent registrations rarely wait for each other. Every change of a
-- registration into or out of the status waitlisted adjusts it in the same
-- transaction; SUM(n) is the length of the waiting list. A new waiter's
-- position is that sum minus the waiters behind them, without counting the
-- whole list.
CREATE TABLE event_wait_counts (
    event_id BIGINT NOT NULL,
    shard INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (event_id, shard)
);

{{if .Postgres}}
-- Arrival numbers for the waiting list, handed out without locking the event.
CREATE SEQUENCE event_wait_seq;

-- A new registration takes the event's shared advisory lock and reads the
-- event in one round trip. A VOLATILE function gets a fresh snapshot for each
-- statement, so the row is read after the lock was granted: a seat freed by
-- the holder of the exclusive lock is seen.
CREATE FUNCTION event_lock_shared(eid BIGINT, lock_key BIGINT) RETURNS SETOF events AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(lock_key);
    RETURN QUERY SELECT * FROM events WHERE id = eid;
END;
$$ LANGUAGE plpgsql VOLATILE;
{{end}}

-- What happened to seats, per event: offers, acceptances, declines, expiries,
-- promotions, cancellations, check-ins. No personal data beyond the
-- registration's id.
CREATE TABLE event_log (
    id {{pk}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    registration_id BIGINT,
    action TEXT NOT NULL,
    at {{timestamp}} NOT NULL,
    actor_id BIGINT,
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_log_event ON event_log (event_id, id);

-- The public record of a selection draw (DRAW.json, app/selection).
CREATE TABLE event_draws (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    algorithm TEXT NOT NULL,
    seed_source TEXT NOT NULL,
    pool_size INTEGER NOT NULL,
    seats INTEGER NOT NULL,
    pool_hash TEXT NOT NULL,
    panels_hash TEXT NOT NULL,
    announced_at {{timestamp}} NOT NULL,
    announced_by BIGINT,
    seed TEXT,
    witnesses TEXT NOT NULL DEFAULT '',
    chosen_index INTEGER,
    drawn_at {{timestamp}},
    drawn_by BIGINT,
    confirm_by {{timestamp}},
    document TEXT NOT NULL
);
