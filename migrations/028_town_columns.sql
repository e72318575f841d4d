-- Per-town data (issue #19, docs/adr/0012-towns.md): the town each report, team, service area,
-- routing rule and staff account belongs to, and each town's offer of categories drawn from the
-- shared catalogue. Enforcement (row-level security) comes in a later migration.

-- The town a report was made in. Set from the position by the trigger below, on insert and whenever
-- the pin moves, so no code path can forget it; null only outside every known town.
ALTER TABLE reports ADD COLUMN town_code text REFERENCES towns (code);
CREATE INDEX reports_town_status_idx ON reports (town_code, status);

-- A team of one town, or (null) a body serving several towns: a metropolitan or départemental service.
ALTER TABLE teams ADD COLUMN town_code text REFERENCES towns (code);
-- The town a service area lies in; null for a body's area spanning towns.
ALTER TABLE service_areas ADD COLUMN town_code text REFERENCES towns (code);
-- A rule of one town applies to reports in that town; a town-less rule applies wherever it matches
-- (a body's rule: two-tier routing).
ALTER TABLE routing_rules ADD COLUMN town_code text REFERENCES towns (code);
-- Staff of one town see and change only that town; null is a metropolitan account that reads every town.
ALTER TABLE staff_users ADD COLUMN town_code text REFERENCES towns (code);

-- What a town takes reports for: a category of the shared catalogue, with the town's own label,
-- deadline and duplicate radius where it differs (null: the catalogue's).
CREATE TABLE town_categories (
  town_code          text NOT NULL REFERENCES towns (code) ON DELETE CASCADE,
  category_id        integer NOT NULL REFERENCES categories (id),
  label_fr           text CHECK (label_fr IS NULL OR length(label_fr) BETWEEN 1 AND 200),
  label_en           text CHECK (label_en IS NULL OR length(label_en) BETWEEN 1 AND 200),
  deadline_hours     integer CHECK (deadline_hours IS NULL OR deadline_hours > 0),
  duplicate_radius_m integer CHECK (duplicate_radius_m IS NULL OR duplicate_radius_m BETWEEN 5 AND 1000),
  is_active          boolean NOT NULL DEFAULT true,
  PRIMARY KEY (town_code, category_id)
);

-- The town of a point: the one whose boundary covers it, the lower INSEE code on a shared line
-- (the same rule as townAtSql in packages/core/src/towns/towns.repo.ts).
CREATE OR REPLACE FUNCTION town_at(point geometry) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT t.code FROM towns t WHERE ST_Covers(t.geom, point) ORDER BY t.code LIMIT 1
$$;

-- An insert that already names its town (bulk fixtures computing it set-wise) keeps it; otherwise,
-- and on every pin move, the position decides.
CREATE OR REPLACE FUNCTION reports_set_town() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.town_code IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' OR NOT ST_Equals(NEW.geom, OLD.geom) THEN
    NEW.town_code := town_at(NEW.geom);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER reports_set_town BEFORE INSERT OR UPDATE OF geom ON reports
  FOR EACH ROW EXECUTE FUNCTION reports_set_town();

-- An existing single-town deployment: every row belongs to the town it lies in, and the teams,
-- rules, staff and catalogue to the one town served (nothing to do on a new database: towns are
-- seeded after migrations).
UPDATE reports SET town_code = town_at(geom) WHERE town_code IS NULL;
UPDATE service_areas SET town_code = town_at(ST_PointOnSurface(geom)) WHERE town_code IS NULL;
DO $$
DECLARE
  only_town text;
BEGIN
  IF (SELECT count(*) FROM towns WHERE is_served) = 1 THEN
    SELECT code INTO only_town FROM towns WHERE is_served;
    UPDATE teams SET town_code = only_town WHERE town_code IS NULL;
    UPDATE routing_rules SET town_code = only_town WHERE town_code IS NULL;
    UPDATE staff_users SET town_code = only_town WHERE town_code IS NULL AND role <> 'admin';
    INSERT INTO town_categories (town_code, category_id)
    SELECT only_town, id FROM categories ON CONFLICT DO NOTHING;
  END IF;
END $$;
