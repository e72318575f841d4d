-- A short, ordered log of the live events (the public map's `report_events`, the crews'
-- `staff_events`), so a client that reconnects, to this API process or another, resumes after the
-- last event it saw (`Last-Event-ID`) instead of missing what happened while it was away.

-- Ids follow COMMIT order, not write order: a plain sequence taken when a row changes would let a
-- transaction that took id 10 commit after one that took id 11, and a client resuming "after 11"
-- would never see 10. So the id is taken at commit (deferred constraint triggers below) under one
-- transaction lock, released only once the commit is visible: a later id is never visible before an
-- earlier one. Transactions that NOTIFY already queue one behind the other at commit in PostgreSQL
-- (the notification queue's lock), so the extra lock costs little. It is taken last, after every row
-- lock the transaction holds, and the triggers then only insert new rows: it waits on nothing but
-- other commits, so it cannot deadlock with them.
CREATE SEQUENCE event_log_id_seq;

-- Rows are pruned by age (`pruneEventLog`, hourly upkeep); payloads are what the NOTIFY carried.
-- `staff` rows keep team ids: the API filters replayed events by the user's scope, as it does live.
CREATE TABLE event_log (
  id         bigint PRIMARY KEY,
  stream     text NOT NULL CHECK (stream IN ('public', 'staff')),
  payload    jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE event_log_id_seq OWNED BY event_log.id;
CREATE INDEX event_log_stream_idx ON event_log (stream, id);

-- Every event up to this id may have been pruned: a client last seeing an older one gets `reset`.
CREATE TABLE event_log_horizon (
  is_only_row    boolean PRIMARY KEY DEFAULT true CHECK (is_only_row),
  pruned_through bigint NOT NULL
);
INSERT INTO event_log_horizon (pruned_through) VALUES (0);

-- Logs one event and NOTIFYs it with its id. Called from deferred triggers, i.e. at commit.
CREATE FUNCTION publish_event(stream text, channel text, payload jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  event_id bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7283003);
  event_id := nextval('event_log_id_seq');
  INSERT INTO event_log (id, stream, payload) VALUES (event_id, stream, payload);
  PERFORM pg_notify(channel, json_build_object('eventId', event_id::text, 'event', payload)::text);
END $$;

-- map_reports stays in step at once (migration 003); the event and the data version move to commit.
CREATE OR REPLACE FUNCTION reports_publish_map() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cat record;
BEGIN
  SELECT c.public_days_after_close AS days INTO cat FROM categories c WHERE c.id = NEW.category_id;
  IF NEW.closed_at IS NULL OR NEW.closed_at > now() - make_interval(days => cat.days) THEN
    INSERT INTO map_reports (id, ref, status, category_id, created_at, closed_at, geom, geom_3857)
    VALUES (NEW.id, NEW.ref, NEW.status, NEW.category_id, NEW.created_at, NEW.closed_at, NEW.geom,
            ST_Transform(NEW.geom, 3857))
    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, category_id = EXCLUDED.category_id,
      closed_at = EXCLUDED.closed_at, geom = EXCLUDED.geom, geom_3857 = EXCLUDED.geom_3857;
  ELSE
    DELETE FROM map_reports WHERE id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

-- Public fields only: never the e-mail, a token or photo data.
CREATE FUNCTION reports_publish_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cat record;
BEGIN
  SELECT c.code, g.code AS group_code INTO cat
    FROM categories c JOIN category_groups g ON g.id = c.group_id WHERE c.id = NEW.category_id;
  PERFORM publish_event('public', 'report_events', jsonb_build_object(
    'type', CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'status' END,
    'version', nextval('map_data_version_seq'),
    'id', NEW.id,
    'status', NEW.status,
    'category', cat.code,
    'group', cat.group_code,
    'lon', round(ST_X(NEW.geom)::numeric, 6),
    'lat', round(ST_Y(NEW.geom)::numeric, 6),
    'createdAt', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER reports_event_insert AFTER INSERT ON reports
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reports_publish_event();
CREATE CONSTRAINT TRIGGER reports_event_change AFTER UPDATE OF status, category_id, geom ON reports
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.category_id IS DISTINCT FROM NEW.category_id
        OR NOT ST_Equals(OLD.geom, NEW.geom))
  EXECUTE FUNCTION reports_publish_event();

-- The staff event of migration 007, now logged and taken at commit like the public one.
CREATE OR REPLACE FUNCTION reports_notify_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publish_event('staff', 'staff_events', jsonb_build_object(
    'type', CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'changed' END,
    'id', NEW.id,
    'teamId', NEW.team_id,
    'previousTeamId', CASE WHEN TG_OP = 'UPDATE' THEN OLD.team_id END,
    'status', NEW.status));
  RETURN NULL;
END $$;
DROP TRIGGER reports_staff_insert ON reports;
DROP TRIGGER reports_staff_change ON reports;
CREATE CONSTRAINT TRIGGER reports_staff_insert AFTER INSERT ON reports
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reports_notify_staff();
CREATE CONSTRAINT TRIGGER reports_staff_change
  AFTER UPDATE OF status, team_id, assigned_to, priority, deadline_at, category_id, geom ON reports
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.team_id IS DISTINCT FROM NEW.team_id
        OR OLD.assigned_to IS DISTINCT FROM NEW.assigned_to OR OLD.priority IS DISTINCT FROM NEW.priority
        OR OLD.deadline_at IS DISTINCT FROM NEW.deadline_at
        OR OLD.category_id IS DISTINCT FROM NEW.category_id OR NOT ST_Equals(OLD.geom, NEW.geom))
  EXECUTE FUNCTION reports_notify_staff();
