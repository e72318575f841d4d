-- The admin journal per town (issue #19, docs/adr/0012-towns.md): each entry carries the town of the
-- account that made the change (null for a metropolitan account), and row-level security lets a
-- town's admins read only their town's entries. Before this, a town's admin read every town's
-- changes, with their before/after snapshots (a metropolitan admin's edit of another town's team).

ALTER TABLE admin_audit ADD COLUMN town_code text REFERENCES towns (code);

-- Existing entries take their actor's town as it stands. The journal is append-only: its guard is
-- lifted for this one statement, in this migration's transaction.
ALTER TABLE admin_audit DISABLE TRIGGER admin_audit_no_change;
UPDATE admin_audit a SET town_code = u.town_code FROM staff_users u WHERE u.id = a.actor_id AND u.town_code IS NOT NULL;
ALTER TABLE admin_audit ENABLE TRIGGER admin_audit_no_change;

-- A town's journal page is its newest entries: without this index a small town's page would walk
-- the whole metropolis's journal backwards.
CREATE INDEX admin_audit_town_idx ON admin_audit (town_code, id DESC);

-- Unlike teams or rules, a town-less entry (a metropolitan admin's change) is not shown to towns: it
-- may be about any town. Staff of a town write entries of their town only; no one under pave_staff
-- updates or deletes (no policy: refused), on top of the append-only trigger.
ALTER TABLE admin_audit ENABLE ROW LEVEL SECURITY;
CREATE POLICY admin_audit_town_read ON admin_audit FOR SELECT TO pave_staff
  USING ((SELECT current_setting('pave.towns', true)) = '*'
         OR town_code = ANY ((SELECT string_to_array(current_setting('pave.towns', true), ','))::text[]));
CREATE POLICY admin_audit_town_insert ON admin_audit FOR INSERT TO pave_staff
  WITH CHECK ((SELECT current_setting('pave.towns', true)) = '*'
              OR town_code = ANY ((SELECT string_to_array(current_setting('pave.towns', true), ','))::text[]));
