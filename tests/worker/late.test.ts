import { createLogger, createMailer, createStaffUser, notifyIfLate } from '@pave/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const logger = createLogger({ level: 'silent', name: 'test' });
const stack = useStack({ api: false, worker: { logger }, smtp: true });

beforeAll(async () => {
  for (const account of [
    { email: 'crew11@ville.test', role: 'crew', teamCode: 'voirie-11' },
    { email: 'chef.voirie@ville.test', role: 'supervisor', service: 'voirie' },
    { email: 'chef.proprete@ville.test', role: 'supervisor', service: 'proprete' },
  ]) {
    await createStaffUser(stack.pool, { ...account, password: 'mot de passe solide' });
  }
});

const file = (category = 'nid-de-poule') => fileReport(stack.deps, { category });

describe('deadline checks as delayed jobs', () => {
  it('schedules a check at the deadline and at twice it; past ones warn the crew and the supervisor once', async () => {
    // Filed ten days ago (the clock is pinned by the row, not by sleeping): both checks are already due.
    await stack.worker.relay.stop();
    const report = await file();
    await stack.pool.query(`UPDATE reports SET created_at = now() - interval '10 days' WHERE id = $1`, [report.id]);
    await stack.worker.relay.start();

    const mails = await stack.smtp.waitForMails(4, 15_000);
    const byRecipient = mails.map((m) => `${(m.to as { text: string }).text} ${m.subject}`).sort();
    expect(byRecipient).toEqual([
      `chef.voirie@ville.test En retard : ${report.ref} — Nid-de-poule`,
      `chef.voirie@ville.test Très en retard : ${report.ref} — Nid-de-poule`,
      `crew11@ville.test En retard : ${report.ref} — Nid-de-poule`,
      `crew11@ville.test Très en retard : ${report.ref} — Nid-de-poule`,
    ]);
    const { rows } = await stack.pool.query(
      `SELECT extract(epoch FROM run_at - (SELECT created_at FROM reports WHERE id = $1::uuid)) / 3600 AS hours FROM outbox
        WHERE job_name = 'report.late' AND payload->>'reportId' = $1::text ORDER BY run_at`,
      [report.id],
    );
    // Nid-de-poule: 72 calendar hours, so checks at 72 h and 144 h after filing.
    // To the millisecond: deadlines are computed in JavaScript, timestamps are stored in microseconds.
    expect(rows.map((r) => Math.round(Number(r.hours) * 1000) / 1000)).toEqual([72, 144]);
  });

  it('leaves a closed or re-routed report alone, and never mails twice', async () => {
    const report = await file('encombrant');
    // Routing (by the worker) sets the deadline: wait for it rather than for a fixed time.
    const deadline = await waitFor(
      async () => {
        const { rows } = await stack.pool.query(`SELECT deadline_at FROM reports WHERE id = $1`, [report.id]);
        return (rows[0]?.deadline_at as Date | null) ?? null;
      },
      { what: 'the report routed, with its deadline' },
    );
    const deadlineAt = deadline.toISOString();
    const deps = {
      ...stack.deps,
      logger,
      publicBaseUrl: 'http://x',
      mailer: createMailer({ smtpUrl: stack.smtp.url, from: 'x@y.z' }),
    };
    expect(
      await notifyIfLate(deps, { reportId: report.id, deadlineAt: '2020-01-01T00:00:00.000Z', level: 'late' }),
    ).toEqual({ outcome: 'rescheduled', sent: 0 });
    const before = stack.smtp.mails.length;
    expect((await notifyIfLate(deps, { reportId: report.id, deadlineAt, level: 'late' })).outcome).toBe('notified');
    expect(await notifyIfLate(deps, { reportId: report.id, deadlineAt, level: 'late' })).toEqual({
      outcome: 'notified',
      sent: 0,
    });
    await stack.smtp.waitForMails(before + 1);
    // Encombrant is the cleanliness service's: its supervisor only (no crew account on that team).
    expect(stack.smtp.mails.slice(before).map((m) => (m.to as { text: string }).text)).toEqual([
      'chef.proprete@ville.test',
    ]);
    await stack.pool.query(`UPDATE reports SET status = 'resolved' WHERE id = $1`, [report.id]);
    expect(await notifyIfLate(deps, { reportId: report.id, deadlineAt, level: 'very_late' })).toEqual({
      outcome: 'closed',
      sent: 0,
    });
  });
});
