import type { EmailPrefs, Locale, MyReport, ReportStatus } from '@pave/shared';
import type { Db } from '../db/pool';

export interface CitizenAccount {
  id: string;
  email: string | null;
  displayName: string;
  showName: boolean;
  language: Locale;
  emailPrefs: EmailPrefs;
  providers: string[];
  createdAt: Date;
}

interface CitizenAccountRow {
  id: string;
  email: string | null;
  display_name: string;
  show_name: boolean;
  language: Locale;
  email_prefs: Partial<EmailPrefs>;
  providers: string[] | null;
  created_at: Date;
}

const toAccount = (r: CitizenAccountRow): CitizenAccount => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  showName: r.show_name,
  language: r.language,
  // Keys added after an account was created read as their default.
  emailPrefs: { reportUpdates: r.email_prefs.reportUpdates ?? true },
  providers: r.providers ?? [],
  createdAt: r.created_at,
});

const ACCOUNT_COLUMNS = `a.id, a.email, a.display_name, a.show_name, a.language, a.email_prefs, a.created_at,
  (SELECT array_agg(i.provider ORDER BY i.provider) FROM citizen_identities i WHERE i.account_id = a.id) AS providers`;

export async function findCitizenAccount(db: Db, id: string): Promise<CitizenAccount | null> {
  const { rows } = await db.query<CitizenAccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM citizen_accounts a WHERE a.id = $1`,
    [id],
  );
  return rows[0] ? toAccount(rows[0]) : null;
}

/** The account of a (lowercased) address, created on first sign-in; returns its id. */
export async function upsertCitizenByEmail(db: Db, email: string, language: Locale): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO citizen_accounts (email, language, last_login_at) VALUES ($1, $2, now())
     ON CONFLICT (email) DO UPDATE SET last_login_at = now()
     RETURNING id`,
    [email, language],
  );
  return rows[0]!.id;
}

/** A new account without an address (a provider that gave no verified e-mail); returns its id. */
export async function insertCitizenWithoutEmail(db: Db, language: Locale): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO citizen_accounts (language, last_login_at) VALUES ($1, now()) RETURNING id',
    [language],
  );
  return rows[0]!.id;
}

export async function touchCitizenLogin(db: Db, id: string): Promise<void> {
  await db.query('UPDATE citizen_accounts SET last_login_at = now() WHERE id = $1', [id]);
}

/** Applies the given profile fields; `emailPrefs` is merged into the stored object. */
export async function updateCitizenAccount(
  db: Db,
  id: string,
  patch: { displayName?: string; showName?: boolean; language?: Locale; emailPrefs?: Partial<EmailPrefs> },
): Promise<void> {
  await db.query(
    `UPDATE citizen_accounts
        SET display_name = COALESCE($2, display_name),
            show_name = COALESCE($3, show_name),
            language = COALESCE($4, language),
            email_prefs = email_prefs || COALESCE($5::jsonb, '{}')
      WHERE id = $1`,
    [
      id,
      patch.displayName ?? null,
      patch.showName ?? null,
      patch.language ?? null,
      patch.emailPrefs ? JSON.stringify(patch.emailPrefs) : null,
    ],
  );
}

export async function findIdentityAccountId(db: Db, provider: string, subject: string): Promise<string | null> {
  const { rows } = await db.query<{ account_id: string }>(
    'SELECT account_id FROM citizen_identities WHERE provider = $1 AND subject = $2',
    [provider, subject],
  );
  return rows[0]?.account_id ?? null;
}

/** Links a provider identity to an account; returns the account the identity belongs to (a racing link wins). */
export async function linkIdentity(db: Db, provider: string, subject: string, accountId: string): Promise<string> {
  const { rows } = await db.query<{ account_id: string }>(
    `WITH ins AS (
       INSERT INTO citizen_identities (provider, subject, account_id) VALUES ($1, $2, $3)
       ON CONFLICT (provider, subject) DO NOTHING RETURNING account_id)
     SELECT account_id FROM ins
     UNION ALL
     SELECT account_id FROM citizen_identities WHERE provider = $1 AND subject = $2
     LIMIT 1`,
    [provider, subject, accountId],
  );
  return rows[0]!.account_id;
}

export async function insertCitizenSession(
  db: Db,
  tokenHash: string,
  accountId: string,
  expiresAt: Date,
  oidc: { provider: string; idToken: string } | null = null,
): Promise<void> {
  await db.query(
    `INSERT INTO citizen_sessions (token_hash, account_id, expires_at, oidc_provider, id_token)
     VALUES ($1, $2, $3, $4, $5)`,
    [tokenHash, accountId, expiresAt, oidc?.provider ?? null, oidc?.idToken ?? null],
  );
}

/** The account behind a live session (not expired, not revoked). */
export async function findCitizenBySession(db: Db, tokenHash: string): Promise<CitizenAccount | null> {
  const { rows } = await db.query<CitizenAccountRow>(
    `SELECT ${ACCOUNT_COLUMNS}
       FROM citizen_sessions s JOIN citizen_accounts a ON a.id = s.account_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
    [tokenHash],
  );
  return rows[0] ? toAccount(rows[0]) : null;
}

/**
 * Revokes a live session; returns the provider sign-in it came from (for the provider's logout), or
 * null. The ID token is dropped with the revocation: it served only that.
 */
export async function revokeCitizenSession(
  db: Db,
  tokenHash: string,
): Promise<{ provider: string; idToken: string } | null> {
  const { rows } = await db.query<{ provider: string | null; id_token: string | null }>(
    `UPDATE citizen_sessions s SET revoked_at = now(), id_token = NULL, oidc_provider = NULL
       FROM (SELECT token_hash, oidc_provider AS provider, id_token FROM citizen_sessions
              WHERE token_hash = $1 AND revoked_at IS NULL FOR UPDATE) old
      WHERE s.token_hash = old.token_hash
      RETURNING old.provider, old.id_token`,
    [tokenHash],
  );
  const row = rows[0];
  return row?.provider && row.id_token ? { provider: row.provider, idToken: row.id_token } : null;
}

export async function insertMagicLink(
  db: Db,
  link: { tokenHash: string; email: string; returnTo: string; expiresAt: Date },
): Promise<void> {
  await db.query('INSERT INTO magic_links (token_hash, email, return_to, expires_at) VALUES ($1, $2, $3, $4)', [
    link.tokenHash,
    link.email,
    link.returnTo,
    link.expiresAt,
  ]);
}

export type OneUseOutcome<T> = { status: 'ok'; value: T } | { status: 'unknown' | 'expired' | 'used' };

/**
 * Marks a magic link used and returns what it opens. The conditional UPDATE is the one-use
 * guarantee: of two concurrent uses, one updates the row and the other finds it used.
 */
export async function consumeMagicLink(
  db: Db,
  tokenHash: string,
): Promise<OneUseOutcome<{ email: string; returnTo: string }>> {
  const { rows } = await db.query<{ email: string; return_to: string }>(
    `UPDATE magic_links SET used_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING email, return_to`,
    [tokenHash],
  );
  if (rows[0]) return { status: 'ok', value: { email: rows[0].email, returnTo: rows[0].return_to } };
  const { rows: seen } = await db.query<{ used: boolean }>(
    'SELECT used_at IS NOT NULL AS used FROM magic_links WHERE token_hash = $1',
    [tokenHash],
  );
  if (!seen[0]) return { status: 'unknown' };
  return { status: seen[0].used ? 'used' : 'expired' };
}

export async function insertOidcState(
  db: Db,
  state: { state: string; provider: string; nonce: string; codeVerifier: string; returnTo: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    `INSERT INTO oidc_states (state, provider, nonce, code_verifier, return_to, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [state.state, state.provider, state.nonce, state.codeVerifier, state.returnTo, state.expiresAt],
  );
}

/** Marks a sign-in state used and returns its nonce and PKCE verifier; one use, like a magic link. */
export async function consumeOidcState(
  db: Db,
  state: string,
  provider: string,
): Promise<{ nonce: string; codeVerifier: string; returnTo: string } | null> {
  const { rows } = await db.query<{ nonce: string; code_verifier: string; return_to: string }>(
    `UPDATE oidc_states SET used_at = now()
      WHERE state = $1 AND provider = $2 AND used_at IS NULL AND expires_at > now()
      RETURNING nonce, code_verifier, return_to`,
    [state, provider],
  );
  const r = rows[0];
  return r ? { nonce: r.nonce, codeVerifier: r.code_verifier, returnTo: r.return_to } : null;
}

/** Removes spent and expired magic links and sign-in states; returns how many rows went. */
export async function purgeCitizenTokens(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH a AS (DELETE FROM magic_links WHERE expires_at < now() - interval '1 day' RETURNING 1),
          b AS (DELETE FROM oidc_states WHERE expires_at < now() - interval '1 day' RETURNING 1),
          c AS (DELETE FROM citizen_sessions WHERE expires_at < now() - interval '1 day' RETURNING 1)
     SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b) + (SELECT count(*) FROM c) AS n`,
  );
  return Number(rows[0]!.n);
}

/**
 * Reports filed on the web from this device and not yet in any account. Open311 device ids are
 * chosen by client apps, so only the web form's own ids (random per browser) can prove anything.
 */
const CLAIMABLE = `reporter_device_id = $1 AND citizen_id IS NULL AND source = 'web'`;

export async function countClaimableReports(db: Db, deviceId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reports WHERE ${CLAIMABLE}`, [
    deviceId,
  ]);
  return rows[0]!.n;
}

/** Attaches this device's unclaimed web reports to an account; returns how many. */
export async function claimDeviceReports(db: Db, deviceId: string, accountId: string): Promise<number> {
  const { rowCount } = await db.query(`UPDATE reports SET citizen_id = $2 WHERE ${CLAIMABLE}`, [deviceId, accountId]);
  return rowCount ?? 0;
}

interface MyReportRow {
  id: string;
  ref: string;
  status: ReportStatus;
  category_code: string;
  category_label_fr: string;
  category_label_en: string;
  created_at: Date;
  updated_at: Date;
  relation: 'filed' | 'followed';
  is_routed: boolean;
}

/**
 * What an account filed (linked to it, or filed with its verified address) and what its address
 * follows, newest first; a report both filed and followed is listed once, as filed.
 */
export async function findMyReports(
  db: Db,
  query: { accountId: string; email: string | null; limit: number },
): Promise<(Omit<MyReport, 'statusLabel'> & { isRouted: boolean })[]> {
  const { rows } = await db.query<MyReportRow>(
    `WITH mine AS (
       SELECT id, 'filed' AS relation FROM reports WHERE citizen_id = $1
       UNION ALL
       SELECT id, 'filed' FROM reports WHERE $2::text IS NOT NULL AND lower(reporter_email) = $2
       UNION ALL
       SELECT report_id, 'followed' FROM report_followers
        WHERE $2::text IS NOT NULL AND lower(email) = $2 AND unsubscribed_at IS NULL AND confirmed_at IS NOT NULL),
     one AS (SELECT id, min(relation) AS relation FROM mine GROUP BY id)
     SELECT r.id, r.ref, r.status, c.code AS category_code, c.label_fr AS category_label_fr,
            c.label_en AS category_label_en, r.created_at, r.updated_at, one.relation,
            r.team_id IS NOT NULL AS is_routed
       FROM one JOIN reports r ON r.id = one.id JOIN categories c ON c.id = r.category_id
      ORDER BY r.created_at DESC, r.id
      LIMIT $3`,
    [query.accountId, query.email, query.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    ref: r.ref,
    status: r.status,
    category: { code: r.category_code, label: { fr: r.category_label_fr, en: r.category_label_en } },
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    relation: r.relation,
    isRouted: r.is_routed,
  }));
}

/**
 * Forgets a citizen: the reports they filed stay (and stay public) without any contact field or
 * link to them; their follows, the record of mails sent to them, their pending links and the
 * account itself (identities and sessions cascade) are deleted. Returns what was touched.
 */
export async function eraseCitizen(
  db: Db,
  accountId: string,
  email: string | null,
): Promise<{ reports: number; followers: number }> {
  const reports = await db.query(
    `UPDATE reports
        SET reporter_email = NULL, reporter_first_name = NULL, reporter_last_name = NULL,
            reporter_phone = NULL, reporter_device_id = NULL,
            citizen_id = CASE WHEN citizen_id = $1 THEN NULL ELSE citizen_id END
      WHERE citizen_id = $1 OR ($2::text IS NOT NULL AND lower(reporter_email) = $2)`,
    [accountId, email],
  );
  let followers = 0;
  if (email) {
    followers = (await db.query('DELETE FROM report_followers WHERE lower(email) = $1', [email])).rowCount ?? 0;
    await db.query('DELETE FROM notifications_sent WHERE lower(recipient) = $1', [email]);
    await db.query('DELETE FROM magic_links WHERE email = $1', [email]);
  }
  await db.query('DELETE FROM citizen_accounts WHERE id = $1', [accountId]);
  return { reports: reports.rowCount ?? 0, followers };
}
