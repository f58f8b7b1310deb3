-- A pseudonym is reserved only once its account's address is verified, so
-- that an unverified sign-up reveals nothing about whether an address has an
-- account (issue 11, item 4). Conflicts between unverified accounts are
-- resolved when the address is verified (the later one gets a free variant).
DROP INDEX users_display_name_unique;
CREATE UNIQUE INDEX users_display_name_unique ON users (lower(display_name)) WHERE erased_at IS NULL AND email_verified_at IS NOT NULL;
