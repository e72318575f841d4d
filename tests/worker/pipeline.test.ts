import {
  createJobQueue,
  createProducerConnection,
  OutboxRelay,
  createLogger,
  createPool,
  processPhoto,
  readImageMetadata,
  routeReport,
} from '@pave/core';
import { PHOTO_QUEUE_NAME } from '@pave/shared';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { fileReport as fileReportWith, type Point } from '../support/factories';
import { TEST_ENV } from '../support/env';
import { fixturePhoto } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const logger = createLogger({ level: 'silent', name: 'test' });
const stack = useStack({ api: false, worker: { logger } });

const storage = () => stack.deps.storage;

const fileReport = (category: string, photos: string[], point?: Point) =>
  fileReportWith(stack.deps, { category, photos, point, description: 'test', email: 'private@example.org' });

/**
 * The worker deletes an upload only after it has recorded the photo as ready or failed (so a crash
 * in between leaves a file to delete, never a pending photo without its file): the status is seen
 * first, and the deletion follows a moment later.
 */
async function waitForDeletion(key: string) {
  await waitFor(async () => !(await storage().exists(key)), { what: `deletion of ${key}` });
}

async function reportState(id: string) {
  const { rows } = await stack.pool.query(
    `SELECT t.name AS team, r.routing_rule_id, r.deadline_at, r.created_at, c.deadline_hours,
            (SELECT json_agg(json_build_object('id', p.id, 'status', p.status) ORDER BY p.position) FROM photos p WHERE p.report_id = r.id) AS photos
       FROM reports r JOIN categories c ON c.id = r.category_id LEFT JOIN teams t ON t.id = r.team_id WHERE r.id = $1`,
    [id],
  );
  return rows[0];
}

describe('photo.process and report.route through the outbox and BullMQ', () => {
  it('routes a pothole in the 11th to its road team with the category deadline, and strips photo metadata', async () => {
    const created = await fileReport('nid-de-poule', ['jpg_hdr_iphone_hdr_YES.jpg', 'jpg_orientation_portrait_6.jpg']);
    const state = await waitFor(
      async () => {
        const s = await reportState(created.id);
        return s.team && s.photos.every((p: { status: string }) => p.status === 'ready') ? s : null;
      },
      // The photo job runs a face detector (five passes per photo): seconds each on a busy machine.
      { what: 'routing and photo processing', timeoutMs: 30_000 },
    );
    expect(state.team).toBe('Voirie — Paris 11e');
    expect(state.routing_rule_id).not.toBeNull();
    expect(state.deadline_at.getTime() - state.created_at.getTime()).toBe(state.deadline_hours * 3_600_000);

    const { rows: history } = await stack.pool.query(
      `SELECT event, data FROM report_history WHERE report_id = $1 ORDER BY id`,
      [created.id],
    );
    expect(history.map((h) => h.event)).toEqual(['created', 'routed']);
    expect(history[1].data).toMatchObject({ teamName: 'Voirie — Paris 11e', ruleId: state.routing_rule_id });

    const [iphone, portrait] = state.photos;
    for (const rendition of ['large', 'thumb']) {
      const meta = await readImageMetadata(await storage().get(`public/photos/${iphone.id}/${rendition}.jpg`));
      expect(meta.format).toBe('jpeg');
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.iptc).toBeUndefined();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(rendition === 'large' ? 1600 : 400);
    }
    // The upload carried the phone's EXIF block with its GPS position; once the renditions exist it
    // is deleted, so no copy with the metadata is kept anywhere.
    expect((await readImageMetadata(fixturePhoto('jpg_hdr_iphone_hdr_YES.jpg'))).exif).toBeDefined();
    await waitForDeletion(`originals/${iphone.id}`);

    // Orientation 6: stored 600×450 sideways, shown upright as 450×600 with no orientation tag left.
    const upright = await readImageMetadata(await storage().get(`public/photos/${portrait.id}/large.jpg`));
    expect([upright.width, upright.height]).toEqual([450, 600]);
    expect(upright.orientation).toBeUndefined();
  }, 60_000);

  it('routes city-wide groups and out-of-rule categories as the rules say', async () => {
    const light = await fileReport('lampadaire-eteint', []);
    const graffiti = await fileReport('tag-facade', [], { lon: 2.295, lat: 48.84 }); // 15th
    const states = await Promise.all(
      [light, graffiti].map((r) =>
        waitFor(async () => (await reportState(r.id)).team, { what: `routing of ${r.ref}` }),
      ),
    );
    expect(states).toEqual(['Éclairage public — Paris', 'Propreté — Paris 15e']);
  });

  it('is idempotent: routing or processing again changes nothing', async () => {
    const created = await fileReport('encombrant', ['jpg_gps_DSCN0010.jpg']);
    const state = await waitFor(async () => {
      const s = await reportState(created.id);
      return s.team && s.photos[0].status === 'ready' ? s : null;
    });
    expect(await routeReport(stack.pool, created.id)).toEqual({ outcome: 'already-routed' });
    expect(await processPhoto({ db: stack.pool, storage: storage(), logger }, state.photos[0].id)).toBe('already-done');
    const { rows } = await stack.pool.query(
      `SELECT count(*)::int AS n FROM report_history WHERE report_id = $1 AND event = 'routed'`,
      [created.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('fails a corrupt photo once, without retrying, and still routes the report', async () => {
    // The API refuses corrupt uploads; simulate a file damaged in storage after acceptance,
    // holding the relay so the job cannot run before the damage is done.
    await stack.worker.relay.stop();
    const created = await fileReport('depot-sauvage', ['jpg_gps_DSCN0010.jpg']);
    const { rows } = await stack.pool.query('SELECT id, original_key FROM photos WHERE report_id = $1', [created.id]);
    await storage().put(rows[0].original_key, fixturePhoto('jpg_corrupted.jpg'));
    await stack.worker.relay.start();
    const state = await waitFor(async () => {
      const s = await reportState(created.id);
      return s.team && s.photos[0].status !== 'pending' ? s : null;
    });
    expect(state.photos[0].status).toBe('failed');
    // Nothing will read the upload again: it is not kept either.
    await waitForDeletion(rows[0].original_key);
    // Photo jobs have a queue of their own (docs/adr/0013).
    const queue = new Queue(PHOTO_QUEUE_NAME, {
      connection: new Redis(TEST_ENV.redisUrl, { maxRetriesPerRequest: null }),
      prefix: stack.settings.queuePrefix,
    });
    const job = await waitFor(async () => {
      const j = await queue.getJob(`photo-${rows[0].id}`);
      return j && (await j.getState()) === 'failed' ? j : null;
    });
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/cannot be decoded/);
    await queue.close();
  });
});

describe('outbox relay', () => {
  it('keeps a report accepted while Redis is down, and enqueues it once Redis is back', async () => {
    // A relay whose Redis is unreachable (nothing listens on port 1).
    const deadProducer = createProducerConnection('redis://127.0.0.1:1');
    const deadQueue = createJobQueue(deadProducer, stack.settings.queuePrefix);
    const deadRelay = new OutboxRelay({ db: stack.pool, queue: deadQueue, logger, enqueueTimeoutMs: 500 });
    await stack.worker.relay.stop();
    try {
      const created = await fileReport('corbeille-pleine', []);
      await deadRelay.wake();
      const { rows } = await stack.pool.query(`SELECT sent_at, attempts, last_error FROM outbox WHERE job_id = $1`, [
        `route-${created.id}`,
      ]);
      expect(rows[0].sent_at).toBeNull();
      expect(rows[0].attempts).toBeGreaterThanOrEqual(1);
      expect(rows[0].last_error).toBeTruthy();
      expect((await reportState(created.id)).team).toBeNull();

      await stack.worker.relay.start();
      const team = await waitFor(async () => (await reportState(created.id)).team, {
        what: 'routing after Redis came back',
      });
      expect(team).toBe('Propreté — Paris 11e');
      const { rows: sent } = await stack.pool.query(`SELECT sent_at FROM outbox WHERE job_id = $1`, [
        `route-${created.id}`,
      ]);
      expect(sent[0].sent_at).not.toBeNull();
    } finally {
      await deadRelay.stop();
      await deadQueue.close().catch(() => {});
      deadProducer.disconnect();
    }
  });

  it('gives its LISTEN connection back once when the connection dies as the relay stops', async () => {
    // Found by test:soak --each: stopping released the client, then its error handler released it
    // again ("Release called on client which has already been released"), uncaught in the worker.
    const pool = createPool({ connectionString: stack.db.url, max: 2, applicationName: 'pave-test-relay' });
    const producer = createProducerConnection(TEST_ENV.redisUrl);
    const queue = createJobQueue(producer, stack.settings.queuePrefix);
    const relay = new OutboxRelay({ db: pool, queue, logger });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await relay.wake();
      const { rows } = await stack.pool.query(
        `SELECT pid FROM pg_stat_activity WHERE application_name = 'pave-test-relay' AND query ILIKE 'LISTEN outbox%'`,
      );
      expect(rows).toHaveLength(1);
      // Both want to give the connection back: the relay stopping, and the connection dying.
      await Promise.all([relay.stop(), stack.pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid])]);
      // The broken client is discarded (a query may still meet it first, before its error is read):
      // the pool answers again.
      await waitFor(
        () =>
          pool.query('SELECT 1').then(
            () => true,
            () => false,
          ),
        { what: 'the relay pool answering again' },
      );
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await pool.end();
      await queue.close().catch(() => {});
      producer.disconnect();
    }
  });
});
