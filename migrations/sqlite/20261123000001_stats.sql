-- Statistics find the cases dispatched in a period through their dispatch
-- events: one index probe per period instead of a scan of the history.
CREATE INDEX case_events_action_at ON case_events (action, at);
