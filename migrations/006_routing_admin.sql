-- Routing rules with a time window (nights and week-ends go to an on-call team), a team's service
-- as a column instead of a code convention, and an append-only trail of what administrators change.

-- A rule applies on `days` (ISO 1 = Monday … 7 = Sunday; NULL = every day) between `time_from` and
-- `time_to`, in Europe/Paris wall-clock time of the report's creation (both NULL = all day).
-- A window whose end is before its start crosses midnight and belongs to the day it starts on:
-- "days {5}, 20:00–07:00" is Friday evening to Saturday morning, like an on-call shift.
ALTER TABLE routing_rules
  ADD COLUMN days smallint[] CHECK (
    days IS NULL OR (array_ndims(days) = 1 AND cardinality(days) BETWEEN 1 AND 7
                     AND days <@ '{1,2,3,4,5,6,7}'::smallint[])),
  ADD COLUMN time_from time,
  ADD COLUMN time_to time,
  ADD CONSTRAINT routing_rules_window_check CHECK (
    (time_from IS NULL) = (time_to IS NULL) AND (time_from IS NULL OR time_from <> time_to));

-- "Which reports did this rule decide?": the admin API answers it per rule before deleting one, and
-- the ON DELETE SET NULL of a deleted rule would otherwise scan every report.
CREATE INDEX reports_routing_rule_idx ON reports (routing_rule_id) WHERE routing_rule_id IS NOT NULL;

-- The service a team belongs to (a supervisor sees every team of its service). Until now it was read
-- from the code ("voirie-11" → "voirie"); that convention is the backfill and the default for writers
-- that do not set it (the seed), so an on-call team such as "astreinte-voirie" can say "voirie".
ALTER TABLE teams ADD COLUMN service text;
UPDATE teams SET service = regexp_replace(code, '-[0-9]+$', '');
ALTER TABLE teams
  ALTER COLUMN service SET NOT NULL,
  ADD CONSTRAINT teams_service_check CHECK (char_length(service) BETWEEN 1 AND 80);
CREATE INDEX teams_service_idx ON teams (service);

CREATE FUNCTION teams_default_service() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.service := coalesce(NEW.service, regexp_replace(NEW.code, '-[0-9]+$', ''));
  RETURN NEW;
END $$;
CREATE TRIGGER teams_service_default BEFORE INSERT ON teams
  FOR EACH ROW EXECUTE FUNCTION teams_default_service();

-- Who changed what and when in the admin API. Rows hold before/after snapshots of the changed row
-- (never a password hash; an area's geometry as a summary). Append-only, like report_history.
CREATE TABLE admin_audit (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    integer NOT NULL REFERENCES staff_users (id),
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   text NOT NULL,
  before      jsonb,
  after       jsonb
);
CREATE INDEX admin_audit_at_idx ON admin_audit (at DESC);
CREATE INDEX admin_audit_entity_idx ON admin_audit (entity, entity_id);

CREATE FUNCTION admin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_audit is append-only';
END $$;
CREATE TRIGGER admin_audit_no_change BEFORE UPDATE OR DELETE ON admin_audit
  FOR EACH ROW EXECUTE FUNCTION admin_audit_append_only();
