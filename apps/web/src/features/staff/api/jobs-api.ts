import { requestJson } from '../../../lib/api-client';

/** A background job that failed for good (GET /api/staff/jobs/failed). */
export interface FailedJob {
  queue: string;
  name: string;
  id: string;
  reportId: string | null;
  ref: string | null;
  failedReason: string;
  attemptsMade: number;
  finishedOn: string | null;
}

export const fetchFailedJobs = (signal?: AbortSignal) =>
  requestJson<{ jobs: FailedJob[]; total: number }>('/api/staff/jobs/failed', { signal });

export const retryFailedJob = (id: string) =>
  requestJson<{ id: string; state: string }>(`/api/staff/jobs/failed/${encodeURIComponent(id)}/retry`, {
    method: 'POST',
  });
