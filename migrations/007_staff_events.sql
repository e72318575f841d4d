-- Staff triage: full-text search of the queue, and a live feed of queue changes for the crews.

-- French search that ignores accents ("elagage" finds "élagage"). unaccent is a trusted extension
-- (PostgreSQL 13+), so the database owner may create it; where it cannot be created the search
-- still stems French words, only without folding accents.
DO $$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS unaccent;
  EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE NOTICE 'unaccent unavailable (%): staff search keeps accents', SQLERRM;
  END;
  CREATE TEXT SEARCH CONFIGURATION pave_fr (COPY = french);
  IF EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'unaccent') THEN
    ALTER TEXT SEARCH CONFIGURATION pave_fr
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;

-- A stored column, not an expression index: the queue query then reads the same expression the
-- index was built from, whatever the caller types. to_tsvector(regconfig, text) is immutable.
ALTER TABLE reports ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('pave_fr', ref), 'A')
  || setweight(to_tsvector('pave_fr', coalesce(address, '')), 'B')
  || setweight(to_tsvector('pave_fr', description), 'C')
) STORED;
CREATE INDEX reports_search_idx ON reports USING gin (search);

-- "My reports" and "unassigned" filters.
CREATE INDEX reports_assigned_idx ON reports (assigned_to) WHERE assigned_to IS NOT NULL;

-- Queue changes for the staff event stream (GET /api/staff/events). Ids and status only: the
-- API decides who hears what from the team ids, and reloads the queue through its scoped query.
-- previousTeamId lets the team a report leaves (re-routing) drop it from its queue.
CREATE FUNCTION reports_notify_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('staff_events', json_build_object(
    'type', CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'changed' END,
    'id', NEW.id,
    'teamId', NEW.team_id,
    'previousTeamId', CASE WHEN TG_OP = 'UPDATE' THEN OLD.team_id END,
    'status', NEW.status)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER reports_staff_insert AFTER INSERT ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_notify_staff();
CREATE TRIGGER reports_staff_change
  AFTER UPDATE OF status, team_id, assigned_to, priority, deadline_at, category_id, geom ON reports
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.team_id IS DISTINCT FROM NEW.team_id
                     OR OLD.assigned_to IS DISTINCT FROM NEW.assigned_to OR OLD.priority IS DISTINCT FROM NEW.priority
                     OR OLD.deadline_at IS DISTINCT FROM NEW.deadline_at
                     OR OLD.category_id IS DISTINCT FROM NEW.category_id OR NOT ST_Equals(OLD.geom, NEW.geom))
  EXECUTE FUNCTION reports_notify_staff();
