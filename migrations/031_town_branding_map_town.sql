-- Towns on the public side (issue #19): a town's branding on its own page, and the town of each
-- report on the public map's table, so the map's GeoJSON and list name it without a join on reports.

-- The town's colour (lower-case #rrggbb) and logo (an https URL or a path on this site), both optional.
ALTER TABLE towns ADD COLUMN brand_colour text CHECK (brand_colour IS NULL OR brand_colour ~ '^#[0-9a-f]{6}$');
ALTER TABLE towns ADD COLUMN logo_url text
  CHECK (logo_url IS NULL OR (length(logo_url) <= 500 AND logo_url ~ '^(https://|/)[^\s"<>]*$'));

ALTER TABLE map_reports ADD COLUMN town_code text;
UPDATE map_reports m SET town_code = r.town_code FROM reports r WHERE r.id = m.id;
-- A town's page lists its latest public reports.
CREATE INDEX map_reports_town_created_idx ON map_reports (town_code, created_at DESC);

-- The map's row takes its report's town (set by the reports trigger of migration 028, which runs
-- before the map's trigger copies the row), and again when the pin moves. A bulk fill that names
-- the town keeps it.
CREATE FUNCTION map_reports_set_town() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.town_code IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' OR NOT ST_Equals(NEW.geom, OLD.geom) THEN
    NEW.town_code := (SELECT r.town_code FROM reports r WHERE r.id = NEW.id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER map_reports_set_town BEFORE INSERT OR UPDATE OF geom ON map_reports
  FOR EACH ROW EXECUTE FUNCTION map_reports_set_town();
