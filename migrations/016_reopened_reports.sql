-- The trends' backlog follows reopened reports through their history (packages/core/src/analytics/
-- analytics.repo.ts, findBacklogDeltas). Finding them must not cost a heap visit per report of the
-- period: about one report in thirty is ever reopened, and this small index hands them out, ids
-- included, while every other report is read from reports_analytics_idx alone.
CREATE INDEX reports_reopened_idx ON reports (created_at) INCLUDE (id, closed_at, category_id, area_id, team_id)
  WHERE reopen_count > 0;
