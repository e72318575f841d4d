-- Council analytics (issue #6): the event times the figures need, kept on the report row so a year's
-- summary is one index scan instead of joins over report_history, and a stored Web Mercator x/y so
-- heat-map cells are integer keys computed from two numbers, never from per-row geometry.

-- When a report first left 'new' (any staff answer counts: acknowledged, scheduled, rejected…), and how
-- many times it was reopened. "Resolved at" needs no column: closed_at (migration 003) is the time the
-- report reached its current closed status, so it is the resolution time whenever status = 'resolved'.
ALTER TABLE reports
  ADD COLUMN acknowledged_at timestamptz,
  ADD COLUMN reopen_count integer NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
  -- ST_Transform is immutable, so PostgreSQL keeps these in step with geom on every write, bulk loads included.
  ADD COLUMN x_3857 float8 GENERATED ALWAYS AS (ST_X(ST_Transform(geom, 3857))) STORED,
  ADD COLUMN y_3857 float8 GENERATED ALWAYS AS (ST_Y(ST_Transform(geom, 3857))) STORED;

-- Backfill from the history; a report that left 'new' without a history entry (an import) falls back to
-- the best time the row knows, as closed_at did in migration 003.
UPDATE reports r
   SET acknowledged_at = h.acknowledged_at, reopen_count = h.reopens
  FROM (SELECT report_id,
               min(at) FILTER (WHERE event = 'status_changed' AND from_status = 'new' AND to_status <> 'new') AS acknowledged_at,
               count(*) FILTER (WHERE event = 'status_changed' AND to_status = 'reopened')::int AS reopens
          FROM report_history GROUP BY report_id) h
 WHERE h.report_id = r.id;
UPDATE reports SET acknowledged_at = coalesce(closed_at, updated_at)
 WHERE status <> 'new' AND acknowledged_at IS NULL;

CREATE FUNCTION reports_set_response_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'new' THEN
      NEW.acknowledged_at := coalesce(NEW.acknowledged_at, NEW.updated_at, now());
    END IF;
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NEW.status <> 'new' AND NEW.acknowledged_at IS NULL THEN
      -- A writer that sets updated_at (imports, the demo seed) says when the change happened.
      NEW.acknowledged_at := CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN NEW.updated_at ELSE now() END;
    END IF;
    IF NEW.status = 'reopened' THEN
      NEW.reopen_count := OLD.reopen_count + 1;
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER reports_response_times BEFORE INSERT OR UPDATE OF status ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_set_response_times();

-- Every analytics read filters a period of created_at and needs only these columns: with them included,
-- a year of a million-row table is an index-only scan (about 100 bytes a row), no heap visits.
CREATE INDEX reports_analytics_idx ON reports (created_at)
  INCLUDE (category_id, status, area_id, team_id, x_3857, y_3857, closed_at, acknowledged_at, deadline_at, reopen_count);
