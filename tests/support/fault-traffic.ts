import type { Pool } from '@pave/core';
import { multipart, reportFormFields } from './multipart';

/** One answer of the API under a fault, timed. */
export interface Answer {
  request: 'POST /api/reports' | 'GET /api/reports/:id';
  startedAt: number;
  endedAt: number;
  /** 0 when no HTTP answer came at all (connection refused or reset, timeout). */
  status: number;
  body: { id?: string; code?: string; message?: string } | null;
}

export interface TrafficClient {
  send(request: Answer['request'], init: { url: string } & RequestInit): Promise<Answer>;
  postReport(): Promise<Answer>;
}

const REPORT_FORM = multipart(reportFormFields({ description: 'fault traffic' }));

/**
 * Requests to the API at `baseUrl` over real HTTP, timed; any failure to answer is recorded, never
 * thrown. Bounded by `timeoutMs`: a request hanging on a dead connection shows up as a failure.
 */
export function trafficTo(baseUrl: string, { timeoutMs }: { timeoutMs: number }): TrafficClient {
  const send: TrafficClient['send'] = async (request, init) => {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${baseUrl}${init.url}`, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      const text = await response.text();
      let body: Answer['body'];
      try {
        body = JSON.parse(text) as Answer['body'];
      } catch {
        body = { message: text.slice(0, 200) };
      }
      return { request, startedAt, endedAt: Date.now(), status: response.status, body };
    } catch (error) {
      return { request, startedAt, endedAt: Date.now(), status: 0, body: { message: (error as Error).message } };
    }
  };
  return {
    send,
    async postReport() {
      const form = await REPORT_FORM;
      return send('POST /api/reports', {
        url: '/api/reports',
        method: 'POST',
        headers: form.headers,
        body: new Uint8Array(form.payload),
      });
    },
  };
}

/**
 * Steady traffic: `lanes` loops, each filing a report and reading it back, at most one request per lane
 * every `paceMs`, until `isDone()` says so or `maxRequests` answers were received. Every answer is kept.
 */
export async function steadyTraffic(
  client: TrafficClient,
  answers: Answer[],
  { lanes, paceMs, maxRequests, isDone }: { lanes: number; paceMs: number; maxRequests: number; isDone: () => boolean },
): Promise<void> {
  const paced = async (request: () => Promise<Answer>) => {
    const startedAt = Date.now();
    const answer = await request();
    answers.push(answer);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + paceMs - Date.now())));
    return answer;
  };
  const lane = async () => {
    while (!isDone() && answers.length < maxRequests) {
      const posted = await paced(() => client.postReport());
      const id = posted.status === 201 ? posted.body?.id : undefined;
      if (id) await paced(() => client.send('GET /api/reports/:id', { url: `/api/reports/${id}` }));
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

export const isOk = (a: Answer) => a.status === 200 || a.status === 201;

/** "3× 503 SERVICE_UNAVAILABLE, 1× 500 INTERNAL": answers counted by status and code. */
export function countByStatus(answers: Answer[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = `${a.status} ${a.body?.code ?? a.body?.message ?? ''}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n}× ${key}`).join(', ') || 'none';
}

/** Per report found: how many times it was routed (its 'routed' history entries), and whether it has a team. */
export async function routingOf(db: Pool, ids: string[]): Promise<Map<string, { routed: number; hasTeam: boolean }>> {
  const { rows } = await db.query<{ id: string; routed: number; has_team: boolean }>(
    `SELECT r.id, r.team_id IS NOT NULL AS has_team,
            (SELECT count(*)::int FROM report_history h WHERE h.report_id = r.id AND h.event = 'routed') AS routed
       FROM reports r WHERE r.id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { routed: r.routed, hasTeam: r.has_team }]));
}
