-- The triage queue's order within "late" and "on time" (packages/core/src/staff/staff-reports.repo.ts,
-- findQueue): an index walked in that order stops at the page size instead of sorting every open
-- report of a service.
CREATE INDEX reports_queue_order_idx ON reports (priority, deadline_at, created_at)
  WHERE status IN ('new', 'acknowledged', 'scheduled', 'in_progress', 'reopened');
