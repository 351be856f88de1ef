-- Mirrors migrations/sqlite/20261122000001_cases.sql for PostgreSQL 15.
-- Cases, their history, joint handling, supervision, routing data and the
-- scheduler's leases. Times are Unix milliseconds; ids UUIDv7 text.

-- Departments become org units. SQLite has to rebuild org_units to widen its
-- kind check; PostgreSQL alters the table in place, which keeps its rows, its
-- index and every foreign key into it. The result is the same table:
-- department_kind is added as its last column, with the same checks.
ALTER TABLE org_units DROP CONSTRAINT org_units_kind_check;
ALTER TABLE org_units ADD CONSTRAINT org_units_kind_check
    CHECK (kind IN ('county', 'township', 'village', 'grid', 'micro_grid', 'department'));
-- What a department is (judicial_office, labour, …); only departments have one.
ALTER TABLE org_units ADD COLUMN department_kind TEXT;
ALTER TABLE org_units ADD CONSTRAINT org_units_department_kind_check
    CHECK ((kind = 'department') = (department_kind IS NOT NULL));

-- Whether a role holder takes new cases now (off duty: on leave, off shift).
ALTER TABLE user_roles ADD COLUMN on_duty BIGINT NOT NULL DEFAULT 1;

CREATE TABLE cases (
    id               TEXT PRIMARY KEY,
    -- Bumped by every change; writers compare it (optimistic concurrency).
    version          BIGINT NOT NULL,
    status           TEXT NOT NULL,
    category         TEXT NOT NULL,
    description      TEXT NOT NULL,
    channel          TEXT NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    -- The grid and the units above it when the case was placed: scope
    -- filters compare against these, whatever the caller's level.
    grid_id          TEXT REFERENCES org_units (id),
    village_id       TEXT REFERENCES org_units (id),
    township_id      TEXT REFERENCES org_units (id),
    county_id        TEXT REFERENCES org_units (id),
    distance_m       DOUBLE PRECISION NOT NULL,
    risk             TEXT,
    people_affected  BIGINT NOT NULL,
    amount_yuan      BIGINT NOT NULL,
    reporter_id      TEXT NOT NULL REFERENCES users (id),
    rule_id          TEXT NOT NULL,
    tier             BIGINT NOT NULL,
    tier_name        TEXT NOT NULL,
    lead_unit_id     TEXT NOT NULL REFERENCES org_units (id),
    assignee_id      TEXT REFERENCES users (id),
    -- The unit must sign for it by this time; then its tier clock runs to `deadline`.
    sign_by          BIGINT,
    signed_at        BIGINT,
    deadline         BIGINT,
    -- When to warn that the deadline is near; cleared once warned, set
    -- again with each new deadline (so each deadline warns once).
    warn_at          BIGINT,
    -- Set when the scheduler found the case overdue on the top rung (there
    -- is nowhere higher to send it); cleared with each new deadline.
    overdue_at       BIGINT,
    outcome          TEXT,
    summary          TEXT,
    rating           BIGINT,
    merged_into      TEXT REFERENCES cases (id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX cases_grid ON cases (grid_id, id);
CREATE INDEX cases_village ON cases (village_id, id);
CREATE INDEX cases_township ON cases (township_id, id);
CREATE INDEX cases_county ON cases (county_id, id);
CREATE INDEX cases_warn_at ON cases (warn_at) WHERE warn_at IS NOT NULL;
CREATE INDEX cases_lead ON cases (lead_unit_id, status);
CREATE INDEX cases_assignee ON cases (assignee_id, status);
CREATE INDEX cases_reporter ON cases (reporter_id, id);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_sign_by ON cases (sign_by) WHERE status = 'assigned';
CREATE INDEX cases_deadline ON cases (deadline) WHERE status IN ('signed_for', 'in_progress');

-- Personal data of the people involved; read only through the access log.
CREATE TABLE case_parties (
    case_id    TEXT NOT NULL REFERENCES cases (id),
    position   BIGINT NOT NULL,
    name       TEXT NOT NULL,
    side       TEXT NOT NULL,
    phone      TEXT,
    id_number  TEXT,
    PRIMARY KEY (case_id, position)
);

-- The history: append-only, one row per thing that happened.
CREATE TABLE case_events (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    seq       BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    actor_id  TEXT REFERENCES users (id),
    action    TEXT NOT NULL,
    -- JSON: the action's arguments and what it did (tier, unit, deadline…).
    detail    TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_events_at ON case_events (at);

-- Co-handling: one row per unit called in, with its task and report.
CREATE TABLE case_tasks (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    unit_id      TEXT NOT NULL REFERENCES org_units (id),
    task         TEXT NOT NULL,
    deadline     BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    report       TEXT,
    reported_at  BIGINT,
    reported_by  TEXT REFERENCES users (id)
);
CREATE INDEX case_tasks_case ON case_tasks (case_id);
CREATE INDEX case_tasks_unit ON case_tasks (unit_id) WHERE reported_at IS NULL;

CREATE TABLE supervision_orders (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    issued_by    TEXT NOT NULL REFERENCES users (id),
    issued_at    BIGINT NOT NULL,
    text         TEXT NOT NULL,
    deadline     BIGINT NOT NULL,
    answer       TEXT,
    answered_at  BIGINT,
    answered_by  TEXT REFERENCES users (id)
);
CREATE INDEX supervision_orders_case ON supervision_orders (case_id);

-- Who read parties' personal data, when, through what.
CREATE TABLE personal_data_reads (
    at       BIGINT NOT NULL,
    user_id  TEXT NOT NULL REFERENCES users (id),
    case_id  TEXT NOT NULL REFERENCES cases (id),
    via      TEXT NOT NULL
);
CREATE INDEX personal_data_reads_case ON personal_data_reads (case_id, at);

-- The routing rule set in force (JSON rules, tried by priority). The
-- position is always given by the writer (SQLite's INTEGER PRIMARY KEY is a
-- rowid alias, but nothing relies on its auto-numbering), so no identity.
CREATE TABLE routing_rules (
    position  BIGINT PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    body      TEXT NOT NULL
);

-- A county's own tier ladder (JSON); counties without one use the default.
CREATE TABLE ladders (
    county_id  TEXT PRIMARY KEY REFERENCES org_units (id),
    body       TEXT NOT NULL
);

-- Calendar exceptions beyond the shipped national ones (or overriding them).
CREATE TABLE calendar_days (
    date  TEXT PRIMARY KEY,
    kind  TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name  TEXT NOT NULL
);

-- Leases for scheduled jobs: whoever holds an unexpired lease runs the job.
CREATE TABLE job_leases (
    job     TEXT PRIMARY KEY,
    holder  TEXT NOT NULL,
    until   BIGINT NOT NULL
);
