-- Staff accounts and sessions, and what triage records on a report.

CREATE TABLE staff_users (
  id            serial PRIMARY KEY,
  email         text NOT NULL UNIQUE CHECK (email = lower(email) AND char_length(email) <= 254),
  display_name  text NOT NULL DEFAULT '',
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('crew', 'supervisor', 'council', 'admin')),
  -- A crew member works one team's queue; a supervisor every team of one service (e.g. "voirie").
  team_id       integer REFERENCES teams (id),
  service       text,
  is_active     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'crew' OR team_id IS NOT NULL),
  CHECK (role <> 'supervisor' OR service IS NOT NULL)
);

-- Only a hash of the session token is stored; revoking sets revoked_at.
CREATE TABLE staff_sessions (
  token_hash   text PRIMARY KEY,
  user_id      integer NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX staff_sessions_user_idx ON staff_sessions (user_id);

ALTER TABLE reports
  ADD COLUMN assigned_to      integer REFERENCES staff_users (id),
  ADD COLUMN scheduled_for    timestamptz,
  ADD COLUMN rejection_reason text,
  ADD COLUMN duplicate_of     uuid REFERENCES reports (id),
  ADD COLUMN transferred_to   text;

-- Deadlines in calendar hours (urgent: a leak, a traffic light) or working hours (graffiti, furniture).
ALTER TABLE categories
  ADD COLUMN deadline_mode text NOT NULL DEFAULT 'calendar' CHECK (deadline_mode IN ('calendar', 'working'));

-- An outbox row may ask for a delayed job (a deadline check): the relay passes the delay to BullMQ.
ALTER TABLE outbox ADD COLUMN run_at timestamptz;

-- The default queue order: late first, then priority, then the nearest deadline.
CREATE INDEX reports_queue_idx ON reports (team_id, deadline_at, priority)
  WHERE status IN ('new', 'acknowledged', 'scheduled', 'in_progress', 'reopened');

-- References keep at least six digits and grow past a million (Paris files about 1.1M a year):
-- lpad() alone would truncate the seventh digit and repeat references.
CREATE FUNCTION next_report_ref() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n text := nextval('report_ref_seq')::text;
BEGIN
  RETURN 'PAV-' || to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY') || '-' || lpad(n, greatest(6, length(n)), '0');
END $$;
ALTER TABLE reports ALTER COLUMN ref SET DEFAULT next_report_ref();
