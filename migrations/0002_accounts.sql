-- Accounts, sessions, single-purpose tokens, personal access tokens and linked
-- identities from OpenID Connect providers.
CREATE TABLE users (
    id {{pk}},
    -- Lower-cased. NULL once the account is erased, so the address can be reused.
    email TEXT UNIQUE,
    email_verified_at {{timestamp}},
    display_name TEXT NOT NULL,
    -- NULL for accounts that only log in through an identity provider.
    password_hash TEXT,
    ortsteil_code TEXT REFERENCES ortsteile(code),
    role TEXT NOT NULL DEFAULT 'citizen',
    locale TEXT NOT NULL DEFAULT 'de',
    privacy_consent_at {{timestamp}},
    privacy_version TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    updated_at {{timestamp}} NOT NULL,
    -- Set when the person deleted the account: every personal field is cleared,
    -- the row stays so that public contributions keep their author reference.
    erased_at {{timestamp}}
);
-- Pseudonyms are unique regardless of case so that nobody can pose as someone else.
CREATE UNIQUE INDEX users_display_name_unique ON users (lower(display_name)) WHERE erased_at IS NULL;
CREATE INDEX users_role ON users (role);

CREATE TABLE sessions (
    id {{pk}},
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{timestamp}} NOT NULL,
    last_seen_at {{timestamp}} NOT NULL,
    expires_at {{timestamp}} NOT NULL,
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Links sent by mail: verify an address, reset a password, confirm a new address.
CREATE TABLE user_tokens (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    data TEXT NOT NULL DEFAULT '',
    created_at {{timestamp}} NOT NULL,
    expires_at {{timestamp}} NOT NULL,
    used_at {{timestamp}}
);
CREATE INDEX user_tokens_user ON user_tokens (user_id, purpose);

CREATE TABLE api_tokens (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at {{timestamp}} NOT NULL,
    last_used_at {{timestamp}}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE user_identities (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- Failed logins, keyed by a hash of the submitted address or of the client IP,
-- shared by every app instance.
CREATE TABLE login_failures (
    id {{pk}},
    key_hash TEXT NOT NULL,
    failed_at {{timestamp}} NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key_hash, failed_at);

-- Installation-wide values every instance must agree on (e.g. the signing key).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
