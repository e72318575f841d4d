-- A town's figures from that town's rows alone (issue #19). A town council's reads run under row-level
-- security (migration 030), whose test needs each row's town: reports_analytics_idx (migration 008)
-- does not hold it, so every row of the period was fetched from the table to be tested, every town's.
-- This index leads with the town, then the period, and holds the same columns as the other one: a
-- year of one town is an index-only range scan, whatever the other towns hold. The analytics queries
-- name the reader's town (AnalyticsFilter.towns) so that the planner can use it; city-wide figures
-- keep reports_analytics_idx.
--
-- Built in the migration's transaction, which holds writes to reports while it runs (a few seconds
-- per million reports on this machine). A large live database may create it CONCURRENTLY by hand
-- first, under this name: the IF NOT EXISTS then keeps it.
CREATE INDEX IF NOT EXISTS reports_analytics_town_idx ON reports (town_code, created_at)
  INCLUDE (category_id, status, area_id, team_id, x_3857, y_3857, closed_at, acknowledged_at, deadline_at, reopen_count);
