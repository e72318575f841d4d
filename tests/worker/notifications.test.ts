import {
  changeReportStatus,
  createLogger,
  createMailer,
  insertPendingFollower,
  insertPhoto,
  notifyHistoryEntry,
  processPhoto,
  withTransaction,
} from '@pave/core';
import { describe, expect, it } from 'vitest';
import { addConfirmedFollower, fileReport } from '../support/factories';
import { fixturePhoto } from '../support/multipart';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const logger = createLogger({ level: 'silent', name: 'test' });
const stack = useStack({
  api: false,
  worker: { logger },
  smtp: true,
  env: { TOKEN_SECRET: 'notifications-test-secret', PUBLIC_BASE_URL: 'https://pave.example' },
});

describe('report.notify through a real SMTP server', () => {
  it('acknowledges a report, then mails the reporter and followers its resolution with the after photo', async () => {
    const created = await fileReport(stack.deps, { email: 'habitante@example.org' });
    const [ack] = await stack.smtp.waitForMails(1);
    expect(ack!.to).toMatchObject({ text: 'habitante@example.org' });
    expect(ack!.subject).toBe(`Signalement ${created.ref} reçu : Nid-de-poule`);
    expect(ack!.text).toContain(`https://pave.example${created.trackingUrl}`);
    expect(ack!.text).toContain('jamais publiée');

    // Someone typed this address but never opened the confirmation link: asked first (so mailed
    // first, were they mailed at all), they must get nothing.
    await insertPendingFollower(stack.pool, created.id, 'pas-confirme@example.org');
    const { followerToken } = await addConfirmedFollower(stack.deps, {
      reportId: created.id,
      email: 'voisin@example.org',
    });

    // The crew's "after" photo, processed like any photo.
    const photoId = '7d4f5c1e-1111-4222-8333-444455556666';
    await stack.deps.storage.put(`originals/${photoId}`, fixturePhoto('jpg_orientation_portrait_6.jpg'));
    await insertPhoto(stack.pool, {
      id: photoId,
      reportId: created.id,
      position: 0,
      kind: 'after',
      originalKey: `originals/${photoId}`,
      mimeType: 'image/jpeg',
      byteSize: 1,
      width: 600,
      height: 450,
    });
    expect(await processPhoto({ ...stack.deps, logger }, photoId)).toBe('processed');

    await withTransaction(stack.pool, (tx) =>
      changeReportStatus(tx, {
        reportId: created.id,
        from: 'new',
        to: 'resolved',
        actor: 'staff:test',
        message: 'Trou rebouché ce matin.',
      }),
    );
    const mails = await stack.smtp.waitForMails(3);
    const resolution = mails.slice(1);
    expect(resolution.map((m) => (m.to as { text: string }).text).sort()).toEqual([
      'habitante@example.org',
      'voisin@example.org',
    ]);
    for (const mail of resolution) {
      expect(mail.subject).toBe(`${created.ref} : Résolu`);
      expect(mail.text).toContain('Trou rebouché ce matin.');
      expect(mail.attachments).toHaveLength(1);
      expect(mail.attachments[0]!.contentType).toBe('image/jpeg');
    }
    expect(stack.smtp.mails.map((m) => (m.to as { text: string }).text)).not.toContain('pas-confirme@example.org');
    const toFollower = resolution.find((m) => (m.to as { text: string }).text === 'voisin@example.org')!;
    expect(toFollower.text).toContain(followerToken);
    expect(JSON.stringify(toFollower.headers.get('list'))).toContain(
      `/api/reports/${created.id}/followers/${followerToken}/unsubscribe`,
    );
    // A follower's mail never carries the reporter's private link, nor the reporter's address.
    expect(toFollower.text).not.toContain(stack.deps.tokens.reporterToken(created.id));
    expect(toFollower.text).not.toContain('habitante@example.org');
  });

  it('never sends the same mail twice when a job runs again', async () => {
    const before = stack.smtp.mails.length;
    const created = await fileReport(stack.deps, { category: 'encombrant', email: 'once@example.org' });
    await stack.smtp.waitForMails(before + 1);
    const { rows } = await stack.pool.query(
      `SELECT id FROM report_history WHERE report_id = $1 AND event = 'created'`,
      [created.id],
    );
    // The SMTP server has the mail a moment before the worker records it as sent: run the job again
    // only once that record exists, as a retry would.
    await waitFor(
      async () =>
        (await stack.pool.query('SELECT 1 FROM notifications_sent WHERE history_id = $1', [rows[0].id])).rowCount,
      { what: 'the sent mail recorded' },
    );
    const again = await notifyHistoryEntry(
      {
        ...stack.deps,
        logger,
        publicBaseUrl: 'https://pave.example',
        mailer: createMailer({ smtpUrl: stack.smtp.url, from: 'x@y.z' }),
      },
      rows[0].id,
    );
    expect(again).toEqual({ sent: 0, skipped: 1 });
    expect(stack.smtp.mails.filter((m) => (m.to as { text: string }).text === 'once@example.org')).toHaveLength(1);
  });
});
