import { randomBytes } from 'node:crypto';
import { CLOSED_REPORT_CONTACT_DAYS, UNCONFIRMED_ALERT_DAYS } from '@pave/core';
import { describe, expect, it } from 'vitest';
import { fileReport } from '../support/factories';
import { useStack } from '../support/stack';
import { waitFor } from '../support/wait';

const stack = useStack({ api: false, worker: true, queue: true });

const hash = () => randomBytes(32).toString('hex');

/** Rows of every kind the upkeep looks at, named by what should become of them. */
async function seedRows() {
  const { rows } = await stack.pool.query<{ id: string }>(
    `INSERT INTO citizen_accounts (email) VALUES ('upkeep@example.org') RETURNING id`,
  );
  const accountId = rows[0]!.id;
  const sessions = { gone: hash(), justExpired: hash(), fresh: hash() };
  // A day of grace after expiry: "this link has expired" stays a better answer than "unknown link".
  for (const [token, expires] of [
    [sessions.gone, `now() - interval '2 days'`],
    [sessions.justExpired, `now() - interval '1 hour'`],
    [sessions.fresh, `now() + interval '30 days'`],
  ]) {
    await stack.pool.query(
      `INSERT INTO citizen_sessions (token_hash, account_id, expires_at) VALUES ($1, $2, ${expires})`,
      [token, accountId],
    );
  }
  const links = { goneUsed: hash(), goneUnused: hash(), fresh: hash() };
  for (const [token, expires, used] of [
    [links.goneUsed, `now() - interval '3 days'`, `now() - interval '3 days'`],
    [links.goneUnused, `now() - interval '2 days'`, 'NULL'],
    [links.fresh, `now() + interval '15 minutes'`, 'NULL'],
  ]) {
    await stack.pool.query(
      `INSERT INTO magic_links (token_hash, email, expires_at, used_at) VALUES ($1, 'upkeep@example.org', ${expires}, ${used})`,
      [token],
    );
  }
  const states = { gone: randomBytes(24).toString('base64url'), fresh: randomBytes(24).toString('base64url') };
  for (const [state, expires] of [
    [states.gone, `now() - interval '2 days'`],
    [states.fresh, `now() + interval '10 minutes'`],
  ]) {
    await stack.pool.query(
      `INSERT INTO oidc_states (state, provider, nonce, code_verifier, expires_at)
       VALUES ($1, 'test', 'nonce', 'verifier', ${expires})`,
      [state],
    );
  }
  const alert = (label: string, createdDaysAgo: number, confirmed: boolean) =>
    stack.pool
      .query<{ id: string }>(
        `INSERT INTO area_alerts (email, area_id, area_label, frequency, created_at, confirmed_at, covered_until)
         SELECT 'voisine@example.org', id, $1, 'daily', now() - make_interval(days => $2),
                CASE WHEN $3 THEN now() - make_interval(days => $2) END,
                CASE WHEN $3 THEN now() END
           FROM service_areas WHERE code = 'paris-11'
         RETURNING id`,
        [label, createdDaysAgo, confirmed],
      )
      .then((r) => r.rows[0]!.id);
  const alerts = {
    staleUnconfirmed: await alert('stale', UNCONFIRMED_ALERT_DAYS + 1, false),
    recentUnconfirmed: await alert('recent', UNCONFIRMED_ALERT_DAYS - 1, false),
    oldConfirmed: await alert('confirmed', 60, true),
    longUnsubscribed: await alert('left long ago', 60, true),
    recentlyUnsubscribed: await alert('left yesterday', 60, true),
  };
  for (const [id, daysAgo] of [
    [alerts.longUnsubscribed, UNCONFIRMED_ALERT_DAYS + 1],
    [alerts.recentlyUnsubscribed, 1],
  ] as const) {
    await stack.pool.query('UPDATE area_alerts SET unsubscribed_at = now() - make_interval(days => $2) WHERE id = $1', [
      id,
      daysAgo,
    ]);
  }
  return { sessions, links, states, alerts };
}

async function remaining() {
  const column = async (sql: string) => (await stack.pool.query<{ k: string }>(sql)).rows.map((r) => r.k).sort();
  return {
    sessions: await column('SELECT token_hash AS k FROM citizen_sessions'),
    links: await column('SELECT token_hash AS k FROM magic_links'),
    states: await column('SELECT state AS k FROM oidc_states'),
    alerts: await column('SELECT id::text AS k FROM area_alerts'),
  };
}

/** The next run the scheduler has queued (a delayed job), found by name. */
async function scheduledRun() {
  return waitFor(async () => (await stack.queue.getDelayed()).find((job) => job.name === 'upkeep.hourly'), {
    what: 'the scheduled upkeep run',
  });
}

/** Runs the scheduler's next upkeep now rather than at minute 17, and waits for the worker to finish it. */
async function runUpkeep(): Promise<unknown> {
  const job = await scheduledRun();
  await job.promote();
  const state = await waitFor(
    async () => {
      const current = await job.getState();
      return current === 'completed' || current === 'failed' ? current : null;
    },
    { what: 'the upkeep job to finish' },
  );
  expect(state).toBe('completed');
  return (await stack.queue.getJob(job.id!))!.returnvalue;
}

describe('upkeep.hourly', () => {
  it('is scheduled every hour at minute 17, Paris time, when the worker starts', async () => {
    const schedulers = await stack.queue.getJobSchedulers();
    const upkeep = schedulers.find((s) => s.key === 'upkeep-hourly');
    expect({ pattern: upkeep?.pattern, tz: upkeep?.tz, name: upkeep?.name }).toEqual({
      pattern: '17 * * * *',
      tz: 'Europe/Paris',
      name: 'upkeep.hourly',
    });
    const next = await scheduledRun();
    expect(next.data).toEqual({});
    const runsAt = new Date(next.timestamp + (next.opts.delay ?? 0));
    expect(runsAt.getUTCMinutes()).toBe(17);
    expect(runsAt.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  it('deletes expired sign-in links, states and sessions, stale unconfirmed alerts and long-unsubscribed ones, and keeps the rest', async () => {
    const { sessions, links, states, alerts } = await seedRows();

    await runUpkeep();

    expect(await remaining()).toEqual({
      sessions: [sessions.justExpired, sessions.fresh].sort(),
      links: [links.fresh],
      states: [states.fresh],
      alerts: [alerts.recentUnconfirmed, alerts.oldConfirmed, alerts.recentlyUnsubscribed].sort(),
    });
    // Nothing left to delete: a second run (or a second worker) changes nothing.
    expect(await runUpkeep()).toMatchObject({ citizenTokens: 0, unconfirmedAlerts: 0 });
    expect((await remaining()).alerts).toHaveLength(3);
  });

  it('deletes staff sessions a day after they expired or were revoked, and keeps live ones', async () => {
    const { rows } = await stack.pool.query<{ id: number }>(
      `INSERT INTO staff_users (email, password_hash, display_name, role)
       VALUES ('upkeep.staff@ville.test', 'x', 'Upkeep', 'council') RETURNING id`,
    );
    const session = { expired: hash(), revoked: hash(), justRevoked: hash(), live: hash() };
    for (const [token, expires, revoked] of [
      [session.expired, `now() - interval '2 days'`, 'NULL'],
      [session.revoked, `now() + interval '5 days'`, `now() - interval '2 days'`],
      [session.justRevoked, `now() + interval '5 days'`, `now() - interval '1 hour'`],
      [session.live, `now() + interval '5 days'`, 'NULL'],
    ]) {
      await stack.pool.query(
        `INSERT INTO staff_sessions (token_hash, user_id, expires_at, revoked_at) VALUES ($1, $2, ${expires}, ${revoked})`,
        [token, rows[0]!.id],
      );
    }
    expect(await runUpkeep()).toMatchObject({ staffSessions: 2 });
    const left = await stack.pool.query<{ token_hash: string }>('SELECT token_hash FROM staff_sessions');
    expect(left.rows.map((r) => r.token_hash).sort()).toEqual([session.justRevoked, session.live].sort());
  });

  it(`forgets reporters' and followers' contact details ${CLOSED_REPORT_CONTACT_DAYS} days after a report closes`, async () => {
    /** A report from an e-mail with a follower, closed `closedDaysAgo` days ago (null: still open). */
    const report = async (who: string, closedDaysAgo: number | null) => {
      const { id } = await fileReport(stack.deps, { email: `${who}@example.org` });
      await stack.pool.query(
        `UPDATE reports SET reporter_first_name = 'Prénom', reporter_last_name = 'Nom', reporter_phone = '0102030405'
          WHERE id = $1`,
        [id],
      );
      await stack.pool.query(`INSERT INTO report_followers (report_id, email) VALUES ($1, $2)`, [
        id,
        `voisin-${who}@example.org`,
      ]);
      if (closedDaysAgo !== null) {
        // A writer that sets updated_at says when the change happened (the closed_at trigger).
        await stack.pool.query(
          `UPDATE reports SET status = 'resolved', updated_at = now() - make_interval(days => $2) WHERE id = $1`,
          [id, closedDaysAgo],
        );
      }
      return id;
    };
    const old = await report('ancien', CLOSED_REPORT_CONTACT_DAYS + 1);
    // A mail once sent to the old report's follower leaves a record of its address.
    await stack.pool.query(
      `INSERT INTO notifications_sent (history_id, recipient)
       SELECT id, 'voisin-ancien@example.org' FROM report_history WHERE report_id = $1 LIMIT 1`,
      [old],
    );
    const recent = await report('recent', CLOSED_REPORT_CONTACT_DAYS - 1);
    const open = await report('ouvert', null);

    const result = (await runUpkeep()) as { closedContacts: { followers: number; reporters: number } };
    expect(result.closedContacts).toEqual({ followers: 1, reporters: 1 });

    const contacts = async (id: string) => {
      const { rows } = await stack.pool.query(
        `SELECT r.status, r.reporter_email AS email, r.reporter_first_name AS first, r.reporter_last_name AS last,
                r.reporter_phone AS phone, (SELECT count(*)::int FROM report_followers f WHERE f.report_id = r.id) AS followers
           FROM reports r WHERE r.id = $1`,
        [id],
      );
      return rows[0];
    };
    // The report itself stays, resolved and public; only the ways to reach people are gone.
    expect(await contacts(old)).toEqual({
      status: 'resolved',
      email: null,
      first: null,
      last: null,
      phone: null,
      followers: 0,
    });
    const sent = await stack.pool.query(
      `SELECT 1 FROM notifications_sent WHERE recipient = 'voisin-ancien@example.org'`,
    );
    expect(sent.rowCount).toBe(0);
    expect(await contacts(recent)).toMatchObject({ email: 'recent@example.org', phone: '0102030405', followers: 1 });
    expect(await contacts(open)).toMatchObject({ email: 'ouvert@example.org', followers: 1 });
    expect(((await runUpkeep()) as typeof result).closedContacts).toEqual({ followers: 0, reporters: 0 });
  });

  it('prunes the live events older than an hour, keeps the recent ones, and moves the horizon past the pruned', async () => {
    const report = await fileReport(stack.deps, { email: 'upkeep-events@example.org' });
    await stack.pool.query(`UPDATE reports SET status = 'acknowledged' WHERE id = $1`, [report.id]);
    const { rows } = await stack.pool.query<{ id: string }>('SELECT max(id)::text AS id FROM event_log');
    const newest = rows[0]!.id;
    // Everything before the newest event two hours old; routing jobs may add newer ones meanwhile.
    const { rows: aged } = await stack.pool.query<{ id: string }>(
      `UPDATE event_log SET created_at = now() - interval '2 hours' WHERE id < $1 RETURNING id::text`,
      [newest],
    );
    expect(aged.length).toBeGreaterThanOrEqual(2);

    expect(((await runUpkeep()) as { events: number }).events).toBe(aged.length);
    const { rows: left } = await stack.pool.query<{ oldest: string; horizon: string }>(
      `SELECT (SELECT min(id) FROM event_log)::text AS oldest, pruned_through::text AS horizon FROM event_log_horizon`,
    );
    expect(left[0]).toEqual({
      oldest: newest,
      horizon: aged
        .map((r) => BigInt(r.id))
        .reduce((a, b) => (a > b ? a : b))
        .toString(),
    });
    expect(((await runUpkeep()) as { events: number }).events).toBe(0);
  });

  it('refuses a payload it does not know, for good', async () => {
    const job = await stack.queue.add('upkeep.hourly', { purge: 'everything' } as never);
    await waitFor(async () => (await job.getState()) === 'failed', { what: 'the bad job to fail' });
    const failed = (await stack.queue.getJob(job.id!))!;
    expect(failed.failedReason).toBe('invalid payload for upkeep.hourly');
    // UnrecoverableError: no retries.
    expect(failed.attemptsMade).toBe(1);
  });
});
