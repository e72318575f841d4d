// `npm start`: dependencies, services, migrations, demo city, build, then the API (serving the web app) and the worker.
// `npm run dev`: the same set-up, then Vite with hot reload and the API and worker in watch mode.
import {
  bootstrapServices,
  ensureDependencies,
  run,
  say,
  start,
  startLogged,
  superviseUntilStopped,
  tsx,
} from './lib.mjs';

const isDev = process.argv.includes('--dev');
const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
// The API and the worker (same environment) derive the same default (resolvePublicBaseUrl in core's env.ts).
const siteUrl = process.env.PUBLIC_BASE_URL || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;

ensureDependencies();
bootstrapServices();
tsx('packages/core/src/cli/migrate.ts');
tsx('packages/core/src/cli/seed.ts');

const children = [];
if (isDev) {
  children.push(start(process.execPath, ['--import', 'tsx', '--watch', 'apps/api/src/server.ts']));
  children.push(start(process.execPath, ['--import', 'tsx', '--watch', 'apps/worker/src/main.ts']));
  children.push(
    start('npm', ['run', 'dev', '-w', '@pave/web'], {
      env: { ...process.env, PAVE_API_URL: `http://${host}:${port}` },
    }),
  );
  say(`dev: web app with hot reload on http://127.0.0.1:5173 (API on http://${host}:${port}/api)`);
} else {
  run('npm', ['run', 'build']);
  children.push(startLogged('api', process.execPath, ['apps/api/dist/server.js']));
  children.push(startLogged('worker', process.execPath, ['apps/worker/dist/main.js']));
  say(`Pavé is running: ${siteUrl}/  (API under /api; Ctrl-C to stop)`);
  say('logs: var/log/api.log and var/log/worker.log (here: warnings and errors only)');
}

await superviseUntilStopped(children);
