import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, reportFormFields } from '../support/multipart';
import { startTestOidcProvider, type TestOidcProvider } from '../support/oidc';
import { waitFor } from '../support/wait';
import { followConfirmationIn } from '../support/smtp';
import { useStack } from '../support/stack';

const PUBLIC_BASE_URL = 'http://127.0.0.1:3000';
const REDIRECT_URI = `${PUBLIC_BASE_URL}/api/me/oidc/test/callback`;

let provider: TestOidcProvider;
let app: FastifyInstance;
const stack = useStack({ api: false, smtp: true });

// The app needs the provider's address, known once it has started.
beforeAll(async () => {
  provider = await startTestOidcProvider({
    redirectUri: REDIRECT_URI,
    postLogoutRedirectUri: `${PUBLIC_BASE_URL}/compte`,
  });
  app = await stack.buildApp({ PUBLIC_BASE_URL, OIDC_PROVIDERS: provider.providersConfig('test', 'Test ID') });
});
afterAll(async () => {
  await provider?.close();
});

/** The value of cookie `name` set by a response, or undefined. */
function setCookie(response: LightMyRequestResponse, name: string): { value: string; raw: string } | undefined {
  const raw = ([] as string[]).concat(response.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${name}=`));
  return raw ? { value: raw.slice(name.length + 1).split(';')[0]!, raw } : undefined;
}

const uniqueEmail = (who: string) => `${who}-${randomUUID().slice(0, 8)}@Exemple.fr`;

/** Asks for a magic link and reads the token from the mail the real SMTP server received. */
async function mailedToken(email: string, body: Record<string, unknown> = {}): Promise<string> {
  const before = stack.smtp.mails.length;
  const response = await app.inject({ method: 'POST', url: '/api/me/magic-link', payload: { email, ...body } });
  expect(response.statusCode).toBe(202);
  const mails = await stack.smtp.waitForMails(before + 1);
  const mail = mails.slice(before).find((m) => m.to && JSON.stringify(m.to).includes(email.toLowerCase()))!;
  expect(mail).toBeDefined();
  const match = /\/compte\/connexion#token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
  expect(match).not.toBeNull();
  return match![1]!;
}

const verify = (token: string) => app.inject({ method: 'POST', url: '/api/me/magic-link/verify', payload: { token } });

/** Signs in by magic link; returns the session cookie header. */
async function signIn(email: string): Promise<{ cookie: string; accountId: string }> {
  const response = await verify(await mailedToken(email));
  expect(response.statusCode).toBe(200);
  return {
    cookie: `pave_citizen=${setCookie(response, 'pave_citizen')!.value}`,
    accountId: response.json().profile.id,
  };
}

async function fileReport(headers: Record<string, string>, fields: Record<string, string> = {}) {
  const body = await multipart(reportFormFields(fields));
  const response = await app.inject({
    method: 'POST',
    url: '/api/reports',
    payload: body.payload,
    headers: { ...body.headers, ...headers },
  });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string; ref: string };
}

describe('magic links', () => {
  it('mails a link that opens a session once, and stores only its hash', async () => {
    const email = uniqueEmail('alice');
    const token = await mailedToken(email);
    const stored = await stack.pool.query('SELECT token_hash, email FROM magic_links WHERE email = $1', [
      email.toLowerCase(),
    ]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0].token_hash).toBe(createHash('sha256').update(token).digest('hex'));

    const first = await verify(token);
    expect(first.statusCode).toBe(200);
    expect(first.json().profile.email).toBe(email.toLowerCase());
    expect(first.json().returnTo).toBe('/compte');
    const cookie = setCookie(first, 'pave_citizen')!;
    expect(cookie.raw).toMatch(/HttpOnly/);
    expect(cookie.raw).toMatch(/SameSite=Lax/);
    const sessions = await stack.pool.query('SELECT token_hash FROM citizen_sessions');
    expect(sessions.rows.map((r) => r.token_hash)).toContain(createHash('sha256').update(cookie.value).digest('hex'));

    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: `pave_citizen=${cookie.value}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().profile).toMatchObject({ email: email.toLowerCase(), showName: false, language: 'fr' });

    const replay = await verify(token);
    expect(replay.statusCode).toBe(409);
    expect(replay.json()).toMatchObject({ code: 'MAGIC_LINK_USED' });
    expect(setCookie(replay, 'pave_citizen')).toBeUndefined();
  });

  it('refuses an expired link, and a forged or malformed one', async () => {
    const email = uniqueEmail('bob');
    const token = await mailedToken(email);
    // Fifteen minutes pass.
    await stack.pool.query("UPDATE magic_links SET expires_at = now() - interval '1 second' WHERE email = $1", [
      email.toLowerCase(),
    ]);
    const expired = await verify(token);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().code).toBe('MAGIC_LINK_EXPIRED');

    const forged = await verify('A'.repeat(43));
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('MAGIC_LINK_INVALID');
    const malformed = await verify('not a token');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('MAGIC_LINK_INVALID');
  });

  it('lets one of two concurrent uses of a link win', async () => {
    const token = await mailedToken(uniqueEmail('race'));
    const answers = await Promise.all([verify(token), verify(token), verify(token)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
  });

  it('goes back to a path of this site only', async () => {
    const cases: [string, string][] = [
      ['/reports?status=new', '/reports?status=new'],
      ['https://evil.example/phish', '/compte'],
      ['//evil.example/phish', '/compte'],
      ['/\\evil.example', '/compte'],
      ['javascript:alert(1)', '/compte'],
    ];
    for (const [returnTo, expected] of cases) {
      const response = await verify(await mailedToken(uniqueEmail('carol'), { returnTo }));
      expect(response.json().returnTo, returnTo).toBe(expected);
    }
  });

  it('answers the same for any valid address, refuses a malformed one and limits asking', async () => {
    const existing = uniqueEmail('dave');
    await signIn(existing);
    const known = await app.inject({ method: 'POST', url: '/api/me/magic-link', payload: { email: existing } });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/me/magic-link',
      payload: { email: uniqueEmail('nobody') },
    });
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(known.body).toBe(unknown.body);

    const bad = await app.inject({ method: 'POST', url: '/api/me/magic-link', payload: { email: 'pas-une-adresse' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('EMAIL_INVALID');

    const target = uniqueEmail('flooded');
    const codes: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      codes.push(
        (await app.inject({ method: 'POST', url: '/api/me/magic-link', payload: { email: target } })).statusCode,
      );
    }
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('revokes the session on logout', async () => {
    const { cookie } = await signIn(uniqueEmail('erin'));
    const out = await app.inject({ method: 'POST', url: '/api/me/logout', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    // Signed in by e-mail: there is no provider to sign out of.
    expect(out.json()).toEqual({ providerLogoutUrl: null });
    const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('AUTH_REQUIRED');
  });
});

describe('OpenID Connect against a real provider', () => {
  /** Starts a sign-in at the API; returns the provider URL and the state cookie. */
  async function start(returnTo?: string) {
    const response = await app.inject({
      method: 'GET',
      url: `/api/me/oidc/test/start${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`,
    });
    expect(response.statusCode).toBe(302);
    return { url: response.headers.location as string, stateCookie: setCookie(response, 'pave_oidc_state')!.value };
  }

  const callback = (url: URL, stateCookie?: string, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'GET',
      url: `${url.pathname}${url.search}`,
      headers: { ...(stateCookie ? { cookie: `pave_oidc_state=${stateCookie}` } : {}), ...headers },
    });

  it('lists the configured providers', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/me/providers' });
    expect(response.json()).toEqual({ providers: [{ id: 'test', label: 'Test ID' }] });
  });

  it('signs in with PKCE S256, state and nonce, and links the identity to the verified address', async () => {
    const email = uniqueEmail('oidc');
    const { accountId } = await signIn(email);
    const { url, stateCookie } = await start('/reports');
    const authorization = new URL(url);
    expect(authorization.origin).toBe(provider.issuer);
    const state = authorization.searchParams.get('state')!;
    expect(state).toBe(stateCookie);
    const stored = await stack.pool.query('SELECT nonce, code_verifier FROM oidc_states WHERE state = $1', [state]);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(stored.rows[0].code_verifier).digest('base64url'),
    );
    expect(authorization.searchParams.get('nonce')).toBe(stored.rows[0].nonce);
    expect(authorization.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);

    const back = await provider.signIn(url, { sub: 'sub-oidc-1', email, emailVerified: true });
    const done = await callback(back, stateCookie);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/reports');
    const session = setCookie(done, 'pave_citizen')!;
    const me = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: `pave_citizen=${session.value}` },
    });
    expect(me.json().profile).toMatchObject({ id: accountId, email: email.toLowerCase(), providers: ['test'] });

    // The same redirect again: the state is spent.
    const replay = await callback(back, stateCookie);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('OIDC_STATE_INVALID');

    // The spent code with a fresh, valid state: the provider refuses it.
    const fresh = await start();
    const reused = new URL(back);
    reused.searchParams.set('state', fresh.stateCookie);
    const codeReplay = await callback(reused, fresh.stateCookie);
    expect(codeReplay.statusCode).toBe(400);
    expect(codeReplay.json().code).toBe('OIDC_CODE_INVALID');

    // Next time the identity alone finds the account.
    const again = await start();
    const second = await callback(await provider.signIn(again.url, { sub: 'sub-oidc-1' }), again.stateCookie);
    expect(second.statusCode).toBe(303);
    const identities = await stack.pool.query('SELECT account_id FROM citizen_identities WHERE subject = $1', [
      'sub-oidc-1',
    ]);
    expect(identities.rows).toEqual([{ account_id: accountId }]);
  });

  it('signs out at the provider too, with the ID token it issued as the hint, and keeps no token after', async () => {
    const { url, stateCookie } = await start();
    const back = await provider.signIn(url, { sub: 'sub-logout', email: uniqueEmail('logout'), emailVerified: true });
    const done = await callback(back, stateCookie);
    const session = setCookie(done, 'pave_citizen')!;
    const hash = createHash('sha256').update(session.value).digest('hex');
    const kept = await stack.pool.query('SELECT oidc_provider, id_token FROM citizen_sessions WHERE token_hash = $1', [
      hash,
    ]);
    expect(kept.rows[0].oidc_provider).toBe('test');

    const out = await app.inject({
      method: 'POST',
      url: '/api/me/logout',
      headers: { cookie: `pave_citizen=${session.value}` },
    });
    expect(out.statusCode).toBe(200);
    const logout = new URL(out.json().providerLogoutUrl);
    expect(logout.origin).toBe(provider.issuer);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC_BASE_URL}/compte`);
    const hint = logout.searchParams.get('id_token_hint')!;
    expect(hint).toBe(kept.rows[0].id_token);
    const claims = JSON.parse(Buffer.from(hint.split('.')[1]!, 'base64url').toString());
    expect({ sub: claims.sub, aud: claims.aud, iss: claims.iss }).toEqual({
      sub: 'sub-logout',
      aud: provider.clientId,
      iss: provider.issuer,
    });
    // The provider accepts it: its sign-out confirmation, not an error page.
    const confirm = await fetch(logout, { redirect: 'manual' });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toMatch(/logout/i);

    // Revoked here, and the token is not kept.
    const after = await stack.pool.query('SELECT revoked_at, id_token FROM citizen_sessions WHERE token_hash = $1', [
      hash,
    ]);
    expect(after.rows[0].revoked_at).not.toBeNull();
    expect(after.rows[0].id_token).toBeNull();
    const again = await app.inject({
      method: 'POST',
      url: '/api/me/logout',
      headers: { cookie: `pave_citizen=${session.value}` },
    });
    expect(again.json()).toEqual({ providerLogoutUrl: null });
  });

  it('never links by an unverified address', async () => {
    const email = uniqueEmail('victim');
    const { accountId } = await signIn(email);
    const { url, stateCookie } = await start();
    const done = await callback(
      await provider.signIn(url, { sub: 'sub-attacker', email, emailVerified: false }),
      stateCookie,
    );
    expect(done.statusCode).toBe(303);
    const me = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: `pave_citizen=${setCookie(done, 'pave_citizen')!.value}` },
    });
    expect(me.json().profile.id).not.toBe(accountId);
    expect(me.json().profile.email).toBeNull();
  });

  it('refuses a forged state, a state from another browser, and a wrong verifier or nonce', async () => {
    const forged = await callback(new URL(`${REDIRECT_URI}?code=abc&state=${'x'.repeat(43)}`), 'x'.repeat(43));
    expect(forged.statusCode).toBe(400);
    expect(forged.json().code).toBe('OIDC_STATE_INVALID');

    // A real state, but the browser that comes back is not the one that started (login CSRF).
    const csrf = await start();
    const csrfBack = await provider.signIn(csrf.url, { sub: 'sub-csrf' });
    const noCookie = await callback(csrfBack);
    expect(noCookie.statusCode).toBe(400);
    expect(noCookie.json().code).toBe('OIDC_STATE_INVALID');

    // A person in a browser is sent to the account page with the reason.
    const html = await callback(csrfBack, undefined, { accept: 'text/html,application/xhtml+xml' });
    expect(html.statusCode).toBe(303);
    expect(html.headers.location).toBe('/compte?erreur=OIDC_STATE_INVALID');

    for (const column of ['code_verifier', 'nonce']) {
      const { url, stateCookie } = await start();
      const other = column === 'nonce' ? 'another-nonce-value' : 'another-verifier-'.padEnd(50, 'x');
      await stack.pool.query(`UPDATE oidc_states SET ${column} = $2 WHERE state = $1`, [stateCookie, other]);
      const response = await callback(await provider.signIn(url, { sub: `sub-${column}` }), stateCookie);
      expect(response.statusCode, column).toBe(400);
      expect(response.json().code).toBe('OIDC_CODE_INVALID');
      expect(setCookie(response, 'pave_citizen')).toBeUndefined();
    }
  });

  it('answers 404 for an unknown provider', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/me/oidc/nope/start' });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('OIDC_PROVIDER_UNKNOWN');
  });
});

describe('profile, "Mes signalements" and claiming', () => {
  it('updates the profile and refuses bad input', async () => {
    const { cookie } = await signIn(uniqueEmail('fanny'));
    const patch = (payload: unknown, headers: Record<string, string> = { cookie }) =>
      app.inject({ method: 'PATCH', url: '/api/me', headers, payload: payload as object });
    const ok = await patch({
      displayName: '  Fanny  ',
      showName: true,
      language: 'en',
      emailPrefs: { reportUpdates: false },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().profile).toMatchObject({
      displayName: 'Fanny',
      showName: true,
      language: 'en',
      emailPrefs: { reportUpdates: false },
    });
    for (const bad of [{ language: 'de' }, { displayName: 'x'.repeat(81) }, { showName: 'oui' }, { emailPrefs: 1 }]) {
      const response = await patch(bad);
      expect(response.statusCode, JSON.stringify(bad)).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
    // Unknown fields are dropped by the schema, as on every route: they change nothing.
    const ignored = await patch({ email: 'someone-else@exemple.fr', id: randomUUID() });
    expect(ignored.statusCode).toBe(200);
    expect(ignored.json().profile).toEqual(ok.json().profile);
    expect((await patch({ showName: false }, {})).statusCode).toBe(401);
  });

  it('shows the display name on the public report only when its owner chose to', async () => {
    const { cookie } = await signIn(uniqueEmail('gaspard'));
    const patch = (payload: object) => app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie }, payload });
    expect((await patch({ displayName: 'Gaspard Lemoine' })).statusCode).toBe(200);
    const report = await fileReport({ cookie });
    const publicView = () => app.inject({ method: 'GET', url: `/api/reports/${report.id}` });

    const hidden = await publicView();
    expect(hidden.json().reporterName).toBeNull();
    expect(hidden.body).not.toContain('Gaspard');

    expect((await patch({ showName: true })).statusCode).toBe(200);
    expect((await publicView()).json().reporterName).toBe('Gaspard Lemoine');

    // Chosen, but no name given: nothing to show.
    expect((await patch({ displayName: '' })).statusCode).toBe(200);
    expect((await publicView()).json().reporterName).toBeNull();
    // An anonymous report never has one.
    const anonymous = await fileReport({});
    expect((await app.inject({ method: 'GET', url: `/api/reports/${anonymous.id}` })).json().reporterName).toBeNull();
  });

  it('claims the reports filed anonymously from this browser and lists filed and followed reports', async () => {
    const device = randomUUID();
    const email = uniqueEmail('gaston');
    const filedHere = [await fileReport({ 'x-pave-device': device }), await fileReport({ 'x-pave-device': device })];
    const elsewhere = await fileReport({ 'x-pave-device': randomUUID() });
    const followed = await fileReport({});
    const follow = await app.inject({
      method: 'POST',
      url: `/api/reports/${followed.id}/followers`,
      payload: { email },
    });
    expect(follow.statusCode).toBe(202);
    // A followed report is listed once the address is proven: the link in the confirmation mail.
    const confirmationMail = await waitFor(async () =>
      stack.smtp.mails.find(
        (m) => (m.to as { text: string }).text.toLowerCase() === email.toLowerCase() && followConfirmationIn(m),
      ),
    );
    const confirmed = await app.inject({
      method: 'POST',
      url: `/api/reports/${followed.id}/followers/confirm`,
      payload: { token: followConfirmationIn(confirmationMail) },
    });
    expect(confirmed.statusCode).toBe(200);

    const { cookie, accountId } = await signIn(email);
    const headers = { cookie, 'x-pave-device': device };
    expect((await app.inject({ method: 'GET', url: '/api/me/claim', headers })).json()).toEqual({ claimable: 2 });
    const claim = await app.inject({ method: 'POST', url: '/api/me/claim', headers });
    expect(claim.json()).toEqual({ claimed: 2 });
    expect((await app.inject({ method: 'POST', url: '/api/me/claim', headers })).json()).toEqual({ claimed: 0 });

    // Filed while signed in, without typing an address: linked, and the account's address gets updates.
    const signedIn = await fileReport({ cookie, 'x-pave-device': device });
    const row = await stack.pool.query('SELECT citizen_id, reporter_email FROM reports WHERE id = $1', [signedIn.id]);
    expect(row.rows[0]).toEqual({ citizen_id: accountId, reporter_email: email.toLowerCase() });

    const mine = await app.inject({ method: 'GET', url: '/api/me/reports', headers: { cookie } });
    expect(mine.statusCode).toBe(200);
    const reports = mine.json().reports as { ref: string; relation: string; status: string; statusLabel: object }[];
    expect(reports.map((r) => [r.ref, r.relation]).sort()).toEqual(
      [
        [filedHere[0]!.ref, 'filed'],
        [filedHere[1]!.ref, 'filed'],
        [signedIn.ref, 'filed'],
        [followed.ref, 'followed'],
      ].sort(),
    );
    expect(reports.map((r) => r.ref)).not.toContain(elsewhere.ref);
    expect(reports[0]).toMatchObject({ status: 'new', statusLabel: { fr: 'Reçu', en: 'Received' } });
    expect(mine.body).not.toContain('@');
    // Once routed, still new: the list says it was sent on, as the report's own page does.
    await stack.pool.query('UPDATE reports SET team_id = (SELECT min(id) FROM teams) WHERE ref = $1', [
      reports[0]!.ref,
    ]);
    const routed = (await app.inject({ method: 'GET', url: '/api/me/reports', headers: { cookie } })).json().reports;
    expect(routed.find((r: { ref: string }) => r.ref === reports[0]!.ref)).toMatchObject({
      status: 'new',
      statusLabel: { fr: 'Transmis à l’équipe', en: 'Sent to the team' },
    });

    const noDevice = await app.inject({ method: 'POST', url: '/api/me/claim', headers: { cookie } });
    expect(noDevice.statusCode).toBe(400);
    const anonymous = await app.inject({ method: 'POST', url: '/api/me/claim', headers: { 'x-pave-device': device } });
    expect(anonymous.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/me/reports' })).statusCode).toBe(401);
  });

  it('claims nothing filed through Open311 with the same device id', async () => {
    const device = randomUUID();
    const report = await fileReport({ 'x-pave-device': device });
    await stack.pool.query("UPDATE reports SET source = 'open311' WHERE id = $1", [report.id]);
    const { cookie } = await signIn(uniqueEmail('hugo'));
    const claim = await app.inject({
      method: 'POST',
      url: '/api/me/claim',
      headers: { cookie, 'x-pave-device': device },
    });
    expect(claim.json()).toEqual({ claimed: 0 });
  });
});

describe('deleting an account', () => {
  it('removes personal data everywhere and keeps the reports, public and anonymous', async () => {
    const email = uniqueEmail('ines');
    const device = randomUUID();
    const claimed = await fileReport({ 'x-pave-device': device }, { description: 'Trou profond' });
    const withAddress = await fileReport({}, { email });
    const followed = await fileReport({});
    for (const follower of [email, 'someone-else@exemple.fr']) {
      await app.inject({ method: 'POST', url: `/api/reports/${followed.id}/followers`, payload: { email: follower } });
    }
    const history = await stack.pool.query('SELECT id FROM report_history WHERE report_id = $1', [withAddress.id]);
    await stack.pool.query('INSERT INTO notifications_sent (history_id, recipient) VALUES ($1, $2)', [
      history.rows[0].id,
      email,
    ]);

    const { cookie, accountId } = await signIn(email);
    await app.inject({ method: 'POST', url: '/api/me/claim', headers: { cookie, 'x-pave-device': device } });
    const { url, stateCookie } = await app
      .inject({ method: 'GET', url: '/api/me/oidc/test/start' })
      .then((r) => ({ url: r.headers.location as string, stateCookie: setCookie(r, 'pave_oidc_state')!.value }));
    const back = await provider.signIn(url, { sub: 'sub-ines', email, emailVerified: true });
    await app.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { cookie: `pave_oidc_state=${stateCookie}` },
    });

    const deleted = await app.inject({ method: 'DELETE', url: '/api/me', headers: { cookie } });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: true, reportsKept: 2 });
    expect(setCookie(deleted, 'pave_citizen')?.value ?? '').toBe('');

    const lower = email.toLowerCase();
    const count = async (sql: string, params: unknown[]) => (await stack.pool.query(sql, params)).rows[0].n as number;
    expect(await count('SELECT count(*)::int AS n FROM citizen_accounts WHERE id = $1', [accountId])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM citizen_identities WHERE account_id = $1', [accountId])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM citizen_sessions WHERE account_id = $1', [accountId])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM magic_links WHERE email = $1', [lower])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM report_followers WHERE lower(email) = $1', [lower])).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM report_followers WHERE report_id = $1', [followed.id])).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM notifications_sent WHERE lower(recipient) = $1', [lower])).toBe(
      0,
    );
    const kept = await stack.pool.query(
      `SELECT id, reporter_email, reporter_device_id, citizen_id, description FROM reports WHERE id = ANY($1) ORDER BY description`,
      [[claimed.id, withAddress.id]],
    );
    expect(kept.rows).toHaveLength(2);
    for (const r of kept.rows)
      expect([r.reporter_email, r.reporter_device_id, r.citizen_id]).toEqual([null, null, null]);
    expect(
      await count('SELECT count(*)::int AS n FROM report_history WHERE report_id = $1', [claimed.id]),
    ).toBeGreaterThan(0);
    const publicView = await app.inject({ method: 'GET', url: `/api/reports/${claimed.id}` });
    expect(publicView.statusCode).toBe(200);
    expect(publicView.json().description).toBe('Trou profond');

    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
