-- The category counts of migration 012 are kept at commit, not at insert. The statement trigger
-- upserted today's row of the report's category as the report was inserted, so that row stayed locked
-- until the filing transaction ended: storing its photos, its history, its outbox rows and the commit's
-- live events. Every report of one category on one day queued behind the one before, whatever API
-- process filed it; under the storm of issue #18 (2.5 reports/s of one category, two shared cores) report
-- inserts waited there past the 15 s statement timeout and held pool connections meanwhile.
--
-- Now a deferred row trigger adds one at commit, when the transaction has nothing left to do. It takes
-- the live events' commit lock first (migration 020, the same key), which every filing takes at commit
-- anyway: the row is then only ever locked under that lock, so a transaction holding the row never
-- waits for one holding the lock (no deadlock), and the row stays locked for a few statements.
-- Bulk loads (the bench fixture) turn user triggers off and recount in one statement, as before.
DROP TRIGGER reports_count_category ON reports;
DROP FUNCTION reports_count_category();

CREATE FUNCTION reports_count_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7283003);
  INSERT INTO category_daily_counts (category_id, day, n)
  VALUES (NEW.category_id, (NEW.created_at AT TIME ZONE 'Europe/Paris')::date, 1)
  ON CONFLICT (day, category_id) DO UPDATE SET n = category_daily_counts.n + 1;
  RETURN NULL;
END $$;

-- Named to fire before the other deferred insert triggers (alphabetical order), which take the same lock.
CREATE CONSTRAINT TRIGGER reports_count_category AFTER INSERT ON reports
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reports_count_category();
