-- Mirrors migrations/sqlite/20261124000002_photos.sql for PostgreSQL 15.
-- Photos of cases, content-addressed. Times are Unix milliseconds.

-- The bytes of every photo the server holds, by SHA-256 (hex). Stored in the
-- database, not on a replica's disk, so every replica serves every photo.
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,
    bytes      BIGINT NOT NULL,
    mime       TEXT NOT NULL,
    data       BYTEA NOT NULL,
    -- A JPEG no larger than 320 px on its longest side.
    thumb      BYTEA NOT NULL,
    stored_at  BIGINT NOT NULL
);

-- A photo attached to a case. Its metadata arrives with the case; it is
-- available once its blob is stored by someone who can see the case (or it
-- was attached by someone who could already read those bytes) and a case
-- write has said so (that write is what makes phones fetch the case again).
CREATE TABLE photos (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    sha256       TEXT NOT NULL,
    bytes        BIGINT NOT NULL,
    mime         TEXT NOT NULL,
    added_by     TEXT REFERENCES users (id),
    added_at     BIGINT NOT NULL,
    available_at BIGINT
);
CREATE INDEX photos_case ON photos (case_id, added_at);
CREATE INDEX photos_sha ON photos (sha256);

-- An upload in progress: one per person and digest, so starting it again
-- resumes it. Its chunks are kept until it completes or expires.
CREATE TABLE uploads (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    sha256      TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    mime        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (user_id, sha256)
);

CREATE TABLE upload_chunks (
    upload_id  TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    n          BIGINT NOT NULL,
    data       BYTEA NOT NULL,
    PRIMARY KEY (upload_id, n)
);
