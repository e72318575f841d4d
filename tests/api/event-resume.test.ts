import type { AddressInfo } from 'node:net';
import { pruneEventLog } from '@pave/core';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { fileReport, routeFiledReport } from '../support/factories';
import { multipart, reportFormFields } from '../support/multipart';
import { openEventStream, type Frame } from '../support/event-stream';
import { useStack } from '../support/stack';

const REPORTER = 'revenante@example.org';
const stack = useStack({
  listen: true,
  staff: {
    crew11: { role: 'crew', teamCode: 'voirie-11', displayName: 'Camille Voirie' },
    crew15: { role: 'crew', teamCode: 'voirie-15', displayName: 'Inès Quinze' },
  },
});

type Stream = Awaited<ReturnType<typeof openEventStream>>;

/** Opens `/api/events` on `baseUrl` (the stack's API unless said), resuming after `lastEventId` if given. */
const openPublic = (lastEventId?: string, baseUrl = stack.baseUrl) =>
  openEventStream(`${baseUrl}/api/events`, lastEventId === undefined ? {} : { 'last-event-id': lastEventId });

/** A new report straight in the table, as an import would write it; its id. */
async function insertReport(): Promise<string> {
  const { rows } = await stack.pool.query<{ id: string }>(
    `INSERT INTO reports (category_id, geom, reporter_email)
     SELECT id, ST_SetSRID(ST_MakePoint(2.37, 48.86), 4326), $1 FROM categories WHERE code = 'nid-de-poule'
     RETURNING id`,
    [REPORTER],
  );
  return rows[0]!.id;
}

const setStatus = (id: string, status: string) =>
  stack.pool.query(`UPDATE reports SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);

/** Files a report through `app`'s own HTTP API (the resident's form); its id. */
async function fileThrough(app: FastifyInstance): Promise<string> {
  const body = await multipart(reportFormFields({ description: 'Trou en bordure', email: REPORTER }));
  const created = await app.inject({ method: 'POST', url: '/api/reports', ...body });
  expect(created.statusCode, created.body).toBe(201);
  return created.json().id as string;
}

/** Expects no further frame for a moment: the stream sent everything it had to, and no more. */
async function expectSilence(stream: Stream, ms = 400) {
  await expect(stream.next(ms)).rejects.toThrow(/no event within/);
}

const idOf = (frame: Frame) => BigInt(frame.id!);

describe('event ids', () => {
  it('every event carries an id, and ids grow with each change', async () => {
    const stream = await openPublic();
    const hello = await stream.next();
    expect(hello.event).toBe('hello');
    expect(hello.id).toMatch(/^\d+$/);
    const id = await insertReport();
    await setStatus(id, 'acknowledged');
    await setStatus(id, 'in_progress');
    const frames = [await stream.next(), await stream.next(), await stream.next()];
    expect(frames.map((f) => [f.event, f.data.status])).toEqual([
      ['report', 'new'],
      ['report', 'acknowledged'],
      ['report', 'in_progress'],
    ]);
    let previous = idOf(hello);
    for (const frame of frames) {
      expect(idOf(frame)).toBeGreaterThan(previous);
      previous = idOf(frame);
    }
    stream.close();
  });
});

describe('resuming with Last-Event-ID', () => {
  it('replays exactly the changes missed while away, in order, then goes on live without a duplicate', async () => {
    const first = await openPublic();
    await first.next();
    const id = await insertReport();
    const seen = await first.next();
    expect(seen.data).toMatchObject({ type: 'created', id });
    first.close();

    await setStatus(id, 'acknowledged');
    await setStatus(id, 'in_progress');
    const other = await insertReport();

    const back = await openPublic(seen.id);
    expect(back.response.status).toBe(200);
    const replayed = [await back.next(), await back.next(), await back.next()];
    expect(replayed.map((f) => [f.event, f.data.id, f.data.status])).toEqual([
      ['report', id, 'acknowledged'],
      ['report', id, 'in_progress'],
      ['report', other, 'new'],
    ]);
    expect(idOf(replayed[0]!)).toBeGreaterThan(idOf(seen));
    expect(idOf(replayed[1]!)).toBeGreaterThan(idOf(replayed[0]!));
    expect(idOf(replayed[2]!)).toBeGreaterThan(idOf(replayed[1]!));

    await setStatus(id, 'resolved');
    const live = await back.next();
    expect(live.data).toMatchObject({ id, status: 'resolved' });
    expect(idOf(live)).toBeGreaterThan(idOf(replayed[2]!));
    await expectSilence(back);
    back.close();
  });

  it('accepts the id as ?lastEventId= too, and replays nothing to a client that missed nothing', async () => {
    const stream = await openPublic();
    const hello = await stream.next();
    stream.close();
    const back = await openEventStream(`${stack.baseUrl}/api/events?lastEventId=${hello.id}`);
    await expectSilence(back);
    const id = await insertReport();
    expect((await back.next()).data).toMatchObject({ type: 'created', id });
    back.close();
  });

  it('orders ids by commit, not by write: a change written first but committed last is not skipped', async () => {
    const id = await insertReport();
    const stream = await openPublic();
    await stream.next();
    const slow = await stack.pool.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`UPDATE reports SET status = 'acknowledged' WHERE id = $1`, [id]);
      // Written after, committed before: the client hears it first, then drops.
      const quick = await insertReport();
      const heard = await stream.next();
      expect(heard.data).toMatchObject({ type: 'created', id: quick });
      stream.close();
      await slow.query('COMMIT');
      const back = await openPublic(heard.id);
      const late = await back.next();
      expect(late.data).toMatchObject({ id, status: 'acknowledged' });
      expect(idOf(late)).toBeGreaterThan(idOf(heard));
      back.close();
    } finally {
      slow.release();
    }
  });

  it('keeps events that commit while the replay is read: each one exactly once', async () => {
    const stream = await openPublic();
    const hello = await stream.next();
    stream.close();
    const id = await insertReport();
    // Changes committing while clients reconnect: whether a change lands in the replay, the live
    // part or both, each client gets it once.
    const writes = (async () => {
      for (const status of ['acknowledged', 'in_progress', 'resolved']) await setStatus(id, status);
    })();
    const clients = await Promise.all([1, 2, 3].map(() => openPublic(hello.id)));
    await writes;
    for (const client of clients) {
      const frames = [await client.next(), await client.next(), await client.next(), await client.next()];
      expect(frames.map((f) => f.data.status)).toEqual(['new', 'acknowledged', 'in_progress', 'resolved']);
      await expectSilence(client, 300);
      client.close();
    }
  });
});

describe('two API processes on one database', () => {
  it('a change made through one reaches a client of the other, and a client moving over misses nothing', async () => {
    const other = await stack.buildApp();
    await other.listen({ host: '127.0.0.1', port: 0 });
    const otherUrl = `http://127.0.0.1:${(other.server.address() as AddressInfo).port}`;

    const onB = await openPublic(undefined, otherUrl);
    await onB.next();
    const onA = await openPublic();
    await onA.next();
    const id = await fileThrough(stack.app);
    const heardOnB = await onB.next();
    expect(heardOnB.data).toMatchObject({ type: 'created', id });
    const heardOnA = await onA.next();
    // One log, one id for the same event whichever process sends it.
    expect(heardOnA.id).toBe(heardOnB.id);
    onB.close();

    // A's client drops, changes go on through B's API and straight in the table, and it comes back on B.
    onA.close();
    const second = await fileThrough(other);
    await setStatus(id, 'acknowledged');
    const moved = await openPublic(heardOnA.id, otherUrl);
    expect((await moved.next()).data).toMatchObject({ type: 'created', id: second });
    expect((await moved.next()).data).toMatchObject({ type: 'status', id, status: 'acknowledged' });
    const third = await fileThrough(stack.app);
    expect((await moved.next()).data).toMatchObject({ type: 'created', id: third });
    await expectSilence(moved);
    moved.close();
  });
});

describe('a lost LISTEN connection', () => {
  it('costs an open stream nothing: the process hands out the changes made while it was away, then live ones', async () => {
    const stream = await openPublic();
    await stream.next();
    const { rowCount } = await stack.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'pave-events' AND datname = current_database()`,
    );
    // This process and the second one of the test above: both come back.
    expect(rowCount).toBeGreaterThanOrEqual(1);
    // Committed while the process is not listening (it reconnects after a second).
    const id = await insertReport();
    await setStatus(id, 'acknowledged');
    expect((await stream.next(5_000)).data).toMatchObject({ type: 'created', id });
    expect((await stream.next()).data).toMatchObject({ id, status: 'acknowledged' });
    await setStatus(id, 'in_progress');
    expect((await stream.next()).data).toMatchObject({ id, status: 'in_progress' });
    await expectSilence(stream);
    stream.close();
  });
});

describe('a Last-Event-ID the log cannot serve', () => {
  it.each(['abc', '-1', '99999999999999999999', '1.5', '9223372036854775808'])(
    'answers %j with `reset` and the current version, never an error',
    async (garbage) => {
      const stream = await openPublic(garbage);
      expect(stream.response.status).toBe(200);
      const reset = await stream.next();
      expect(reset.event).toBe('reset');
      expect(reset.data.version).toEqual(expect.any(Number));
      expect(reset.id).toMatch(/^\d+$/);
      // Then live, from the id it was given.
      const id = await insertReport();
      expect((await stream.next()).data).toMatchObject({ id });
      stream.close();
    },
  );

  it('answers `reset` to a garbage ?lastEventId= too', async () => {
    const stream = await openEventStream(`${stack.baseUrl}/api/events?lastEventId=abc`);
    expect(stream.response.status).toBe(200);
    expect((await stream.next()).event).toBe('reset');
    stream.close();
  });

  it('answers `reset` to an id from the future (another database, a restore)', async () => {
    const stream = await openPublic();
    const hello = await stream.next();
    stream.close();
    const ahead = await openPublic(String(idOf(hello) + 1000n));
    expect((await ahead.next()).event).toBe('reset');
    ahead.close();
  });

  it('answers `reset` once the events after the id were pruned, and a resume from the reset id works', async () => {
    const stream = await openPublic();
    const hello = await stream.next();
    stream.close();
    const id = await insertReport();
    await setStatus(id, 'acknowledged');
    // Two hours old: the hourly upkeep's pruning removes them.
    await stack.pool.query(`UPDATE event_log SET created_at = now() - interval '2 hours'`);
    expect(await pruneEventLog(stack.pool, 3_600)).toBeGreaterThanOrEqual(2);
    expect(await pruneEventLog(stack.pool, 3_600)).toBe(0);

    const late = await openPublic(hello.id);
    const reset = await late.next();
    expect(reset.event).toBe('reset');
    late.close();
    // The reset's id is a good place to resume from, even with the log empty.
    const again = await openPublic(reset.id);
    await expectSilence(again);
    await setStatus(id, 'in_progress');
    expect((await again.next()).data).toMatchObject({ id, status: 'in_progress' });
    again.close();
  });
});

describe('privacy of replayed events', () => {
  it('replays public fields only: no e-mail in the public stream nor its log', async () => {
    const stream = await openPublic();
    const hello = await stream.next();
    stream.close();
    const id = await fileThrough(stack.app);
    const back = await openPublic(hello.id);
    const replayed = await back.next();
    expect(replayed.data).toEqual({
      type: 'created',
      version: expect.any(Number),
      id,
      status: 'new',
      category: 'nid-de-poule',
      group: 'voirie',
      lon: expect.any(Number),
      lat: expect.any(Number),
      createdAt: expect.any(String),
    });
    expect(replayed.raw).not.toContain(REPORTER);
    back.close();
    const { rows } = await stack.pool.query(`SELECT payload::text FROM event_log WHERE stream = 'public'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.payload).not.toContain(REPORTER);
  });

  it('replays to staff what is in their scope only, without team ids', async () => {
    const open = (who: 'crew11' | 'crew15', lastEventId?: string) =>
      openEventStream(`${stack.baseUrl}/api/staff/events`, {
        ...stack.as(who),
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      });
    const first = await open('crew11');
    const hello = await first.next();
    expect(hello.event).toBe('hello');
    first.close();

    const report = await fileReport(stack.deps, { email: REPORTER });
    await routeFiledReport(stack.pool, report.id);

    const crew11 = await open('crew11', hello.id);
    const replayed = await crew11.next();
    // Filed without a team (not in a crew's scope), then routed to the 11th's team.
    expect(replayed.event).toBe('queue');
    expect(replayed.data).toEqual({ type: 'changed', id: report.id, status: 'new' });
    expect(replayed.raw).not.toContain(REPORTER);
    expect(replayed.raw).not.toMatch(/teamId/);
    await expectSilence(crew11);
    crew11.close();

    const crew15 = await open('crew15', hello.id);
    await expectSilence(crew15);
    crew15.close();
  });
});
