import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FailedJob } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { fileReport as fileReportWith, STAFF_OF_EACH_ROLE } from '../support/factories';
import { fixturePhoto } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const REPORTER_EMAIL = 'private-reporter@example.org';
const stack = useStack({ worker: true, queue: true, staff: STAFF_OF_EACH_ROLE });
type Who = 'anonymous' | keyof typeof stack.staff;

const fileReport = (category: string, photos: string[] = []) =>
  fileReportWith(stack.deps, { category, description: 'test', email: REPORTER_EMAIL, photos });

async function failedJobs(who: Who = 'supervisor'): Promise<FailedJob[]> {
  const response = await stack.app.inject({ method: 'GET', url: '/api/staff/jobs/failed', headers: stack.as(who) });
  expect(response.statusCode).toBe(200);
  expect(response.body).not.toContain(REPORTER_EMAIL);
  return (response.json() as { jobs: FailedJob[] }).jobs;
}

async function teamOf(reportId: string): Promise<string | null> {
  const { rows } = await stack.pool.query(
    'SELECT t.name FROM reports r LEFT JOIN teams t ON t.id = r.team_id WHERE r.id = $1',
    [reportId],
  );
  return rows[0].name;
}

describe('failed jobs: visible to staff, retried once the cause is fixed', () => {
  it('shows a route job that can never succeed, and routes the report when retried after the rule is back', async () => {
    const { rows: disabled } = await stack.pool.query<{ id: number }>(
      `UPDATE routing_rules SET is_active = false WHERE is_active RETURNING id`,
    );
    expect(disabled.length).toBeGreaterThan(0);
    const report = await fileReport('nid-de-poule');

    const failed = await waitFor(async () => (await failedJobs()).find((j) => j.id === `route-${report.id}`), {
      what: 'the route job in the failed list',
    });
    expect(failed).toMatchObject({
      queue: 'pave',
      name: 'report.route',
      reportId: report.id,
      ref: report.ref,
      // UnrecoverableError: failed at the first attempt, not retried in vain.
      attemptsMade: 1,
    });
    expect(failed.failedReason).toMatch(/no routing rule/);
    expect(Date.parse(failed.finishedOn!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await teamOf(report.id)).toBeNull();
    // Admins see the same list.
    expect((await failedJobs('admin')).map((j) => j.id)).toContain(failed.id);

    await stack.pool.query('UPDATE routing_rules SET is_active = true WHERE id = ANY($1)', [disabled.map((r) => r.id)]);
    const retried = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/jobs/failed/${encodeURIComponent(failed.id)}/retry`,
      headers: stack.as('supervisor'),
    });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().id).toBe(failed.id);
    expect(await waitFor(() => teamOf(report.id), { what: 'routing after the retry' })).toBe('Voirie — Paris 11e');
    expect((await failedJobs()).map((j) => j.id)).not.toContain(failed.id);
    const { rows } = await stack.pool.query(
      `SELECT count(*)::int AS n FROM report_history WHERE report_id = $1 AND event = 'routed'`,
      [report.id],
    );
    expect(rows[0].n).toBe(1);

    // The job is completed now: a second retry is refused, not silently re-run.
    const again = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/jobs/failed/${encodeURIComponent(failed.id)}/retry`,
      headers: stack.as('admin'),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('JOB_NOT_FAILED');
  });

  it('shows a photo job whose attempts are exhausted, with its report, and processes it when retried', async () => {
    // Hold the relay, so the job is ours to add with a short retry schedule (the relay's copy is then a no-op).
    await stack.worker.relay.stop();
    const report = await fileReport('depot-sauvage', ['jpg_gps_DSCN0010.jpg']);
    const { rows: photos } = await stack.pool.query<{ id: string; original_key: string }>(
      'SELECT id, original_key FROM photos WHERE report_id = $1',
      [report.id],
    );
    const photo = photos[0]!;
    const originalPath = path.join(stack.settings.storageDir, photo.original_key);
    await rm(originalPath);
    await stack.queue.add(
      'photo.process',
      { photoId: photo.id },
      { jobId: `photo-${photo.id}`, attempts: 3, backoff: { type: 'fixed', delay: 50 } },
    );
    await stack.worker.relay.start();

    const failed = await waitFor(async () => (await failedJobs()).find((j) => j.id === `photo-${photo.id}`), {
      what: 'the photo job in the failed list',
    });
    expect(failed).toMatchObject({
      // Photo jobs have a queue of their own (ADR 0013), and the list names it.
      queue: 'pave-photos',
      name: 'photo.process',
      reportId: report.id,
      ref: report.ref,
      attemptsMade: 3,
    });
    expect(failed.failedReason).toMatch(/ENOENT/);

    await writeFile(originalPath, fixturePhoto('jpg_gps_DSCN0010.jpg'));
    const retried = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/jobs/failed/${failed.id}/retry`,
      headers: stack.as('admin'),
    });
    expect(retried.statusCode).toBe(200);
    const status = await waitFor(
      async () => {
        const { rows } = await stack.pool.query('SELECT status FROM photos WHERE id = $1', [photo.id]);
        return rows[0].status === 'pending' ? null : rows[0].status;
      },
      { what: 'the photo processed after the retry' },
    );
    expect(status).toBe('ready');
  });

  it('answers 404 JOB_NOT_FOUND for an unknown job and 400 for a malformed limit', async () => {
    const unknown = await stack.app.inject({
      method: 'POST',
      url: '/api/staff/jobs/failed/route-00000000-0000-4000-8000-000000000000/retry',
      headers: stack.as('admin'),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'JOB_NOT_FOUND', message: expect.any(String) });
    const bad = await stack.app.inject({
      method: 'GET',
      url: '/api/staff/jobs/failed?limit=zero',
      headers: stack.as('admin'),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('who may see and retry failed jobs', () => {
  const routes = [
    { method: 'GET' as const, url: '/api/staff/jobs/failed' },
    { method: 'POST' as const, url: '/api/staff/jobs/failed/route-anything/retry' },
  ];
  for (const route of routes) {
    it(`${route.method} ${route.url}: anonymous 401, crew and council 403`, async () => {
      const anonymous = await stack.app.inject({ ...route, headers: stack.as('anonymous') });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().code).toBe('AUTH_REQUIRED');
      for (const who of ['crew', 'council'] as const) {
        const response = await stack.app.inject({ ...route, headers: stack.as(who) });
        expect(response.statusCode, who).toBe(403);
        expect(response.json().code).toBe('FORBIDDEN');
      }
    });
  }
});
