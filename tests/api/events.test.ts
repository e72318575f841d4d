import { describe, expect, it } from 'vitest';
import { multipart, POINT_PARIS_11, reportFormFields } from '../support/multipart';
import { openEventStream } from '../support/event-stream';
import { useStack } from '../support/stack';

const stack = useStack({ listen: true });
const EMAIL = 'watcher@example.org';

/** Opens `/api/events`. */
const openStream = () => openEventStream(`${stack.baseUrl}/api/events`);

describe('GET /api/events', () => {
  it('says hello with the data version, then pushes a created report and its status change within 2 s', async () => {
    const stream = await openStream();
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    const hello = await stream.next();
    expect(hello.event).toBe('hello');
    expect(hello.data.version).toEqual(expect.any(Number));

    const body = await multipart(reportFormFields({ description: 'Trou profond', email: EMAIL }));
    const created = await stack.app.inject({ method: 'POST', url: '/api/reports', ...body });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;

    const event = await stream.next(2_000);
    expect(event.event).toBe('report');
    expect(event.data).toEqual({
      type: 'created',
      version: expect.any(Number),
      id,
      status: 'new',
      category: 'nid-de-poule',
      group: 'voirie',
      lon: POINT_PARIS_11.lon,
      lat: POINT_PARIS_11.lat,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(event.data.version as number).toBeGreaterThan(hello.data.version as number);
    expect(event.raw).not.toContain(EMAIL);

    await stack.pool.query(`UPDATE reports SET status = 'resolved', updated_at = now() WHERE id = $1`, [id]);
    const change = await stream.next(2_000);
    expect(change.data).toMatchObject({ type: 'status', id, status: 'resolved' });
    stream.close();
  });

  it('sends every change to every open stream, and nothing for an update that keeps the status', async () => {
    const [a, b] = [await openStream(), await openStream()];
    await a.next();
    await b.next();
    const { rows } = await stack.pool.query<{ id: string }>(
      `INSERT INTO reports (category_id, geom, reporter_email)
       SELECT id, ST_SetSRID(ST_MakePoint(2.35, 48.86), 4326), $1 FROM categories WHERE code = 'tag-facade'
       RETURNING id`,
      [EMAIL],
    );
    const id = rows[0]!.id;
    await stack.pool.query(`UPDATE reports SET description = 'plus de détails' WHERE id = $1`, [id]);
    await stack.pool.query(`UPDATE reports SET status = 'acknowledged' WHERE id = $1`, [id]);
    for (const stream of [a, b]) {
      expect((await stream.next()).data).toMatchObject({ type: 'created', id, group: 'graffitis' });
      expect((await stream.next()).data).toMatchObject({ type: 'status', id, status: 'acknowledged' });
      stream.close();
    }
  });
});
