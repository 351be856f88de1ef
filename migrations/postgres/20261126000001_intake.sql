-- Mirrors migrations/sqlite/20261126000001_intake.sql for PostgreSQL 15.
-- Intake from outside systems: the API keys trusted systems present, what
-- a request from outside said about its sender, and the tickets other
-- platforms (12345, 110, courts) transferred in. Times are Unix ms.

-- A key a trusted system presents (Open311 `api_key`, or `X-Api-Key` on a
-- transfer). Only its SHA-256 is kept; the key is shown once, when made.
-- Cases it brings in are reported by its own account (`user_id`), a
-- resident of the key's county that cannot log in.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    -- The channel its cases arrive by: open311, hotline_12345, police_110
    -- or court_referral.
    source      TEXT NOT NULL,
    key_sha256  TEXT NOT NULL UNIQUE,
    user_id     TEXT NOT NULL REFERENCES users (id),
    county_id   TEXT NOT NULL REFERENCES org_units (id),
    created_by  TEXT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

-- Who sent a case in from outside, as they said (all optional), and the
-- media they pointed to. Personal data: read only by staff, and logged.
CREATE TABLE case_contacts (
    case_id     TEXT PRIMARY KEY REFERENCES cases (id),
    api_key_id  TEXT REFERENCES api_keys (id),
    first_name  TEXT,
    last_name   TEXT,
    email       TEXT,
    phone       TEXT,
    device_id   TEXT,
    account_id  TEXT,
    address     TEXT,
    media_url   TEXT
);

-- A ticket another platform transferred in: one case per (source,
-- external id). Each changed resend raises `revision`; its hash tells an
-- unchanged resend from a change.
CREATE TABLE transfers (
    source       TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    case_id      TEXT NOT NULL UNIQUE REFERENCES cases (id),
    revision     BIGINT NOT NULL,
    body_sha256  TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (source, external_id)
);
