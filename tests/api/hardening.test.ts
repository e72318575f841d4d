import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKey, createStaffUser } from '@pave/core';
import { seedDemoStaff } from '@pave/core/seed';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestSettings, testApiConfig } from '../support/config';
import { multipart, reportFormFields } from '../support/multipart';
import { validPothole } from '../support/open311-app';
import { formBody } from '../support/open311-client';
import { useStack } from '../support/stack';

const PASSWORD = 'correct horse battery staple';
const stack = useStack();

const reportFields = reportFormFields({ description: 'Un trou profond' });

function expectClientError(response: { statusCode: number; json(): unknown }, status = 400) {
  expect(response.statusCode, JSON.stringify(response.json())).toBe(status);
  expect(response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
}

describe('NUL characters', () => {
  it('are refused with a 400 in a query, a path, a JSON body and a multipart field', async () => {
    const inQuery = await stack.app.inject({ url: '/api/map/reports?bbox=2.37,48.85,2.39,48.87&group=a%00b' });
    expectClientError(inQuery);
    expect(inQuery.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expectClientError(await stack.app.inject({ url: '/api/reports/by-ref/PAV%00' }));
    expectClientError(
      await stack.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'a\u0000@x.fr', password: 'x' },
      }),
    );
    expectClientError(
      await stack.app.inject({
        method: 'POST',
        url: '/api/me/magic-link',
        payload: { email: 'a@x.fr', next: '/\u0000' },
      }),
    );
    const form = await multipart({ ...reportFields, description: 'Un trou\u0000profond' });
    expectClientError(await stack.app.inject({ method: 'POST', url: '/api/reports', ...form }));
    const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM reports');
    expect(rows[0].n).toBe(0);
  });
});

describe('malformed multipart on POST /api/reports', () => {
  const body = (boundary: string, { close = true } = {}) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="category"\r\n\r\nnid-de-poule\r\n` +
        (close ? `--${boundary}--\r\n` : ''),
    );
  const cases: [string, Record<string, string>, Buffer][] = [
    ['no boundary', { 'content-type': 'multipart/form-data' }, body('x')],
    ['a mismatched boundary', { 'content-type': 'multipart/form-data; boundary=other' }, body('x')],
    ['an unterminated body', { 'content-type': 'multipart/form-data; boundary=x' }, body('x', { close: false })],
    [
      'a boundary over 256 characters',
      { 'content-type': `multipart/form-data; boundary=${'b'.repeat(300)}` },
      body('b'.repeat(300)),
    ],
    [
      'a gzip content encoding',
      { 'content-type': 'multipart/form-data; boundary=x', 'content-encoding': 'gzip' },
      body('x'),
    ],
    ['an empty body', { 'content-type': 'multipart/form-data; boundary=x' }, Buffer.alloc(0)],
  ];
  for (const [name, headers, payload] of cases) {
    it(`answers 4xx { code, message } to ${name}, and files nothing`, async () => {
      const response = await stack.app.inject({ method: 'POST', url: '/api/reports', headers, payload });
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
      expect(response.json()).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      const { rows } = await stack.pool.query('SELECT count(*)::int AS n FROM reports');
      expect(rows[0].n).toBe(0);
    });
  }
});

describe('browser security headers', () => {
  it('sends a strict CSP that allows the configured tiles, no framing, nosniff and a referrer policy', async () => {
    for (const url of ['/api/categories', '/api/no-such-route']) {
      const { headers } = await stack.app.inject({ url });
      const csp = String(headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toMatch(/img-src [^;]*https:\/\/tile\.openstreetmap\.org/);
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      // Served over plain HTTP (the demo): no HSTS.
      expect(headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('adds HSTS when the public address is HTTPS, and allows {s} tile subdomains', async () => {
    const https = await stack.buildApp({
      PUBLIC_BASE_URL: 'https://signalements.example.fr',
      TILE_URL: 'https://{s}.tiles.example.fr/{z}/{x}/{y}.png',
    });
    const { headers } = await https.inject({ url: '/api/categories' });
    expect(headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(String(headers['content-security-policy'])).toMatch(/img-src [^;]*https:\/\/\*\.tiles\.example\.fr/);
  });
});

describe('cross-site writes with a session cookie', () => {
  it('are refused when Origin or Sec-Fetch-Site shows another site, and pass from the site itself', async () => {
    await createStaffUser(stack.pool, { email: 'csrf@ville.test', password: PASSWORD, role: 'admin' });
    const login = await stack.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'csrf@ville.test', password: PASSWORD },
    });
    const cookie = `pave_session=${login.cookies.find((c) => c.name === 'pave_session')!.value}`;
    const createTeam = (headers: Record<string, string>) =>
      stack.app.inject({
        method: 'POST',
        url: '/api/admin/teams',
        headers: { cookie, ...headers },
        payload: { code: `t-${Math.random().toString(36).slice(2, 8)}`, name: 'Équipe test', service: 'voirie' },
      });
    const fromEvil = await createTeam({ origin: 'https://evil.example' });
    expect(fromEvil.statusCode).toBe(403);
    expect(fromEvil.json().code).toBe('CROSS_SITE_REQUEST');
    expect((await createTeam({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await createTeam({ 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    // The same request from the site itself, or from a client that sends neither header.
    expect((await createTeam({ origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(
      201,
    );
    expect((await createTeam({})).statusCode).toBe(201);
    // A multipart write (the case the attack report used) is refused too, before its body is read.
    const form = await multipart(reportFields);
    const multipartFromEvil = await stack.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: { ...form.headers, cookie, origin: 'https://evil.example' },
      payload: form.payload,
    });
    expect(multipartFromEvil.statusCode).toBe(403);
    // Without a session cookie there is no ambient authority to abuse: an anonymous report passes.
    const anonymous = await stack.app.inject({
      method: 'POST',
      url: '/api/reports',
      headers: { ...form.headers, origin: 'https://another-site.example' },
      payload: form.payload,
    });
    expect(anonymous.statusCode).toBe(201);
  });
});

describe('client addresses', () => {
  it('ignore X-Forwarded-For unless the peer is a trusted proxy', async () => {
    const limited = await stack.buildApp({ RATE_LIMIT_REPORTS_PER_IP: '3', RATE_LIMIT_REPORTS_PER_DEVICE: '3' });
    const behindProxy = await stack.buildApp({
      RATE_LIMIT_REPORTS_PER_IP: '3',
      RATE_LIMIT_REPORTS_PER_DEVICE: '3',
      TRUST_PROXY: '127.0.0.1',
    });
    const post = async (target: FastifyInstance, forwardedFor: string) => {
      const form = await multipart(reportFields);
      return (
        await target.inject({
          method: 'POST',
          url: '/api/reports',
          headers: { ...form.headers, 'x-forwarded-for': forwardedFor },
          payload: form.payload,
        })
      ).statusCode;
    };
    // Direct: an invented X-Forwarded-For on each request changes nothing; the fourth is refused.
    const direct = [];
    for (let i = 0; i < 4; i += 1) direct.push(await post(limited, `203.0.113.${i}`));
    expect(direct).toEqual([201, 201, 201, 429]);
    // Behind a trusted proxy (the peer, 127.0.0.1), the address it forwards is the client's.
    const proxied = [];
    for (let i = 0; i < 4; i += 1) proxied.push(await post(behindProxy, `198.51.100.${i}`));
    expect(proxied).toEqual([201, 201, 201, 201]);
  });
});

describe('staff sign-in under attack', () => {
  it('slows the guessing address down without locking the owner out', async () => {
    await createStaffUser(stack.pool, { email: 'owner@ville.test', password: PASSWORD, role: 'council' });
    const logIn = (password: string, remoteAddress: string) =>
      stack.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'owner@ville.test', password },
        remoteAddress,
      });
    const guesses = [];
    for (let i = 0; i < 11; i += 1) guesses.push((await logIn(`guess-${i}`, '203.0.113.66')).statusCode);
    expect(guesses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(guesses[10]).toBe(429);
    // The guesser stays throttled, even with the right password…
    expect((await logIn(PASSWORD, '203.0.113.66')).statusCode).toBe(429);
    // …while the owner, from their own address, signs in at once.
    expect((await logIn(PASSWORD, '192.0.2.10')).statusCode).toBe(200);
  });
});

describe('stalled requests', () => {
  it('are closed once the request timeout passes', async () => {
    const slow = await stack.buildApp({ REQUEST_TIMEOUT_MS: '1000', TIMEOUT_CHECK_INTERVAL_MS: '200' });
    await slow.listen({ host: '127.0.0.1', port: 0 });
    const { port } = slow.server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const started = Date.now();
    // Headers complete, then 10 of the 1,000 announced bytes, then nothing.
    socket.write(
      'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n{"email":',
    );
    let answer = '';
    socket.on('data', (chunk) => (answer += String(chunk)));
    await Promise.race([
      once(socket, 'close'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('still open after 15 s')), 15_000)),
    ]);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('production mode', () => {
  const serverEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/api/src/server.ts');
  const startServer = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', WEB_DIST_DIR: '', PORT: '0', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += String(chunk)));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });

  it('refuses to start with the published TOKEN_SECRET, naming the variable', async () => {
    const { code, stderr } = await startServer({ NODE_ENV: 'production', DATABASE_URL: stack.db.url });
    expect(code).toBe(1);
    expect(stderr).toContain('TOKEN_SECRET');
  });

  it('refuses to start while demo accounts are active', async () => {
    await seedDemoStaff(stack.pool);
    const { code, stderr } = await startServer({
      NODE_ENV: 'production',
      DATABASE_URL: stack.db.url,
      TOKEN_SECRET: 'x'.repeat(48),
    });
    expect(code).toBe(1);
    expect(stderr).toContain('admin@demo.pave');
    await stack.pool.query(`UPDATE staff_users SET is_active = false WHERE email LIKE '%@demo.pave'`);
  });

  it('turns secure cookies on', () => {
    const settings = createTestSettings(stack.db.url);
    expect(testApiConfig(settings).COOKIE_SECURE).toBe(false);
    expect(testApiConfig(settings, { NODE_ENV: 'production', TOKEN_SECRET: 'y'.repeat(48) }).COOKIE_SECURE).toBe(true);
  });
});

describe('Open311 POST', () => {
  it('is limited per api_key, in the specification’s error format', async () => {
    const limited = await stack.buildApp({ RATE_LIMIT_OPEN311_PER_KEY: '3' });
    const { key } = await createApiKey(stack.pool, 'busy partner');
    const post = async () =>
      limited.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        ...formBody(validPothole(key)),
      });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await post()).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await post();
    expect(refused.json()).toEqual([{ code: 429, description: expect.stringContaining('api_key') }]);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});
