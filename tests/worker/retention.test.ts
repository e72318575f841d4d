import {
  addResidentComment,
  changeReportStatus,
  getPublicReport,
  privateOriginalKey,
  renditionKey,
  sweepExpiredContent,
  withTransaction,
  type RetentionPeriods,
} from '@pave/core';
import type { ReportStatus } from '@pave/shared';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../apps/worker/src/config';
import { testWorkerEnv } from '../support/config';
import { fileRoutedReport } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({ api: false, worker: true, queue: true });

const DEFAULTS: RetentionPeriods = { rejected: 365, duplicate: 365, transferred: 365, resolved: 1825 };

/** A report with a photo and a comment, closed as `status` `closedDaysAgo` days ago. */
async function closedReport(status: ReportStatus, closedDaysAgo: number) {
  const report = await fileRoutedReport(stack.deps, {
    description: `Trou devant le 12, fermé ${status} il y a ${closedDaysAgo} jours`,
    email: 'reporter@example.org',
    photos: ['jpg_gps_DSCN0010.jpg'],
  });
  const photoId = await waitFor(
    async () =>
      (
        await stack.pool.query<{ id: string }>(`SELECT id FROM photos WHERE report_id = $1 AND status = 'ready'`, [
          report.id,
        ])
      ).rows[0]?.id,
    { what: 'the photo processed' },
  );
  const token = new URL(report.trackingUrl, 'https://x').searchParams.get('t')!;
  await addResidentComment(stack.deps, { reportId: report.id, token, text: 'Toujours là, appelez le 0612345678' });
  await withTransaction(stack.pool, (tx) =>
    changeReportStatus(tx, {
      reportId: report.id,
      from: 'new',
      to: status,
      actor: 'staff:test',
      message: 'Message public de la Ville',
      note: 'Note interne',
    }),
  );
  // What years of waiting would do: the report closed long ago.
  await stack.pool.query(`UPDATE reports SET closed_at = now() - make_interval(days => $2) WHERE id = $1`, [
    report.id,
    closedDaysAgo,
  ]);
  return { ...report, photoId };
}

async function contentOf(id: string) {
  const { rows } = await stack.pool.query<{
    description: string;
    status: string;
    category_id: number;
    erased: boolean;
    texts: number;
    photos: number;
    events: number;
  }>(
    `SELECT r.description, r.status, r.category_id, r.content_erased_at IS NOT NULL AS erased,
            (SELECT count(*)::int FROM report_history h WHERE h.report_id = r.id
               AND (h.data ? 'text' OR h.data ? 'message' OR h.data ? 'note')) AS texts,
            (SELECT count(*)::int FROM photos p WHERE p.report_id = r.id) AS photos,
            (SELECT count(*)::int FROM report_history h WHERE h.report_id = r.id) AS events
       FROM reports r WHERE r.id = $1`,
    [id],
  );
  return rows[0]!;
}

const countsTotal = async () =>
  (await stack.pool.query<{ n: number }>('SELECT coalesce(sum(n), 0)::int AS n FROM category_daily_counts')).rows[0]!.n;

describe('retention of closed reports’ content', () => {
  it('erases a photo’s private full-size copy and the renditions of every staff blur revision', async () => {
    const report = await closedReport('rejected', 400);
    // The worker keeps a private, metadata-free full-size copy for staff blur boxes (30 days).
    expect(await stack.deps.storage.exists(privateOriginalKey(report.photoId))).toBe(true);
    // What two staff blur edits leave: renditions under revision 1 and 2 keys, the photo at revision 2.
    const revisionKeys = [1, 2].flatMap((revision) =>
      (['large', 'thumb'] as const).map((rendition) => renditionKey(report.photoId, rendition, revision)),
    );
    for (const key of revisionKeys) await stack.deps.storage.put(key, Buffer.from('jpeg'));
    await stack.pool.query('UPDATE photos SET render_revision = 2, rendered_revision = 2 WHERE id = $1', [
      report.photoId,
    ]);

    expect(await sweepExpiredContent(stack.deps, DEFAULTS)).toEqual({ reports: 1, photos: 1 });
    for (const key of [privateOriginalKey(report.photoId), renditionKey(report.photoId, 'large'), ...revisionKeys]) {
      expect(await stack.deps.storage.exists(key), key).toBe(false);
    }
  });

  it('erases text and photos past each status’s period, keeps the rest and the council’s figures', async () => {
    const rejectedOld = await closedReport('rejected', 400);
    const duplicateOld = await closedReport('duplicate', 366);
    const rejectedRecent = await closedReport('rejected', 300);
    const resolvedFourYears = await closedReport('resolved', 4 * 365);
    const resolvedSixYears = await closedReport('resolved', 6 * 365);
    const open = await fileRoutedReport(stack.deps, { description: 'Encore ouvert' });
    await stack.pool.query(`UPDATE reports SET created_at = now() - interval '10 years' WHERE id = $1`, [open.id]);
    const eventsBefore = (await contentOf(rejectedOld.id)).events;
    const figuresBefore = await countsTotal();

    const result = await sweepExpiredContent(stack.deps, DEFAULTS);
    expect(result).toEqual({ reports: 3, photos: 3 });

    for (const gone of [rejectedOld, duplicateOld, resolvedSixYears]) {
      const content = await contentOf(gone.id);
      expect(content).toMatchObject({ description: '', erased: true, texts: 0, photos: 0, events: eventsBefore });
      expect(await stack.deps.storage.exists(renditionKey(gone.photoId, 'large'))).toBe(false);
      expect(await stack.deps.storage.exists(renditionKey(gone.photoId, 'thumb'))).toBe(false);
      // The public page still answers: the report, its status and its history, without text.
      const page = await getPublicReport(stack.deps, gone.id);
      expect(page.description).toBe('');
      expect(page.photos).toEqual([]);
      expect(page.timeline.every((e) => e.message === null && e.photoUrl === null)).toBe(true);
      expect(JSON.stringify(page)).not.toContain('0612345678');
    }
    expect((await contentOf(resolvedSixYears.id)).status).toBe('resolved');
    for (const kept of [rejectedRecent, resolvedFourYears]) {
      const content = await contentOf(kept.id);
      expect(content).toMatchObject({ erased: false, photos: 1, texts: 3 });
      expect(content.description).toContain('Trou devant le 12');
      expect(await stack.deps.storage.exists(renditionKey(kept.photoId, 'large'))).toBe(true);
    }
    expect((await contentOf(open.id)).description).toBe('Encore ouvert');
    expect(await countsTotal()).toBe(figuresBefore);

    // A second run finds nothing more to do.
    expect(await sweepExpiredContent(stack.deps, DEFAULTS)).toEqual({ reports: 0, photos: 0 });
  });

  it('runs in the hourly upkeep with the configured periods', async () => {
    const report = await closedReport('duplicate', 400);
    const job = await waitFor(async () => (await stack.queue.getDelayed()).find((j) => j.name === 'upkeep.hourly'), {
      what: 'the scheduled upkeep run',
    });
    await job.promote();
    const done = await waitFor(
      async () => {
        const fresh = await stack.queue.getJob(job.id!);
        return (await fresh?.getState()) === 'completed' ? fresh : null;
      },
      { what: 'the upkeep run completed' },
    );
    expect(done.returnvalue.erasedContent).toEqual({ reports: 1, photos: 1 });
    expect((await contentOf(report.id)).erased).toBe(true);
  });

  it('still refuses to change history outside the sweep', async () => {
    const report = await closedReport('rejected', 10);
    await expect(
      stack.pool.query(`UPDATE report_history SET data = '{}' WHERE report_id = $1`, [report.id]),
    ).rejects.toThrow('report_history is append-only');
  });

  it.each([['0'], ['-30']])('refuses a period of %s days at start-up, with the reason', (days) => {
    expect(() => loadWorkerConfig(testWorkerEnv(stack.settings, { RETENTION_DAYS_RESOLVED: days }))).toThrow(
      /retention period of resolved reports is -?\d+ days: it must be a whole number of days, at least 1/,
    );
  });

  it('refuses a period of 0 in the sweep itself', async () => {
    await expect(sweepExpiredContent(stack.deps, { ...DEFAULTS, rejected: 0 })).rejects.toThrow(
      'the retention period of rejected reports is 0 days',
    );
  });
});
