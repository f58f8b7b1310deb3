-- The venue of an event as a point (issue 14, docs/maps.md): optional,
-- rounded like the points of contributions (4 decimals, about 10 m), and
-- shown on the map of its Stadtbezirk and on the events map.
ALTER TABLE events ADD COLUMN venue_lat DOUBLE PRECISION;
ALTER TABLE events ADD COLUMN venue_lon DOUBLE PRECISION;
