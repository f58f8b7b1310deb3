-- Leipzig on the map (issue 14, docs/maps.md).
-- Population per Ortsteil, imported by an admin from CSV: per-1,000 figures
-- are only offered when it exists, and always name its date (as_of).
CREATE TABLE ortsteil_population (
    ortsteil_code TEXT PRIMARY KEY REFERENCES ortsteile(code),
    population INTEGER NOT NULL CHECK (population >= 0),
    as_of TEXT NOT NULL,
    imported_at {{timestamp}} NOT NULL,
    imported_by BIGINT REFERENCES users(id) ON DELETE SET NULL
);
