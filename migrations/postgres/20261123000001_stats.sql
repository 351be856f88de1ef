-- Mirrors migrations/sqlite/20261123000001_stats.sql for PostgreSQL 15.
-- Statistics find the cases dispatched in a period through their dispatch
-- events: one index probe per period instead of a scan of the history.
CREATE INDEX case_events_action_at ON case_events (action, at);
