import { createWorkerConnection } from '@pave/core';
import { queueOfJob, type JobName } from '@pave/shared';
import { UnrecoverableError, Worker, type Queue } from 'bullmq';
import { testRedisTarget, type TestSettings } from './config';

/** A job to leave in the failed set, under the id the real producer would give it. */
export interface JobToFail {
  name: JobName;
  id: string;
  data: Record<string, unknown>;
}

/**
 * Adds `jobs` to the stack's queue and fails each for good, through a worker of the test's own whose
 * handler throws an UnrecoverableError: for tests of what staff see of failed jobs, whatever made them
 * fail. Use it on a stack without the real worker, which would take the jobs first. Resolves once
 * every job is in the failed set (on the worker's events, not a pause).
 */
export async function addFailedJobs(
  stack: { queue: Queue; settings: TestSettings },
  jobs: readonly JobToFail[],
): Promise<void> {
  const connection = createWorkerConnection(testRedisTarget(stack.settings));
  const ids = new Set(jobs.map((j) => j.id));
  const workers: Worker[] = [];
  try {
    const allFailed = new Promise<void>((resolve, reject) => {
      // One worker per queue the jobs go to: photo jobs have a queue of their own (ADR 0013).
      for (const queueName of new Set(jobs.map((j) => queueOfJob(j.name)))) {
        const worker = new Worker(
          queueName,
          async (job) => {
            throw new UnrecoverableError(`test: ${job.name} fails on purpose`);
          },
          { connection, prefix: stack.settings.queuePrefix },
        );
        worker.on('failed', (job) => {
          if (job?.id) ids.delete(job.id);
          if (ids.size === 0) resolve();
        });
        worker.on('error', reject);
        workers.push(worker);
      }
    });
    for (const job of jobs) await stack.queue.add(job.name, job.data as never, { jobId: job.id, attempts: 1 });
    await allFailed;
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    connection.disconnect();
  }
}
