-- The job sweep (packages/core/src/jobs/job-sweep.ts) looks every minute for work whose job was lost
-- (Redis restarted empty, a job removed): reports without a team and photos still pending. Both sets
-- are tiny next to their tables, so partial indexes keep the sweep from scanning a million reports.
CREATE INDEX reports_unrouted_idx ON reports (updated_at, id) WHERE team_id IS NULL;
CREATE INDEX photos_pending_idx ON photos (created_at, id) WHERE status = 'pending';
