import { MODERATION_NOTICE } from '@pave/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileRoutedReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { multipart } from '../support/multipart';
import { useStack } from '../support/stack';

const stack = useStack({ staff: { ...STAFF_OF_EACH_ROLE, agent: { role: 'agent' } } });
type Who = keyof typeof stack.staff | 'anonymous';

interface Filed {
  id: string;
  ref: string;
  token: string;
}

async function fileWithToken(description = 'Trou dangereux devant le 12.'): Promise<Filed> {
  const created = await fileRoutedReport(stack.deps, {
    description,
    email: 'reporter@example.org',
    photos: ['jpg_gps_DSCN0010.jpg'],
  });
  return { ...created, token: new URL(created.trackingUrl, 'https://x').searchParams.get('t')! };
}

async function comment(report: Filed, text: string) {
  const body = await multipart({ t: report.token, text });
  const response = await stack.app.inject({ method: 'POST', url: `/api/reports/${report.id}/comments`, ...body });
  expect(response.statusCode, response.body).toBe(201);
}

const publicReport = async (id: string) => (await stack.app.inject({ url: `/api/reports/${id}` })).json();
const staffReport = async (id: string) =>
  (await stack.app.inject({ url: `/api/staff/reports/${id}`, headers: stack.as('supervisor') })).json();
const commentsOf = (report: { timeline: { event: string }[] }) =>
  report.timeline.filter((e) => e.event === 'comment') as unknown as {
    commentId: string;
    message: string | null;
    moderation: string | null;
    photoUrl: string | null;
  }[];

const act = (who: Who, url: string, payload: object) =>
  stack.app.inject({ method: 'POST', url, headers: stack.as(who), payload });

const flag = (id: string, payload: object, ip = '203.0.113.7') =>
  stack.app.inject({
    method: 'POST',
    url: `/api/reports/${id}/flags`,
    payload,
    remoteAddress: ip,
    headers: { 'x-pave-device': 'device-abcdefgh' },
  });

let report: Filed;
let commentId: string;
let photoId: string;

beforeAll(async () => {
  report = await fileWithToken('Le voisin du 3e est un abruti, appelez-le au 06 12 34 56 78.');
  await comment(report, 'Toujours pas réparé, quelle bande d’incapables.');
  const view = await publicReport(report.id);
  commentId = commentsOf(view)[0]!.commentId;
  photoId = view.photos[0].id;
});

describe('who may moderate: supervisors and admins, nobody else (403)', () => {
  const routes = () =>
    [
      [`/api/moderation/reports/${report.id}/description`, { action: 'hide', reason: 'Insulte' }],
      [`/api/moderation/reports/${report.id}/comments/${commentId}`, { action: 'hide', reason: 'Insulte' }],
      [`/api/moderation/reports/${report.id}/photos/${photoId}`, { action: 'hide', reason: 'Visage' }],
      ['/api/moderation/queue/resolve', { reportId: report.id, target: 'report', outcome: 'dismissed' }],
    ] as const;

  it.each(['crew', 'council', 'agent'] as const)('refuses every action to a %s with 403', async (who) => {
    for (const [url, payload] of routes()) {
      const response = await act(who, url, payload);
      expect(response.statusCode, `${who} ${url}`).toBe(403);
      expect(response.json().code).toBe('FORBIDDEN');
    }
    for (const url of ['/api/moderation/queue', `/api/moderation/reports/${report.id}/actions`]) {
      expect((await stack.app.inject({ url, headers: stack.as(who) })).statusCode, `${who} ${url}`).toBe(403);
    }
  });

  it('refuses an anonymous caller with 401', async () => {
    for (const [url, payload] of routes()) expect((await act('anonymous', url, payload)).statusCode).toBe(401);
  });

  it('refuses the word list to a supervisor: it is the admins’', async () => {
    const response = await stack.app.inject({
      method: 'PUT',
      url: '/api/moderation/words',
      headers: stack.as('supervisor'),
      payload: { words: ['abruti'] },
    });
    expect(response.statusCode).toBe(403);
  });
});

describe('flags, the queue and the moderator’s actions', () => {
  it('counts flags per target in the queue, refuses unknown targets, and rate-limits a client (429)', async () => {
    const other = await fileWithToken();
    expect((await flag(report.id, { target: 'report', reason: 'insult' }, '198.51.100.1')).statusCode).toBe(201);
    expect((await flag(report.id, { target: 'report', reason: 'personal_data' }, '198.51.100.2')).statusCode).toBe(201);
    // The same client twice counts once.
    expect((await flag(report.id, { target: 'report', reason: 'insult' }, '198.51.100.2')).statusCode).toBe(201);
    const flagged = await flag(report.id, { target: 'comment', targetId: commentId, reason: 'insult' });
    expect(flagged.statusCode, flagged.body).toBe(201);
    const unknown = await flag(report.id, { target: 'comment', targetId: '999999999', reason: 'spam' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('MODERATION_TARGET_NOT_FOUND');
    expect((await flag(report.id, { target: 'photo', targetId: 'x', reason: 'spam' })).statusCode).toBe(404);
    expect((await flag(report.id, { target: 'report', reason: 'rude' })).statusCode).toBe(400);

    const queue = await stack.app.inject({ url: '/api/moderation/queue', headers: stack.as('supervisor') });
    expect(queue.statusCode).toBe(200);
    const items = queue.json().items as { target: string; reportId: string; flagCount: number; reasons: string[] }[];
    const onReport = items.find((i) => i.reportId === report.id && i.target === 'report')!;
    expect(onReport.flagCount).toBe(2);
    expect(onReport.reasons).toEqual(['insult', 'personal_data']);
    expect(items.find((i) => i.target === 'comment')!.flagCount).toBe(1);

    // A flood from one address: 10 an hour, then 429.
    const answers: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      answers.push((await flag(other.id, { target: 'report', reason: 'spam' }, '192.0.2.99')).statusCode);
    }
    expect(answers.slice(0, 10).every((s) => s === 201)).toBe(true);
    expect(answers.slice(10)).toEqual([429, 429]);
  });

  it('hides a comment: the public sees the notice, staff the original and who did it', async () => {
    const hidden = await act('supervisor', `/api/moderation/reports/${report.id}/comments/${commentId}`, {
      action: 'hide',
      reason: 'Insulte envers les agents',
    });
    expect(hidden.statusCode, hidden.body).toBe(200);
    const publicComment = commentsOf(await publicReport(report.id))[0]!;
    expect(publicComment).toMatchObject({ message: null, moderation: 'hidden' });
    const staffComment = commentsOf(await staffReport(report.id))[0]!;
    expect(staffComment).toMatchObject({ message: 'Toujours pas réparé, quelle bande d’incapables.' });

    const actions = await stack.app.inject({
      url: `/api/moderation/reports/${report.id}/actions`,
      headers: stack.as('admin'),
    });
    expect(actions.json().actions).toContainEqual(
      expect.objectContaining({
        targetKind: 'comment',
        targetId: commentId,
        action: 'hide',
        reason: 'Insulte envers les agents',
        originalText: 'Toujours pas réparé, quelle bande d’incapables.',
        actor: expect.objectContaining({ id: stack.staff.supervisor.id }),
      }),
    );
    // Its flag is closed: it left the queue.
    const queue = await stack.app.inject({ url: '/api/moderation/queue', headers: stack.as('supervisor') });
    expect(queue.json().items.find((i: { target: string }) => i.target === 'comment')).toBeUndefined();
  });

  it('edits a description and hides a photo; a reason is required', async () => {
    const url = `/api/moderation/reports/${report.id}/description`;
    const noReason = await act('admin', url, { action: 'edit', reason: '  ', text: 'x' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().code).toBe('MODERATION_REASON_REQUIRED');
    expect((await act('admin', url, { action: 'edit', reason: 'Insulte' })).statusCode).toBe(400);
    const edited = await act('admin', url, { action: 'edit', reason: 'Insulte', text: 'Trou devant le 12.' });
    expect(edited.statusCode, edited.body).toBe(200);
    let view = await publicReport(report.id);
    expect(view.description).toBe('Trou devant le 12.');
    expect(view.descriptionModeration).toBe('edited');

    const hide = await act('supervisor', url, { action: 'hide', reason: 'Hors sujet' });
    expect(hide.statusCode).toBe(200);
    view = await publicReport(report.id);
    expect(view.description).toBe(MODERATION_NOTICE.fr);
    expect(view.descriptionModeration).toBe('hidden');
    const open311 = await stack.app.inject({ url: `/open311/v2/requests/${report.id}.json` });
    expect(open311.json()[0].description).toBe(MODERATION_NOTICE.fr);

    const photo = await act('supervisor', `/api/moderation/reports/${report.id}/photos/${photoId}`, {
      action: 'hide',
      reason: 'Visage reconnaissable',
    });
    expect(photo.statusCode, photo.body).toBe(200);
    expect((await publicReport(report.id)).photos).toEqual([]);
    const open311Photo = await stack.app.inject({ url: `/open311/v2/requests/${report.id}.json` });
    expect(open311Photo.json()[0].media_url).toBeNull();
    expect((await staffReport(report.id)).photos.map((p: { id: string }) => p.id)).toEqual([photoId]);
    expect(
      (
        await act('supervisor', `/api/moderation/reports/${report.id}/photos/${photoId}`, {
          action: 'edit',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(400);

    const actions = (
      await stack.app.inject({ url: `/api/moderation/reports/${report.id}/actions`, headers: stack.as('supervisor') })
    ).json().actions;
    expect(actions.find((a: { action: string }) => a.action === 'edit').originalText).toBe(
      'Le voisin du 3e est un abruti, appelez-le au 06 12 34 56 78.',
    );
  });

  it('dismisses flags through the queue', async () => {
    const fresh = await fileWithToken();
    await flag(fresh.id, { target: 'report', reason: 'spam' }, '198.51.100.50');
    const resolved = await act('supervisor', '/api/moderation/queue/resolve', {
      reportId: fresh.id,
      target: 'report',
      outcome: 'dismissed',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toEqual({ resolved: 1 });
    expect((await publicReport(fresh.id)).descriptionModeration).toBeNull();
  });
});

describe('the word list holds a comment for review', () => {
  it('keeps a comment with a listed word out of public view until a moderator publishes it', async () => {
    const saved = await stack.app.inject({
      method: 'PUT',
      url: '/api/moderation/words',
      headers: stack.as('admin'),
      payload: { words: ['Crétin', 'va te faire'] },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().words).toEqual(['cretin', 'va te faire']);

    const target = await fileWithToken();
    await comment(target, 'Le gardien est un CRÉTIN.');
    await comment(target, 'Merci pour la réparation rapide.');
    const publicComments = commentsOf(await publicReport(target.id));
    expect(publicComments.map((c) => c.message)).toEqual(['Merci pour la réparation rapide.']);
    const staffComments = commentsOf(await staffReport(target.id));
    const held = staffComments.find((c) => c.moderation === 'held')!;
    expect(held.message).toBe('Le gardien est un CRÉTIN.');

    const queue = await stack.app.inject({ url: '/api/moderation/queue', headers: stack.as('admin') });
    expect(queue.json().items).toContainEqual(
      expect.objectContaining({ reportId: target.id, target: 'comment', isHeld: true, flagCount: 0 }),
    );
    // Held comments cannot be flagged: nobody outside can see them.
    expect(
      (await flag(target.id, { target: 'comment', targetId: held.commentId, reason: 'insult' }, '198.51.100.60'))
        .statusCode,
    ).toBe(404);

    const published = await act('supervisor', `/api/moderation/reports/${target.id}/comments/${held.commentId}`, {
      action: 'publish',
      reason: 'Relu : acceptable',
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(commentsOf(await publicReport(target.id)).map((c) => c.message)).toEqual([
      'Le gardien est un CRÉTIN.',
      'Merci pour la réparation rapide.',
    ]);
  });
});
