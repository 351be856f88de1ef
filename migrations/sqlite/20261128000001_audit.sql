-- Every request that changes something (and the privacy reads), with who
-- made it, from which device, when, and what came of it. Written by the
-- audit layer after the handler answered; a case's own history
-- (`case_events`, written with the change) stays the record of what a case
-- went through, this is the record of who asked for what.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    -- NULL: nobody signed in (a login, Open311, a source's API key).
    user_id    TEXT REFERENCES users (id),
    device_id  TEXT,
    method     TEXT NOT NULL,
    -- The route as registered (`/v1/cases/{id}/actions`) and the path asked.
    route      TEXT NOT NULL,
    path       TEXT NOT NULL,
    status     INTEGER NOT NULL,
    -- JSON the handler added (counts of a privacy request); never personal data.
    detail     TEXT
);
CREATE INDEX audit_log_user ON audit_log (user_id, id);

-- Reads of personal data name the device they were made from, when there was one.
ALTER TABLE personal_data_reads ADD COLUMN device_id TEXT;
CREATE INDEX personal_data_reads_user ON personal_data_reads (user_id, id);
