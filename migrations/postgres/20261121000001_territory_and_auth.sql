-- Mirrors migrations/sqlite/20261121000001_territory_and_auth.sql for PostgreSQL 15.
-- Territory, accounts and sessions. Times are Unix milliseconds (BIGINT);
-- ids are UUIDv7 text. Append-only: never edit an applied migration.

-- The kind check is named so that 20261122000001_cases.sql can widen it
-- (the name is the one PostgreSQL would give it anyway).
CREATE TABLE org_units (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CONSTRAINT org_units_kind_check CHECK (kind IN ('county', 'township', 'village', 'grid', 'micro_grid')),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    parent_id   TEXT REFERENCES org_units (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX org_units_parent ON org_units (parent_id);

-- The polygon of a grid (or micro-grid): WKB MultiPolygon in WGS84.
CREATE TABLE grid_shapes (
    org_unit_id   TEXT PRIMARY KEY REFERENCES org_units (id),
    geometry      BYTEA NOT NULL,
    min_lon       DOUBLE PRECISION NOT NULL,
    min_lat       DOUBLE PRECISION NOT NULL,
    max_lon       DOUBLE PRECISION NOT NULL,
    max_lat       DOUBLE PRECISION NOT NULL,
    vertex_count  BIGINT NOT NULL,
    area_m2       DOUBLE PRECISION NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    disabled       BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id      TEXT NOT NULL REFERENCES users (id),
    role         TEXT NOT NULL,
    org_unit_id  TEXT NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (user_id, role, org_unit_id)
);
CREATE INDEX user_roles_unit ON user_roles (org_unit_id);

-- A login session: one per login, ended by logout. Access tokens name it, so
-- revoking it stops its access and refresh tokens at once.
CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens, stored as SHA-256 of the opaque token. Each is single-use:
-- using one marks it used and issues the next in the same session; using a
-- used one again revokes the session (a stolen token was replayed).
CREATE TABLE refresh_tokens (
    token_hash  BYTEA PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES sessions (id),
    issued_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Failed logins, per account and per address, for throttling.
CREATE TABLE login_failures (
    key  TEXT NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('territory_version', '0');
