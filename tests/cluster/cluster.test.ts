import { createStaffUser } from '@pave/core';
import { describe, expect, it } from 'vitest';
import { useCluster } from '../support/cluster';
import { openEventStream } from '../support/event-stream';
import { STAFF_PASSWORD } from '../support/factories';
import { multipart, reportFormFields } from '../support/multipart';

// Three reports a minute per client address: the rate-limit test fills it, the others file from
// an address of their own each (X-Forwarded-For, which nginx passes on and the APIs trust from loopback).
const cluster = useCluster({ apis: 2, env: { RATE_LIMIT_REPORTS_PER_IP: '3' } });

interface Answer {
  status: number;
  /** The API process that answered, as nginx names it. */
  upstream: string;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One request through nginx. */
async function send(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${cluster.url}${url}`, init);
  const text = await response.text();
  return {
    status: response.status,
    upstream: response.headers.get('x-pave-upstream') ?? '',
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    headers: response.headers,
  };
}

let clients = 0;
/** Files a report through nginx as the client at `ip` (a new one each time unless given). */
async function fileReport(
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
  ip = `203.0.113.${(clients += 1)}`,
) {
  const form = await multipart(reportFormFields(fields));
  return send('/api/reports', {
    method: 'POST',
    body: form.payload,
    headers: { ...form.headers, 'x-forwarded-for': ip, ...headers },
  });
}

describe('two API processes behind nginx', () => {
  it('shares requests between both processes, and a session opened on one is valid on the other', async () => {
    const email = 'agent@ville.test';
    await createStaffUser(cluster.pool, { email, password: STAFF_PASSWORD, role: 'agent' });
    const login = await fetch(`${cluster.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: STAFF_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const loggedInOn = login.headers.get('x-pave-upstream');
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('pave_session='));
    expect(cookie).toBeDefined();

    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await send('/api/staff/me', { headers: { cookie: cookie! } }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers.map((a) => (a.body.user as { email: string }).email)).toEqual([email, email, email, email]);
    expect(new Set(answers.map((a) => a.upstream))).toEqual(new Set(cluster.apis));
    expect(answers.some((a) => a.upstream !== loggedInOn)).toBe(true);
  });

  it('counts a rate limit across both processes, keyed on the client rather than on nginx', async () => {
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await fileReport({}, {}, '198.51.100.7'));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 429, 429, 429]);
    // Both processes counted into the same three, and both refuse the fourth and later.
    expect(new Set(answers.slice(0, 3).map((a) => a.upstream))).toEqual(new Set(cluster.apis));
    expect(new Set(answers.slice(3).map((a) => a.upstream))).toEqual(new Set(cluster.apis));
    expect(answers[3]!.body.code).toBe('RATE_LIMITED');
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client behind the same nginx is not held back.
    expect((await fileReport({}, {}, '198.51.100.8')).status).toBe(201);
  });

  it('files one report for an Idempotency-Key sent to each process, one after the other or at once', async () => {
    const fields = { description: 'Idempotent à travers nginx' };
    const key = { 'idempotency-key': 'cluster-0001-abcdef' };
    const first = await fileReport(fields, key);
    expect(first.status).toBe(201);
    let retry = await fileReport(fields, key);
    // Round-robin sends the retry to the other process; should anything come in between, ask again.
    for (let i = 0; retry.upstream === first.upstream && i < 3; i += 1) {
      retry = await fileReport(fields, key);
    }
    expect(retry.upstream).not.toBe(first.upstream);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);

    const racing = { 'idempotency-key': 'cluster-0002-racing' };
    const pair = await Promise.all([1, 2].map(() => fileReport(fields, racing)));
    expect(new Set(pair.map((a) => a.upstream))).toEqual(new Set(cluster.apis));
    expect(pair.map((a) => a.status)).toEqual([201, 201]);
    expect(pair[0]!.body.id).toBe(pair[1]!.body.id);

    const { rows } = await cluster.pool.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM reports WHERE description = $1',
      [fields.description],
    );
    expect(rows[0]!.count).toBe(2);
  });

  it('pushes a report filed through one process to a live map stream held by the other', async () => {
    const stream = await openEventStream(`${cluster.url}/api/events`);
    const streamOn = stream.response.headers.get('x-pave-upstream');
    expect(stream.response.status).toBe(200);
    expect(cluster.apis).toContain(streamOn);
    expect((await stream.next(5_000)).event).toBe('hello');

    let filed = await fileReport({ description: 'Vu en direct' });
    for (let i = 0; filed.upstream === streamOn && i < 3; i += 1) {
      // The stream's own process filed it: its event is not the one this test is about.
      expect((await stream.next(5_000)).data.id).toBe(filed.body.id);
      filed = await fileReport({ description: 'Vu en direct' });
    }
    expect(filed.status).toBe(201);
    expect(filed.upstream).not.toBe(streamOn);
    const event = await stream.next(5_000);
    expect(event.event).toBe('report');
    expect(event.data).toMatchObject({ type: 'created', id: filed.body.id, status: 'new' });
    stream.close();
  });
});
