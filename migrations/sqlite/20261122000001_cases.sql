-- Cases, their history, joint handling, supervision, routing data and the
-- scheduler's leases. Times are Unix milliseconds; ids UUIDv7 text.

-- Departments become org units. SQLite cannot change a CHECK constraint, so
-- org_units is rebuilt: copied aside, dropped and created again with the wider
-- check, then filled back. Foreign keys into it are checked at commit, when
-- every referenced row is back.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE org_units_copy AS SELECT * FROM org_units;
DROP TABLE org_units;
CREATE TABLE org_units (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('county', 'township', 'village', 'grid', 'micro_grid', 'department')),
    code             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    parent_id        TEXT REFERENCES org_units (id),
    created_at       INTEGER NOT NULL,
    -- What a department is (judicial_office, labour, …); only departments have one.
    department_kind  TEXT CHECK ((kind = 'department') = (department_kind IS NOT NULL))
);
INSERT INTO org_units (id, kind, code, name, parent_id, created_at)
    SELECT id, kind, code, name, parent_id, created_at FROM org_units_copy;
DROP TABLE org_units_copy;
CREATE INDEX org_units_parent ON org_units (parent_id);

-- Whether a role holder takes new cases now (off duty: on leave, off shift).
ALTER TABLE user_roles ADD COLUMN on_duty INTEGER NOT NULL DEFAULT 1;

CREATE TABLE cases (
    id               TEXT PRIMARY KEY,
    -- Bumped by every change; writers compare it (optimistic concurrency).
    version          INTEGER NOT NULL,
    status           TEXT NOT NULL,
    category         TEXT NOT NULL,
    description      TEXT NOT NULL,
    channel          TEXT NOT NULL,
    lat              REAL NOT NULL,
    lon              REAL NOT NULL,
    -- The grid and the units above it when the case was placed: scope
    -- filters compare against these, whatever the caller's level.
    grid_id          TEXT REFERENCES org_units (id),
    village_id       TEXT REFERENCES org_units (id),
    township_id      TEXT REFERENCES org_units (id),
    county_id        TEXT REFERENCES org_units (id),
    distance_m       REAL NOT NULL,
    risk             TEXT,
    people_affected  INTEGER NOT NULL,
    amount_yuan      INTEGER NOT NULL,
    reporter_id      TEXT NOT NULL REFERENCES users (id),
    rule_id          TEXT NOT NULL,
    tier             INTEGER NOT NULL,
    tier_name        TEXT NOT NULL,
    lead_unit_id     TEXT NOT NULL REFERENCES org_units (id),
    assignee_id      TEXT REFERENCES users (id),
    -- The unit must sign for it by this time; then its tier clock runs to `deadline`.
    sign_by          INTEGER,
    signed_at        INTEGER,
    deadline         INTEGER,
    -- When to warn that the deadline is near; cleared once warned, set
    -- again with each new deadline (so each deadline warns once).
    warn_at          INTEGER,
    -- Set when the scheduler found the case overdue on the top rung (there
    -- is nowhere higher to send it); cleared with each new deadline.
    overdue_at       INTEGER,
    outcome          TEXT,
    summary          TEXT,
    rating           INTEGER,
    merged_into      TEXT REFERENCES cases (id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
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
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    side       TEXT NOT NULL,
    phone      TEXT,
    id_number  TEXT,
    PRIMARY KEY (case_id, position)
);

-- The history: append-only, one row per thing that happened.
CREATE TABLE case_events (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    seq       INTEGER NOT NULL,
    at        INTEGER NOT NULL,
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
    deadline     INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    report       TEXT,
    reported_at  INTEGER,
    reported_by  TEXT REFERENCES users (id)
);
CREATE INDEX case_tasks_case ON case_tasks (case_id);
CREATE INDEX case_tasks_unit ON case_tasks (unit_id) WHERE reported_at IS NULL;

CREATE TABLE supervision_orders (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    issued_by    TEXT NOT NULL REFERENCES users (id),
    issued_at    INTEGER NOT NULL,
    text         TEXT NOT NULL,
    deadline     INTEGER NOT NULL,
    answer       TEXT,
    answered_at  INTEGER,
    answered_by  TEXT REFERENCES users (id)
);
CREATE INDEX supervision_orders_case ON supervision_orders (case_id);

-- Who read parties' personal data, when, through what.
CREATE TABLE personal_data_reads (
    at       INTEGER NOT NULL,
    user_id  TEXT NOT NULL REFERENCES users (id),
    case_id  TEXT NOT NULL REFERENCES cases (id),
    via      TEXT NOT NULL
);
CREATE INDEX personal_data_reads_case ON personal_data_reads (case_id, at);

-- The routing rule set in force (JSON rules, tried by priority).
CREATE TABLE routing_rules (
    position  INTEGER PRIMARY KEY,
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
    until   INTEGER NOT NULL
);
