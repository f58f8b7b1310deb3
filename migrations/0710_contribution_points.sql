-- Points on contributions (issue 14, docs/maps.md): at most one point per
-- contribution, stored rounded to 4 decimals of a degree (about 11 m north-
-- south, 7 m east-west in Leipzig), public only with the author's consent.
-- place_text is the author's own description of the place.
ALTER TABLE contributions ADD COLUMN point_lat DOUBLE PRECISION;
ALTER TABLE contributions ADD COLUMN point_lon DOUBLE PRECISION;
ALTER TABLE contributions ADD COLUMN point_public BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE contributions ADD COLUMN place_text TEXT NOT NULL DEFAULT '';
