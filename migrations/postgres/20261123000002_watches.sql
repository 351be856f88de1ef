-- Mirrors migrations/sqlite/20261123000002_watches.sql for PostgreSQL 15.
-- The register of watched households and places ("five classes, four
-- colours"). The row carries the one visit owed next; visits made, class
-- changes and missed-visit warnings are its history.
CREATE TABLE watches (
    id              TEXT PRIMARY KEY,
    version         BIGINT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('household', 'place')),
    label           TEXT NOT NULL,
    address         TEXT,
    lat             DOUBLE PRECISION NOT NULL,
    lon             DOUBLE PRECISION NOT NULL,
    grid_id         TEXT NOT NULL REFERENCES org_units (id),
    village_id      TEXT REFERENCES org_units (id),
    township_id     TEXT REFERENCES org_units (id),
    county_id       TEXT REFERENCES org_units (id),
    level           TEXT NOT NULL CHECK (level IN ('safe', 'micro', 'low', 'medium', 'high')),
    reason          TEXT NOT NULL,
    responsible_id  TEXT REFERENCES users (id),
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    -- The next visit's due time; NULL while safe.
    next_due        BIGINT,
    last_visit_at   BIGINT,
    -- When the scheduler warned that the visit owed was missed; cleared by
    -- the visit or a new class (so each visit owed warns once).
    missed_at       BIGINT,
    CHECK ((level = 'safe') = (next_due IS NULL))
);
CREATE INDEX watches_grid ON watches (grid_id, id);
CREATE INDEX watches_village ON watches (village_id, id);
CREATE INDEX watches_township ON watches (township_id, id);
CREATE INDEX watches_county ON watches (county_id, id);
CREATE INDEX watches_responsible ON watches (responsible_id, next_due);
CREATE INDEX watches_missed ON watches (next_due) WHERE missed_at IS NULL AND next_due IS NOT NULL;

CREATE TABLE watch_events (
    watch_id  TEXT NOT NULL REFERENCES watches (id),
    seq       BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    actor_id  TEXT REFERENCES users (id),
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    PRIMARY KEY (watch_id, seq)
);
