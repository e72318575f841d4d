// Shared steps of `npm start` and `npm test`. Plain Node (no dependencies): it runs before `npm install`.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function say(message) {
  console.log(`[pave] ${message}`);
}

/** Runs a command to completion with inherited output; exits the process if it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    say(`"${command} ${args.join(' ')}" failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

/**
 * Installs npm dependencies when node_modules is missing or older than the lockfile: `npm ci` from the
 * lockfile when there is one (exactly what it pins, and it never rewrites it), `npm install` otherwise.
 */
export function ensureDependencies() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  const isStale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!isStale) return;
  const command = existsSync(lock) ? 'ci' : 'install';
  say(`installing dependencies (npm ${command})`);
  run('npm', [command, '--no-audit', '--no-fund']);
}

/**
 * Makes PostgreSQL/PostGIS and Redis reachable (and, for tests, Chromium, an S3 object store, a
 * read replica and a 3-node Redis Cluster; for several API processes, nginx).
 */
export function bootstrapServices({
  withChromium = false,
  withS3 = false,
  withNginx = false,
  withReplica = false,
  withRedisCluster = false,
} = {}) {
  run('bash', [
    path.join('infra', 'bootstrap.sh'),
    ...(withChromium ? ['--with-chromium'] : []),
    ...(withS3 ? ['--with-s3'] : []),
    ...(withNginx ? ['--with-nginx'] : []),
    ...(withReplica ? ['--with-replica'] : []),
    ...(withRedisCluster ? ['--with-redis-cluster'] : []),
  ]);
}

export function tsx(script, args = [], options = {}) {
  run(process.execPath, ['--import', 'tsx', script, ...args], options);
}

/** Starts a long-running child; resolves its exit code. */
export function start(command, args, options = {}) {
  const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  return { child, exited };
}

const LEVELS = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * Starts a long-running service whose JSON log lines (pino) all go to `var/log/<name>.log`, while the
 * terminal shows only its warnings and errors, one readable line each: the terminal is for the person
 * who typed `npm start`, the file for whoever needs every request. Resolves like `start`.
 */
export function startLogged(name, command, args, options = {}) {
  const dir = path.join(ROOT, 'var', 'log');
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(path.join(dir, `${name}.log`), { flags: 'a' });
  const service = start(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [service.child.stdout, service.child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      file.write(`${line}\n`);
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        // Not a log line (a crash's stack trace, a library's warning): always shown.
        console.log(`[${name}] ${line}`);
        return;
      }
      if (typeof entry.level !== 'number' || entry.level < 40) return;
      const error = entry.err?.message ? ` — ${entry.err.message}` : '';
      console.log(`[${name}] ${LEVELS[entry.level] ?? entry.level} ${entry.msg ?? ''}${error}`);
    });
  }
  service.exited.then(() => file.end());
  return service;
}

/**
 * Keeps started processes running together until Ctrl-C (or SIGTERM), then stops them all; if one
 * dies first, stops the others too: a half-running system is worse than a clear failure. Exits with
 * 0 after a requested stop, else with the first process's code.
 */
export async function superviseUntilStopped(children) {
  let stopping = false;
  const stopAll = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const { child } of children) if (child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => stopAll('SIGTERM'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));
  const first = await Promise.race(children.map(({ exited }) => exited));
  const wasStopping = stopping;
  stopAll('SIGTERM');
  await Promise.all(children.map(({ exited }) => exited));
  process.exit(wasStopping ? 0 : first || 1);
}
