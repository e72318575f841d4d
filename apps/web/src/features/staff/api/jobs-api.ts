import type { FailedJobs, RetriedJob } from '@pave/shared';
import { requestJson } from '../../../lib/api-client';

export type { FailedJob } from '@pave/shared';

export const fetchFailedJobs = (signal?: AbortSignal) => requestJson<FailedJobs>('/api/staff/jobs/failed', { signal });

export const retryFailedJob = (id: string) =>
  requestJson<RetriedJob>(`/api/staff/jobs/failed/${encodeURIComponent(id)}/retry`, { method: 'POST' });
