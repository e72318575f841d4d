import { describe, expect, it } from 'vitest';
import { addConfirmedFollower, fileRoutedReport, STAFF_OF_EACH_ROLE } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const WINDOW_MS = 2_500;
const stack = useStack({
  worker: { env: { NOTIFY_COALESCE_MS: String(WINDOW_MS) } },
  smtp: true,
  queue: true,
  staff: { supervisor: STAFF_OF_EACH_ROLE.supervisor },
  env: { PUBLIC_BASE_URL: 'https://pave.example' },
});

const recipientOf = (mail: { to?: unknown }) => (mail.to as { text: string }).text;

describe('status changes within the window are mailed once per recipient', () => {
  it('four changes within a second: one mail each to the reporter and a follower, with the final state', async () => {
    const report = await fileRoutedReport(stack.deps, { email: 'reporter@example.org' });
    // The acknowledgement is not delayed: it is the resident's receipt.
    const [ack] = await stack.smtp.waitForMails(1);
    expect(recipientOf(ack!)).toBe('reporter@example.org');
    await addConfirmedFollower(stack.deps, { reportId: report.id, email: 'voisine@example.org' });

    const started = Date.now();
    const steps = [
      { to: 'acknowledged' },
      { to: 'scheduled', scheduledFor: new Date(Date.now() + 86_400_000).toISOString() },
      { to: 'in_progress', message: 'Équipe en route.' },
      { to: 'resolved', message: 'Trou rebouché ce matin.' },
    ];
    for (const body of steps) {
      const response = await stack.app.inject({
        method: 'POST',
        url: `/api/staff/reports/${report.id}/transitions`,
        headers: stack.as('supervisor'),
        payload: body,
      });
      expect(response.statusCode, response.body).toBe(200);
    }
    expect(Date.now() - started).toBeLessThan(1_000);

    // Every change's job has run to its end (the first three coalesced, the last one sent).
    const { rows } = await stack.pool.query<{ id: string }>(
      `SELECT id::text FROM report_history WHERE report_id = $1 AND event = 'status_changed' ORDER BY id`,
      [report.id],
    );
    expect(rows).toHaveLength(4);
    const results = await waitFor(
      async () => {
        const states = await Promise.all(rows.map((r) => stack.queue.getJobState(`notify-${r.id}`)));
        if (!states.every((s) => s === 'completed')) return null;
        // Read once completed: a job read before it completed carries no return value.
        const jobs = await Promise.all(rows.map((r) => stack.queue.getJob(`notify-${r.id}`)));
        return jobs.map((j) => j!.returnvalue);
      },
      { timeoutMs: WINDOW_MS + 15_000, what: 'the four notify jobs completed' },
    );
    expect(results.slice(0, 3)).toEqual([{ coalesced: true }, { coalesced: true }, { coalesced: true }]);
    expect(results[3]).toEqual({ sent: 2, skipped: 0 });
    // Nothing left the window early.
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS);

    const updates = stack.smtp.mails.slice(1);
    expect(updates.map(recipientOf).sort()).toEqual(['reporter@example.org', 'voisine@example.org']);
    for (const mail of updates) {
      expect(mail.subject).toBe(`${report.ref} : Résolu`);
      expect(mail.text).toContain('Trou rebouché ce matin.');
      expect(mail.text).not.toContain('Équipe en route.');
    }
  });
});
