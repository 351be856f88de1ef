-- Mirrors migrations/sqlite/20261124000001_sync.sql for PostgreSQL 15.
-- Offline sync: registered devices, what became of each numbered mutation,
-- and the change log that pull reads. Times are Unix milliseconds.

-- A phone registered after login. It numbers its mutations 1, 2, 3…;
-- `last_applied` is the last number the server has dealt with (applied,
-- found a duplicate of, or rejected), moved in the same transaction as the
-- mutation's effects.
CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    platform      TEXT NOT NULL,
    app_version   TEXT,
    last_applied  BIGINT NOT NULL DEFAULT 0,
    -- The change-log position of the transaction that moved `last_applied`.
    applied_seq   BIGINT NOT NULL DEFAULT 0,
    -- The highest acknowledgement the device has shown it received (from its
    -- pull cursor); results up to it may be forgotten.
    acked         BIGINT NOT NULL DEFAULT 0,
    registered_at BIGINT NOT NULL,
    last_seen     BIGINT NOT NULL,
    revoked_at    BIGINT
);
CREATE INDEX devices_user ON devices (user_id);

-- A session opened on a device: its refresh tokens stop working when the
-- device is revoked.
ALTER TABLE sessions ADD COLUMN device_id TEXT REFERENCES devices (id);

-- The stored answer to each mutation, so a repeat gets the same answer.
CREATE TABLE mutation_results (
    device_id  TEXT NOT NULL REFERENCES devices (id),
    number     BIGINT NOT NULL,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('applied', 'duplicate', 'rejected')),
    code       TEXT,
    message    TEXT,
    entity_id  TEXT,
    -- The device's clock when it made the mutation: recorded, never used
    -- to order anything.
    device_time TEXT,
    seq        BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (device_id, number)
);

-- The hash of the arguments a case was created with, so the same id sent
-- again (a reinstalled phone) is recognised as the same report or not.
CREATE TABLE case_intake (
    case_id     TEXT PRIMARY KEY REFERENCES cases (id),
    args_sha256 TEXT NOT NULL
);

-- One row: the sequencer and the log's identity. Every transaction that
-- changes what devices see takes the next `seq` as its last statement, so
-- on both SQLite and PostgreSQL commit order is seq order. `epoch` changes
-- when the log is rebuilt or the database restored; `floor_seq` is the
-- oldest position still complete after compaction.
CREATE TABLE sync_meta (
    id         BIGINT PRIMARY KEY CHECK (id = 1),
    epoch      TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    floor_seq  BIGINT NOT NULL
);
-- The first epoch: 32 random lowercase hex digits, the shape of SQLite's
-- lower(hex(randomblob(16))) and of the server's later epochs (a UUID in
-- simple form). PostgreSQL has no randomblob(); gen_random_uuid() draws
-- from the strong random source (122 of its 128 bits are random).
INSERT INTO sync_meta (id, epoch, seq, floor_seq)
VALUES (1, replace(gen_random_uuid()::text, '-', ''), 0, 0);

-- One row per change of an entity per scope that may see it. A case that
-- leaves a scope gets a `remove` there. Rows of one transaction share a seq.
CREATE TABLE sync_log (
    seq              BIGINT NOT NULL,
    scope            TEXT NOT NULL,
    entity           TEXT NOT NULL CHECK (entity IN ('case', 'watch')),
    entity_id        TEXT NOT NULL,
    op               TEXT NOT NULL CHECK (op IN ('upsert', 'remove')),
    rev              BIGINT NOT NULL,
    at               BIGINT NOT NULL,
    device_id        TEXT,
    mutation_number  BIGINT,
    PRIMARY KEY (scope, seq, entity, entity_id)
);
CREATE INDEX sync_log_seq ON sync_log (seq);

-- The scopes each entity is logged under now, so the next change knows
-- which scopes it leaves (and logs a `remove` there).
CREATE TABLE sync_scopes (
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    scope      TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, scope)
);
