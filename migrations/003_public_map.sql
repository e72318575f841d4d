-- The public live map: when a report was closed (closed reports leave the public map after a
-- per-category number of days), a small table of what the public map may show, a data version
-- for tile ETags, and a NOTIFY on every public change so every API process can push it.

-- Per category: how long a closed report stays on the public map.
ALTER TABLE categories
  ADD COLUMN public_days_after_close integer NOT NULL DEFAULT 30 CHECK (public_days_after_close >= 0);

-- NULL while the report is open; the time it reached a closed status otherwise.
ALTER TABLE reports ADD COLUMN closed_at timestamptz;
UPDATE reports SET closed_at = updated_at WHERE status IN ('resolved', 'rejected', 'duplicate', 'transferred');

CREATE FUNCTION reports_set_closed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status NOT IN ('resolved', 'rejected', 'duplicate', 'transferred') THEN
    NEW.closed_at := NULL;
  ELSIF TG_OP = 'INSERT' THEN
    NEW.closed_at := COALESCE(NEW.closed_at, NEW.updated_at, now());
  ELSIF OLD.closed_at IS NULL THEN
    -- A writer that sets updated_at (imports, the demo seed) says when the change happened.
    NEW.closed_at := CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN NEW.updated_at ELSE now() END;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER reports_closed_at BEFORE INSERT OR UPDATE OF status ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_set_closed_at();

-- What the public map may show: open reports and recently closed ones, with public columns only.
-- Paris keeps about 6 % of five years of reports public: tiles read this small, cache-resident table
-- instead of a million-row one whose public rows sit on scattered pages. The Web Mercator point is
-- stored so no tile transforms rows per request. Maintained by the triggers below; rows whose
-- public days are over are removed by `purgeMapReports` (queries filter them out before that).
CREATE TABLE map_reports (
  id          uuid PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
  ref         text NOT NULL,
  status      text NOT NULL,
  category_id integer NOT NULL REFERENCES categories (id),
  created_at  timestamptz NOT NULL,
  closed_at   timestamptz,
  geom        geometry(Point, 4326) NOT NULL,
  geom_3857   geometry(Point, 3857) NOT NULL
);
CREATE INDEX map_reports_geom_3857_idx ON map_reports USING gist (geom_3857);
CREATE INDEX map_reports_closed_at_idx ON map_reports (closed_at) WHERE closed_at IS NOT NULL;

INSERT INTO map_reports (id, ref, status, category_id, created_at, closed_at, geom, geom_3857)
SELECT r.id, r.ref, r.status, r.category_id, r.created_at, r.closed_at, r.geom, ST_Transform(r.geom, 3857)
  FROM reports r JOIN categories c ON c.id = r.category_id
 WHERE r.closed_at IS NULL OR r.closed_at > now() - make_interval(days => c.public_days_after_close);

-- Bumped by every public change; part of every tile ETag. A sequence, not a counter row,
-- so concurrent writers never wait on each other.
CREATE SEQUENCE map_data_version_seq;

-- Keeps map_reports in step and tells listeners. The NOTIFY carries public fields only:
-- never the e-mail, a token or photo data.
CREATE FUNCTION reports_publish_map() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  version bigint := nextval('map_data_version_seq');
  cat record;
BEGIN
  SELECT c.code, g.code AS group_code, c.public_days_after_close AS days INTO cat
    FROM categories c JOIN category_groups g ON g.id = c.group_id WHERE c.id = NEW.category_id;
  IF NEW.closed_at IS NULL OR NEW.closed_at > now() - make_interval(days => cat.days) THEN
    INSERT INTO map_reports (id, ref, status, category_id, created_at, closed_at, geom, geom_3857)
    VALUES (NEW.id, NEW.ref, NEW.status, NEW.category_id, NEW.created_at, NEW.closed_at, NEW.geom,
            ST_Transform(NEW.geom, 3857))
    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, category_id = EXCLUDED.category_id,
      closed_at = EXCLUDED.closed_at, geom = EXCLUDED.geom, geom_3857 = EXCLUDED.geom_3857;
  ELSE
    DELETE FROM map_reports WHERE id = NEW.id;
  END IF;
  PERFORM pg_notify('report_events', json_build_object(
    'type', CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'status' END,
    'version', version,
    'id', NEW.id,
    'status', NEW.status,
    'category', cat.code,
    'group', cat.group_code,
    'lon', round(ST_X(NEW.geom)::numeric, 6),
    'lat', round(ST_Y(NEW.geom)::numeric, 6),
    'createdAt', to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  RETURN NULL;
END $$;
CREATE TRIGGER reports_publish_insert AFTER INSERT ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_publish_map();
CREATE TRIGGER reports_publish_change AFTER UPDATE OF status, category_id, geom ON reports
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.category_id IS DISTINCT FROM NEW.category_id
                     OR NOT ST_Equals(OLD.geom, NEW.geom))
  EXECUTE FUNCTION reports_publish_map();
