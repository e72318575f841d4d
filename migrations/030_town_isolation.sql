-- Town isolation (issue #19, docs/adr/0012-towns.md): row-level security on reports and on each
-- town's teams, service areas, routing rules and staff accounts, read from a per-session setting.
--
-- Who is subject to it: the role `pave_staff`, which the API takes (SET ROLE) for the queries of a
-- signed-in staff member of a town (packages/core/src/db/town-scope.ts), with `pave.towns` set to that
-- town ('*' reads every town; the API runs a metropolitan account's queries as the owner). The tables' owner (`pave`, which the API and the worker
-- connect as) is not subject to it: public reads, resident writes and the worker stay town-blind,
-- and their plans are unchanged (a policy would keep PostGIS's operators, which are not leakproof,
-- out of the map's index scans). A `pave_staff` query without the setting sees no report at all.

-- The role exists once per cluster. A migrating role that may create roles (a superuser, as in
-- infra/compose.yaml) creates it here; elsewhere infra/bootstrap.sh creates it and grants it to pave.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pave_staff') THEN
    CREATE ROLE pave_staff NOLOGIN;
  END IF;
  IF NOT pg_has_role(current_user, 'pave_staff', 'MEMBER') THEN
    EXECUTE format('GRANT pave_staff TO %I', current_user);
  END IF;
END $$;

-- The staff role works on every table as the owner does; the policies below are what it cannot do.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO pave_staff;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO pave_staff;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pave_staff;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO pave_staff;

-- Whether the session's scope holds `town`: '*' holds every town (and town-less rows), a code holds
-- that town. Unset or empty holds nothing. The policies below spell the same test out.
CREATE FUNCTION pave_in_town_scope(town text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT current_setting('pave.towns', true) = '*'
      OR town = ANY (string_to_array(current_setting('pave.towns', true), ','))
$$;

-- The town a row created by staff of one town belongs to (a team, an area, a rule, an account):
-- theirs. Null for a metropolitan session and outside any staff scope.
CREATE FUNCTION pave_scope_town() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN current_setting('pave.towns', true) ~ '^(\d{2}|2A|2B)\d{3}$'
              THEN current_setting('pave.towns', true) END
$$;

-- Reports: staff read and change their town's. A pin moved across a boundary hands the report to the
-- other town (the trigger of 028 sets its town), and an agent may file a call about the next town:
-- the new row is not checked. Metropolitan staff also see the rare report outside every town.
-- The policies spell out pave_in_town_scope with the setting read in scalar subqueries: PostgreSQL
-- evaluates those once per query (an InitPlan), so the row test is `town_code = ANY ($1)`, which the
-- (town_code, status) index serves, instead of a string split per row.
ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
CREATE POLICY reports_town_read ON reports FOR SELECT TO pave_staff
  USING ((SELECT current_setting('pave.towns', true)) = '*'
         OR town_code = ANY ((SELECT string_to_array(current_setting('pave.towns', true), ','))::text[]));
CREATE POLICY reports_town_insert ON reports FOR INSERT TO pave_staff WITH CHECK (true);
CREATE POLICY reports_town_update ON reports FOR UPDATE TO pave_staff
  USING ((SELECT current_setting('pave.towns', true)) = '*'
         OR town_code = ANY ((SELECT string_to_array(current_setting('pave.towns', true), ','))::text[]))
  WITH CHECK (true);
CREATE POLICY reports_town_delete ON reports FOR DELETE TO pave_staff
  USING ((SELECT current_setting('pave.towns', true)) = '*'
         OR town_code = ANY ((SELECT string_to_array(current_setting('pave.towns', true), ','))::text[]));

-- A town's admin tables: staff read their town's rows and the town-less ones (a metropolitan body's
-- team, shown in a report's history and the queue filter), and change only their town's; town-less
-- rows are changed by metropolitan staff. A new row defaults to the creator's town.
DO $$
DECLARE
  t text;
  in_scope constant text := '((SELECT current_setting(''pave.towns'', true)) = ''*'' OR town_code = ANY '
    '((SELECT string_to_array(current_setting(''pave.towns'', true), '',''))::text[]))';
BEGIN
  FOREACH t IN ARRAY ARRAY['teams', 'service_areas', 'routing_rules', 'staff_users'] LOOP
    EXECUTE format('ALTER TABLE %I ALTER COLUMN town_code SET DEFAULT pave_scope_town()', t);
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO pave_staff USING (town_code IS NULL OR %s)',
      t || '_town_read', t, in_scope);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT TO pave_staff WITH CHECK %s', t || '_town_insert', t, in_scope);
    EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE TO pave_staff USING %s WITH CHECK %s',
      t || '_town_update', t, in_scope, in_scope);
    EXECUTE format('CREATE POLICY %I ON %I FOR DELETE TO pave_staff USING %s', t || '_town_delete', t, in_scope);
  END LOOP;
END $$;

-- A pin that staff move across a boundary hands the report to the other town. PostgreSQL checks an
-- UPDATE's new row against the read policy too, which the mover may no longer read: the move itself
-- runs as the owner, once the report is found in the mover's scope (a pave_staff caller out of scope
-- moves nothing). The trigger of 028 then sets the report's new town.
CREATE FUNCTION move_report_pin(report uuid, lon float8, lat float8) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- Under SECURITY DEFINER the current user is the owner; the role setting still names the caller's.
  UPDATE reports SET geom = ST_SetSRID(ST_MakePoint(lon, lat), 4326)
   WHERE id = report AND (current_setting('role') <> 'pave_staff' OR pave_in_town_scope(town_code));
  RETURN FOUND;
END $$;
REVOKE ALL ON FUNCTION move_report_pin(uuid, float8, float8) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION move_report_pin(uuid, float8, float8) TO pave_staff;

-- Live queue events come from NOTIFY, not from a query row-level security could filter: each carries
-- the report's town (and the town it left, on a pin move), which the API matches against the
-- listener's scope (events/staff-events.ts). Otherwise as in migration 020.
CREATE OR REPLACE FUNCTION reports_notify_staff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM publish_event('staff', 'staff_events', jsonb_build_object(
    'type', CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'changed' END,
    'id', NEW.id,
    'teamId', NEW.team_id,
    'previousTeamId', CASE WHEN TG_OP = 'UPDATE' THEN OLD.team_id END,
    'town', NEW.town_code,
    'previousTown', CASE WHEN TG_OP = 'UPDATE' THEN OLD.town_code END,
    'status', NEW.status));
  RETURN NULL;
END $$;
