-- The log of personal-data reads is listed in the order it was written.
-- That order was SQLite's hidden rowid; PostgreSQL has none, so it becomes
-- a column of its own (an alias of the rowid here, so existing rows keep
-- their numbers). Rebuilt because SQLite cannot add a primary key.
CREATE TABLE personal_data_reads_new (
    at       INTEGER NOT NULL,
    user_id  TEXT NOT NULL REFERENCES users (id),
    case_id  TEXT NOT NULL REFERENCES cases (id),
    via      TEXT NOT NULL,
    id       INTEGER PRIMARY KEY
);
INSERT INTO personal_data_reads_new (at, user_id, case_id, via, id)
    SELECT at, user_id, case_id, via, rowid FROM personal_data_reads ORDER BY rowid;
DROP TABLE personal_data_reads;
ALTER TABLE personal_data_reads_new RENAME TO personal_data_reads;
CREATE INDEX personal_data_reads_case ON personal_data_reads (case_id, at);
