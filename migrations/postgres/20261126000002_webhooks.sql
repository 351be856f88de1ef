-- Mirrors migrations/sqlite/20261126000002_webhooks.sql for PostgreSQL 15.
-- Webhooks out: a subscriber (the system behind an API key, e.g. the
-- 12345 platform) is told of status changes of the cases its key brought
-- in. Notifications are written to an outbox in the transaction of the
-- change and delivered from it, oldest first per case, until answered 2xx.

CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY,
    api_key_id  TEXT NOT NULL REFERENCES api_keys (id),
    url         TEXT NOT NULL,
    -- The HMAC-SHA256 key deliveries are signed with; shown once.
    secret      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    disabled_at BIGINT
);
CREATE INDEX webhooks_key ON webhooks (api_key_id);

CREATE TABLE webhook_outbox (
    id           BIGSERIAL PRIMARY KEY,
    webhook_id   TEXT NOT NULL REFERENCES webhooks (id),
    case_id      TEXT NOT NULL REFERENCES cases (id),
    body         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    -- When the next attempt is due.
    next_at      BIGINT NOT NULL,
    delivered_at BIGINT,
    -- The last failed attempt: the HTTP status (none if it never got one)
    -- and what went wrong.
    last_status  BIGINT,
    last_error   TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (delivered_at, next_at);
CREATE INDEX webhook_outbox_case ON webhook_outbox (webhook_id, case_id, id);
