-- Selection with quotas (issue 6): per selection event the categories the
-- organisers define, their values with minimum and maximum seats, the
-- applicants' answers to free categories, and the draw settings.

-- source: stadtgebiet, age, gender, first_time (answers the registration
-- already asks) or free (answered in selection_answers).
CREATE TABLE selection_categories (
    id {{pk}},
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at {{timestamp}} NOT NULL
);
CREATE UNIQUE INDEX selection_categories_name ON selection_categories (event_id, lower(name));

-- code is the answer that maps to the value ('' = no answer given).
CREATE TABLE selection_values (
    id {{pk}},
    category_id BIGINT NOT NULL REFERENCES selection_categories(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    code TEXT NOT NULL,
    label TEXT NOT NULL,
    min_seats INTEGER NOT NULL DEFAULT 0,
    max_seats INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX selection_values_category ON selection_values (category_id, position);

-- Answers of applicants to free categories (personal data: export and erase).
CREATE TABLE selection_answers (
    registration_id BIGINT NOT NULL REFERENCES event_registrations(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES selection_categories(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (registration_id, category_id)
);

-- algorithm: leximin (default) or legacy; household: '' or 'email_surname'.
CREATE TABLE selection_settings (
    event_id BIGINT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    algorithm TEXT NOT NULL DEFAULT 'leximin',
    household TEXT NOT NULL DEFAULT '',
    updated_at {{timestamp}} NOT NULL
);
