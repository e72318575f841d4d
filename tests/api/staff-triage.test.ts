import { createStaffUser } from '@pave/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileReport, fileRoutedReport, routeFiledReport, STAFF_PASSWORD, type ReportSpec } from '../support/factories';
import { openEventStream } from '../support/event-stream';
import { useStack } from '../support/stack';

const REPORTER = 'riveraine@example.org';
const POINT_PARIS_15 = { lon: 2.295, lat: 48.84 };
const stack = useStack({
  listen: true,
  staff: {
    crew11: { role: 'crew', teamCode: 'voirie-11', displayName: 'Camille Voirie' },
    crew11b: { role: 'crew', teamCode: 'voirie-11', displayName: 'Basile Voirie' },
    crew15: { role: 'crew', teamCode: 'voirie-15', displayName: 'Inès Quinze' },
    cleaner11: { role: 'crew', teamCode: 'proprete-11', displayName: 'Paul Propreté' },
    supervisor: { role: 'supervisor', service: 'voirie' },
    otherSupervisor: { role: 'supervisor', service: 'proprete' },
    council: { role: 'council' },
    admin: { role: 'admin' },
  },
});
type Who = 'anonymous' | keyof typeof stack.staff;
let inactiveCrewId: number;

/** Filed and routed by the real routing: a pothole in the 11th goes to voirie-11, in the 15th to voirie-15, a tag to proprete-11. */
const routedReport = (spec: ReportSpec = {}) => fileRoutedReport(stack.deps, spec);

/** Hands a report over to another team than routing chose, as a supervisor's re-routing does. */
async function handOver(reportId: string, teamCode: string) {
  await stack.pool.query(`UPDATE reports SET team_id = (SELECT id FROM teams WHERE code = $2) WHERE id = $1`, [
    reportId,
    teamCode,
  ]);
}

const assign = (id: string, userId: number | null, who: Who) =>
  stack.app.inject({
    method: 'POST',
    url: `/api/staff/reports/${id}/assign`,
    headers: stack.as(who),
    payload: { userId },
  });

const queue = async (query: string, who: Who = 'admin') => {
  const response = await stack.app.inject({ url: `/api/staff/reports?${query}`, headers: stack.as(who) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().reports as { id: string; ref: string; assignee: unknown; address: string | null }[];
};
const queueIds = async (query: string, who: Who = 'admin') => (await queue(query, who)).map((r) => r.id);

beforeAll(async () => {
  const inactive = await createStaffUser(stack.pool, {
    email: 'retired@ville.test',
    password: STAFF_PASSWORD,
    role: 'crew',
    teamCode: 'voirie-11',
  });
  await stack.pool.query('UPDATE staff_users SET is_active = false WHERE id = $1', [inactive.id]);
  inactiveCrewId = inactive.id;
});

describe('assignment', () => {
  it('lets a supervisor assign to a crew of its service, never outside it, and keeps it out of the public history', async () => {
    const { id, ref } = await routedReport();
    const response = await assign(id, stack.staff.crew11.id, 'supervisor');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ id, assignee: { id: stack.staff.crew11.id, displayName: 'Camille Voirie' } });
    // Another team of the same service is in the supervisor's hands too.
    expect((await assign(id, stack.staff.crew15.id, 'supervisor')).statusCode).toBe(200);
    // A crew of another service, a supervisor, an inactive or unknown account cannot be assigned.
    for (const userId of [stack.staff.cleaner11.id, stack.staff.supervisor.id, inactiveCrewId, 99_999]) {
      const refused = await assign(id, userId, 'supervisor');
      expect({ userId, status: refused.statusCode, code: refused.json().code }).toEqual({
        userId,
        status: 422,
        code: 'ASSIGNEE_INVALID',
      });
    }
    expect((await assign(id, stack.staff.crew11.id, 'otherSupervisor')).json().code).toBe('REPORT_NOT_FOUND');
    expect((await assign(id, stack.staff.crew11.id, 'council')).statusCode).toBe(403);
    expect((await assign(id, stack.staff.crew11.id, 'anonymous')).statusCode).toBe(401);
    expect((await assign(id, null, 'admin')).json()).toEqual({ id, assignee: null });

    const { rows } = await stack.pool.query(
      `SELECT is_public, data FROM report_history WHERE report_id = $1 AND event = 'assigned' ORDER BY id`,
      [id],
    );
    expect(rows).toEqual([
      { is_public: false, data: { from: null, to: stack.staff.crew11.id } },
      { is_public: false, data: { from: stack.staff.crew11.id, to: stack.staff.crew15.id } },
      { is_public: false, data: { from: stack.staff.crew15.id, to: null } },
    ]);
    const publicPage = await stack.app.inject(`/api/reports/by-ref/${ref}`);
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).not.toContain('assigned');
    expect(publicPage.body).not.toContain('Camille');
  });

  it('lets a crew member take a report of its team for itself and give it back, nothing more', async () => {
    const { id } = await routedReport();
    expect((await assign(id, stack.staff.crew11b.id, 'crew11')).statusCode).toBe(403);
    expect((await assign(id, stack.staff.crew15.id, 'crew15')).json().code).toBe('REPORT_NOT_FOUND');
    expect((await assign(id, stack.staff.crew11.id, 'crew11')).json().assignee).toEqual({
      id: stack.staff.crew11.id,
      displayName: 'Camille Voirie',
    });
    // A teammate cannot release what is not theirs.
    expect((await assign(id, null, 'crew11b')).statusCode).toBe(403);
    expect((await assign(id, null, 'crew11')).json().assignee).toBeNull();
  });

  it('refuses a closed report and malformed input with { code, message }', async () => {
    const { id } = await routedReport();
    await stack.pool.query(`UPDATE reports SET status = 'resolved' WHERE id = $1`, [id]);
    const closed = await assign(id, stack.staff.crew11.id, 'supervisor');
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toMatchObject({ code: 'REPORT_CLOSED', message: expect.any(String) });
    for (const payload of [{}, { userId: 'crew11' }, { userId: 0 }, { userId: false }, { userId: 1.5 }]) {
      const response = await stack.app.inject({
        method: 'POST',
        url: `/api/staff/reports/${id}/assign`,
        headers: stack.as('supervisor'),
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
    }
    expect((await assign('not-a-uuid', stack.staff.crew11.id, 'supervisor')).statusCode).toBe(404);
  });

  it('lists who may be assigned, scoped: the service’s active crews, or oneself for a crew member', async () => {
    const list = async (who: Who) => stack.app.inject({ url: '/api/staff/assignees', headers: stack.as(who) });
    const names = async (who: Who) =>
      ((await list(who)).json().assignees as { id: number }[]).map((a) => a.id).sort((a, b) => a - b);
    expect(await names('supervisor')).toEqual(
      [stack.staff.crew11.id, stack.staff.crew11b.id, stack.staff.crew15.id].sort((a, b) => a - b),
    );
    expect(await names('otherSupervisor')).toEqual([stack.staff.cleaner11.id]);
    expect(await names('crew11')).toEqual([stack.staff.crew11.id]);
    expect(await names('admin')).toEqual(
      [stack.staff.crew11.id, stack.staff.crew11b.id, stack.staff.crew15.id, stack.staff.cleaner11.id].sort(
        (a, b) => a - b,
      ),
    );
    expect((await list('council')).statusCode).toBe(403);
    expect((await list('supervisor')).json().assignees[0]).toEqual({
      id: expect.any(Number),
      displayName: expect.any(String),
      team: expect.any(String),
    });
  });

  it('shows the assignee in the queue and filters by assignee', async () => {
    const mine = await routedReport();
    const free = await routedReport();
    await assign(mine.id, stack.staff.crew11.id, 'crew11');
    const items = await queue('', 'crew11');
    expect(items.find((r) => r.id === mine.id)!.assignee).toEqual({
      id: stack.staff.crew11.id,
      displayName: 'Camille Voirie',
    });
    expect(items.find((r) => r.id === free.id)!.assignee).toBeNull();
    expect(await queueIds('assignee=me', 'crew11')).toEqual([mine.id]);
    expect(await queueIds(`assignee=${stack.staff.crew11.id}`, 'supervisor')).toEqual([mine.id]);
    const unassigned = await queueIds('assignee=none', 'crew11');
    expect(unassigned).toContain(free.id);
    expect(unassigned).not.toContain(mine.id);
    const bad = await stack.app.inject({ url: '/api/staff/reports?assignee=quelqu-un', headers: stack.as('crew11') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('internal history', () => {
  it('names who did what by display name, never by e-mail, within the detail’s scope', async () => {
    const { id } = await routedReport({ email: 'habitante.discrete@example.org' });
    expect((await assign(id, stack.staff.crew11.id, 'supervisor')).statusCode).toBe(200);
    const moved = await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${id}/transitions`,
      headers: stack.as('crew11'),
      payload: { to: 'acknowledged', note: 'Barrières à prévoir' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const history = await stack.app.inject({
      url: `/api/staff/reports/${id}/history`,
      headers: stack.as('supervisor'),
    });
    expect(history.statusCode, history.body).toBe(200);
    const entries = history.json().entries as { event: string; actor: { kind: string; name: string | null } }[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        event: 'assigned',
        actor: { kind: 'staff', name: expect.any(String) },
        assignee: 'Camille Voirie',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        event: 'status_changed',
        toStatus: 'acknowledged',
        actor: { kind: 'staff', name: 'Camille Voirie' },
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        event: 'note',
        note: 'Barrières à prévoir',
        actor: { kind: 'staff', name: 'Camille Voirie' },
      }),
    );
    expect(entries[0]).toMatchObject({ event: 'created', actor: { kind: 'resident', name: null } });
    for (const email of [stack.staff.crew11.email, stack.staff.supervisor.email, 'habitante.discrete']) {
      expect(history.body).not.toContain(email);
    }
    // The detail's scope: another team's crew, or another service, does not see it.
    for (const who of ['crew15', 'otherSupervisor'] as const) {
      const refused = await stack.app.inject({ url: `/api/staff/reports/${id}/history`, headers: stack.as(who) });
      expect({ who, status: refused.statusCode, code: refused.json().code }).toEqual({
        who,
        status: 404,
        code: 'REPORT_NOT_FOUND',
      });
    }
    expect((await stack.app.inject({ url: `/api/staff/reports/${id}/history` })).statusCode).toBe(401);
  });
});

describe('bulk actions', () => {
  const bulk = (payload: object, who: Who = 'supervisor') =>
    stack.app.inject({ method: 'POST', url: '/api/staff/reports/bulk', headers: stack.as(who), payload });

  it('acknowledges what it may and says why not for each of the others', async () => {
    const a = await routedReport();
    const b = await routedReport({ point: POINT_PARIS_15 });
    const alreadyClosed = await routedReport();
    await stack.pool.query(`UPDATE reports SET status = 'resolved' WHERE id = $1`, [alreadyClosed.id]);
    const otherService = await routedReport({ category: 'tag-facade' });
    const response = await bulk({
      action: 'acknowledge',
      ids: [a.id, b.id, alreadyClosed.id, otherService.id, 'not-a-uuid', a.id],
    });
    expect(response.statusCode, response.body).toBe(200);
    // Each refused report comes with its reference (when in scope) and a plain reason.
    const why = expect.stringMatching(/\w+ \w+/);
    expect(response.json().results).toEqual([
      { id: a.id, ref: a.ref, ok: true },
      { id: b.id, ref: b.ref, ok: true },
      { id: alreadyClosed.id, ref: alreadyClosed.ref, ok: false, code: 'TRANSITION_NOT_ALLOWED', message: why },
      // Out of scope: the reference is not given away.
      { id: otherService.id, ref: null, ok: false, code: 'REPORT_NOT_FOUND', message: why },
      { id: 'not-a-uuid', ref: null, ok: false, code: 'REPORT_NOT_FOUND', message: why },
    ]);
    expect(response.json().results[2].message).toContain('resolved');
    const { rows } = await stack.pool.query('SELECT id, status FROM reports WHERE id = ANY($1)', [
      [a.id, b.id, alreadyClosed.id, otherService.id],
    ]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [a.id]: 'acknowledged',
      [b.id]: 'acknowledged',
      [alreadyClosed.id]: 'resolved',
      [otherService.id]: 'new',
    });
    // A crew member's bulk action stays within its team.
    const crew = await bulk({ action: 'acknowledge', ids: [b.id] }, 'crew11');
    expect(crew.json().results).toEqual([
      { id: b.id, ref: null, ok: false, code: 'REPORT_NOT_FOUND', message: expect.any(String) },
    ]);
  });

  it('assigns and resolves in bulk with the single actions’ rules (resolution without a photo, with a public message)', async () => {
    const a = await routedReport();
    const b = await routedReport();
    const assigned = await bulk({ action: 'assign', ids: [a.id, b.id], userId: stack.staff.crew11b.id });
    expect(assigned.json().results).toEqual([
      { id: a.id, ref: a.ref, ok: true },
      { id: b.id, ref: b.ref, ok: true },
    ]);
    expect((await bulk({ action: 'assign', ids: [a.id], userId: stack.staff.cleaner11.id })).json().results).toEqual([
      { id: a.id, ref: a.ref, ok: false, code: 'ASSIGNEE_INVALID', message: expect.any(String) },
    ]);
    const { rows: owners } = await stack.pool.query('SELECT DISTINCT assigned_to FROM reports WHERE id = ANY($1)', [
      [a.id, b.id],
    ]);
    expect(owners).toEqual([{ assigned_to: stack.staff.crew11b.id }]);

    const resolved = await bulk(
      { action: 'resolve', ids: [a.id, b.id], message: 'Chaussée reprise ce matin.' },
      'crew11',
    );
    expect(resolved.json().results).toEqual([
      { id: a.id, ref: a.ref, ok: true },
      { id: b.id, ref: b.ref, ok: true },
    ]);
    const { rows } = await stack.pool.query(
      `SELECT r.status, h.data->>'message' AS message FROM reports r
         JOIN report_history h ON h.report_id = r.id AND h.to_status = 'resolved' WHERE r.id = ANY($1)`,
      [[a.id, b.id]],
    );
    expect(rows).toEqual([
      { status: 'resolved', message: 'Chaussée reprise ce matin.' },
      { status: 'resolved', message: 'Chaussée reprise ce matin.' },
    ]);
  });

  it('refuses malformed bulk requests with 4xx { code, message }', async () => {
    const { id } = await routedReport();
    const cases: [object, number][] = [
      [{ action: 'acknowledge', ids: Array.from({ length: 101 }, () => id) }, 400],
      [{ action: 'acknowledge', ids: [] }, 400],
      [{ action: 'delete', ids: [id] }, 400],
      [{ action: 'assign', ids: [id] }, 400],
      [{ ids: [id] }, 400],
    ];
    for (const [payload, status] of cases) {
      const response = await bulk(payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(status);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
    }
    expect((await bulk({ action: 'acknowledge', ids: [id] }, 'council')).statusCode).toBe(403);
    expect((await bulk({ action: 'acknowledge', ids: [id] }, 'anonymous')).statusCode).toBe(401);
  });
});

describe('search and filters', () => {
  let tree: { id: string; ref: string };
  let hole: { id: string; ref: string };
  beforeAll(async () => {
    tree = await routedReport({
      description: 'Élagage nécessaire : les branches des platanes touchent les fenêtres.',
    });
    await stack.pool.query(`UPDATE reports SET address = $2 WHERE id = $1`, [
      tree.id,
      "12 rue de l'Église, 75011 Paris",
    ]);
    hole = await routedReport({ point: POINT_PARIS_15, description: 'Nid de poule profond' });
    await stack.pool.query(
      `UPDATE reports SET address = '3 avenue Émile Zola', deadline_at = now() - interval '1 hour' WHERE id = $1`,
      [hole.id],
    );
  });

  it('finds a report by reference prefix, address or description word, accents and plurals aside', async () => {
    const search = (q: string) => queueIds(`q=${encodeURIComponent(q)}`, 'supervisor');
    expect(await search(tree.ref)).toEqual([tree.id]);
    expect(await search(tree.ref.toLowerCase().slice(0, -1))).toContain(tree.id);
    expect(await search('eglise')).toEqual([tree.id]);
    expect(await search('ÉGLISE')).toEqual([tree.id]);
    expect(await search('elagage')).toEqual([tree.id]);
    expect(await search('platane')).toEqual([tree.id]);
    expect(await search('fenêtre branches')).toEqual([tree.id]);
    // A word being typed matches as a prefix.
    expect(await search('élag')).toEqual([tree.id]);
    expect(await search('emile zola')).toEqual([hole.id]);
    expect(await search('profond')).toEqual([hole.id]);
    expect(await search('platane zola')).toEqual([]);
    expect(await search('lampadaire')).toEqual([]);
    // Punctuation and tsquery syntax are just text.
    expect(await search("'&|!(:*")).toEqual([]);
    expect(await search('100%_')).toEqual([]);
  });

  it('finds a report by the number of its reference alone, with or without zeros or year', async () => {
    const wanted = await routedReport({ description: 'Bordure descellée' });
    const sameTail = await routedReport({ description: 'Bordure descellée' });
    // Fixed references (a year of their own) so the digits are known and unique in this database.
    await stack.pool.query(`UPDATE reports SET ref = 'PAV-2031-000653' WHERE id = $1`, [wanted.id]);
    await stack.pool.query(`UPDATE reports SET ref = 'PAV-2031-010653' WHERE id = $1`, [sameTail.id]);
    const search = (q: string) => queueIds(`q=${encodeURIComponent(q)}`, 'supervisor');
    for (const q of ['653', '000653', ' 0653 ', '2031-653', 'pav-2031-653', 'PAV-2031-000653', 'PAV-2031-0006']) {
      expect({ q, ids: await search(q) }).toEqual({ q, ids: [wanted.id] });
    }
    expect(await search('10653')).toEqual([sameTail.id]);
    expect(await search('2030-653')).toEqual([]);
    // The scope still applies: a crew of another team does not find it.
    expect(await queueIds('q=653', 'crew15')).toEqual([]);
  });

  it('finds a report by its street and number through the address index, abbreviations and little words aside', async () => {
    // 57 boulevard de Charonne, 75011 Paris: a numbered address of the index (the local geocoder files it).
    const onCharonne = await routedReport({ point: { lon: 2.397038, lat: 48.853008 } });
    const { rows } = await stack.pool.query('SELECT address, address_id FROM reports WHERE id = $1', [onCharonne.id]);
    expect(rows[0]).toEqual({ address: '57 boulevard de Charonne 75011 Paris', address_id: '75111_6576_00057' });
    const search = (q: string) => queueIds(`q=${encodeURIComponent(q)}`, 'supervisor');
    for (const q of ['57 boulevard de Charonne', 'bd charonne 57', '57 bd de charonne', 'Bd Charonne']) {
      expect({ q, found: (await search(q)).includes(onCharonne.id) }).toEqual({ q, found: true });
    }
    expect(await search('bd charonne 58')).not.toContain(onCharonne.id);
    expect(await search('bd voltaire 57')).not.toContain(onCharonne.id);
  });

  it('filters by status, category, area, team, lateness, and keeps late first', async () => {
    const tag = await routedReport({ category: 'tag-facade' });
    const tags = (await queue('category=tag-facade')) as unknown as { id: string; category: { code: string } }[];
    expect(tags.map((r) => r.id)).toContain(tag.id);
    expect(tags.every((r) => r.category.code === 'tag-facade')).toBe(true);
    expect(await queueIds('area=paris-15&q=profond')).toEqual([hole.id]);
    expect(await queueIds('team=voirie-15&q=profond')).toEqual([hole.id]);
    expect(await queueIds('team=voirie-11&q=profond')).toEqual([]);
    expect(await queueIds('late=true')).toEqual([hole.id]);
    expect((await queueIds('status=new'))[0]).toBe(hole.id);
    expect(await queueIds('status=resolved&q=elagage')).toEqual([]);
    const badStatus = await stack.app.inject({ url: '/api/staff/reports?status=perdu', headers: stack.as('admin') });
    expect(badStatus.statusCode).toBe(400);
    const item = (await queue('q=elagage'))[0]!;
    expect(item.address).toBe("12 rue de l'Église, 75011 Paris");
  });
});

/** Opens `/api/staff/events` as `who`. */
const openStaffStream = (who: Who) => openEventStream(`${stack.baseUrl}/api/staff/events`, stack.as(who));

describe('GET /api/staff/events', () => {
  it('needs a session', async () => {
    const response = await stack.app.inject({ url: '/api/staff/events' });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('AUTH_REQUIRED');
  });

  it('tells a crew member when a report is routed to its team, and not about another team’s report', async () => {
    const crew11 = await openStaffStream('crew11');
    const crew15 = await openStaffStream('crew15');
    const council = await openStaffStream('council');
    expect(crew11.response.status).toBe(200);
    expect(crew11.response.headers.get('content-type')).toContain('text/event-stream');
    for (const stream of [crew11, crew15, council]) expect((await stream.next()).event).toBe('hello');

    const ours = await fileReport(stack.deps, { email: REPORTER, description: 'Regard descellé' });
    // Not routed yet: only council and admin, who see everything, hear of it.
    expect((await council.next()).data).toEqual({ type: 'created', id: ours.id, status: 'new' });
    const routedAt = Date.now();
    await routeFiledReport(stack.pool, ours.id);
    const heard = await crew11.next(2_000);
    expect(Date.now() - routedAt).toBeLessThan(2_000);
    expect(heard.event).toBe('queue');
    expect(heard.data).toEqual({ type: 'changed', id: ours.id, status: 'new' });
    expect(heard.raw).not.toContain(REPORTER);
    expect(heard.raw).not.toContain('descellé');

    // NOTIFY arrives in commit order on one connection: if crew15's next event is its own report,
    // the voirie-11 one before it was never sent to crew15.
    const theirs = await fileRoutedReport(stack.deps, { point: POINT_PARIS_15 });
    expect((await crew15.next()).data).toEqual({ type: 'changed', id: theirs.id, status: 'new' });

    // A status change, an assignment and a re-routing away are queue changes too.
    await assign(ours.id, stack.staff.crew11.id, 'crew11');
    expect((await crew11.next()).data).toEqual({ type: 'changed', id: ours.id, status: 'new' });
    await stack.app.inject({
      method: 'POST',
      url: `/api/staff/reports/${ours.id}/transitions`,
      headers: stack.as('crew11'),
      payload: { to: 'acknowledged' },
    });
    expect((await crew11.next()).data).toEqual({ type: 'changed', id: ours.id, status: 'acknowledged' });
    await handOver(ours.id, 'voirie-15');
    // The team it leaves and the team it joins both hear of it.
    expect((await crew11.next()).data).toMatchObject({ id: ours.id });
    expect((await crew15.next()).data).toMatchObject({ id: ours.id });
    for (const stream of [crew11, crew15, council]) stream.close();
  });
});
