import { describe, expect, it } from 'vitest';
import { multipart, POINT_PARIS_11 } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({ listen: true });
const EMAIL = 'watcher@example.org';

interface Frame {
  event: string;
  data: Record<string, unknown>;
  raw: string;
}

/** Opens `/api/events` and hands out its frames one by one, as an EventSource would parse them. */
async function openStream() {
  const controller = new AbortController();
  const response = await fetch(`${stack.baseUrl}/api/events`, { signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (timeoutMs = 2_000): Promise<Frame> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = raw.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event && data) return { event, data: JSON.parse(data) as Record<string, unknown>, raw };
        continue;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), left)),
      ]);
      if (chunk.done) throw new Error('stream ended');
      buffer += chunk.value;
    }
  };
  return { response, next, close: () => controller.abort() };
}

describe('GET /api/events', () => {
  it('says hello with the data version, then pushes a created report and its status change within 2 s', async () => {
    const stream = await openStream();
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    const hello = await stream.next();
    expect(hello.event).toBe('hello');
    expect(hello.data.version).toEqual(expect.any(Number));

    const body = await multipart({
      category: 'nid-de-poule',
      lat: String(POINT_PARIS_11.lat),
      lon: String(POINT_PARIS_11.lon),
      description: 'Trou profond',
      email: EMAIL,
    });
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
