// `npm run start:cluster [-- --api N --workers M]`: `npm start` with several API processes (default 2)
// and several workers (default 2) on one PostgreSQL, one Redis and one storage, behind an nginx of
// its own on PORT (default 3000) that shares requests round-robin among the APIs on PORT+1…PORT+N.
// nginx's config, pid and logs are under var/cluster/ (docs/deploy.md). Ctrl-C stops everything.
import path from 'node:path';
import {
  bootstrapServices,
  ensureDependencies,
  ROOT,
  run,
  say,
  startLogged,
  superviseUntilStopped,
  tsx,
} from './lib.mjs';
import { startNginx } from './nginx.mjs';

const apiCount = countOption('--api', 2);
const workerCount = countOption('--workers', 2);
const port = Number(process.env.PORT ?? '3000');
const host = process.env.HOST ?? '127.0.0.1';
// Bracketed when IPv6, in the URL and in nginx's `listen` alike; a wildcard is opened on loopback.
const hostInUrl = host.includes(':') ? `[${host}]` : host;
const siteUrl =
  process.env.PUBLIC_BASE_URL || `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : hostInUrl}:${port}`;
const metricsPort = Number(process.env.METRICS_PORT ?? '0');

ensureDependencies();
bootstrapServices({ withNginx: true });
tsx('packages/core/src/cli/migrate.ts');
tsx('packages/core/src/cli/seed.ts');
run('npm', ['run', 'build']);

// Every process links to the site as nginx serves it, never to its own port.
const shared = { ...process.env, PUBLIC_BASE_URL: siteUrl };
// Each process serves its metrics on a port of its own (METRICS_PORT, +1, +2…) when they are on.
const metricsFor = (index) => (metricsPort === 0 ? {} : { METRICS_PORT: String(metricsPort + index) });
const upstreams = [];
const children = [];
for (let i = 1; i <= apiCount; i += 1) {
  upstreams.push(`127.0.0.1:${port + i}`);
  const env = {
    ...shared,
    ...metricsFor(i - 1),
    HOST: '127.0.0.1',
    PORT: String(port + i),
    // Only nginx (on loopback) talks to the APIs: its X-Forwarded-For names the client.
    TRUST_PROXY: ['loopback', process.env.TRUST_PROXY].filter(Boolean).join(','),
  };
  children.push(startLogged(`api-${i}`, process.execPath, ['apps/api/dist/server.js'], { env }));
}
for (let i = 1; i <= workerCount; i += 1) {
  const env = { ...shared, ...metricsFor(apiCount + i - 1) };
  children.push(startLogged(`worker-${i}`, process.execPath, ['apps/worker/dist/main.js'], { env }));
}
const nginxDir = path.join(ROOT, 'var', 'cluster');
try {
  children.push(startNginx({ listen: `${hostInUrl}:${port}`, upstreams, dir: nginxDir }));
} catch (error) {
  say(error.message);
  for (const { child } of children) child.kill('SIGTERM');
  process.exit(1);
}

say(`Pavé is running: ${siteUrl}/  (nginx → ${apiCount} API processes on ${upstreams.join(', ')}; Ctrl-C to stop)`);
say(
  `${workerCount} workers; logs: var/log/api-<n>.log, var/log/worker-<n>.log, ${path.relative(ROOT, nginxDir)}/access.log`,
);

await superviseUntilStopped(children);

function countOption(name, fallback) {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    say(`${name} takes a whole number of processes, at least 1 (got "${process.argv[index + 1] ?? ''}")`);
    process.exit(2);
  }
  return value;
}
