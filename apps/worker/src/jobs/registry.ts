import { JOB_NAMES, type JobName } from '@pave/shared';
import type { JobDefinition } from './job';
import { photoProcessJob } from './photo-process';
import { reportLateJob } from './report-late';
import { reportNotifyJob } from './report-notify';
import { reportRouteJob } from './report-route';

/** Every job handler, by name. Checked at start-up against the job names in `@pave/shared`. */
export const JOB_REGISTRY: ReadonlyMap<JobName, JobDefinition> = new Map(
  ([photoProcessJob, reportRouteJob, reportNotifyJob, reportLateJob] as JobDefinition[]).map((job) => [job.name, job]),
);

/** Throws when a job name in `@pave/shared` has no handler (or a handler has no known name). */
export function assertRegistryComplete(registry: ReadonlyMap<JobName, JobDefinition> = JOB_REGISTRY): void {
  const missing = JOB_NAMES.filter((name) => !registry.has(name));
  const unknown = [...registry.keys()].filter((name) => !JOB_NAMES.includes(name));
  if (missing.length || unknown.length) {
    throw new Error(`job registry mismatch: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`);
  }
}
