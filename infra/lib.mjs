// Shared steps of `npm start` and `npm test`. Plain Node (no dependencies): it runs before `npm install`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
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

/** Makes PostgreSQL/PostGIS and Redis reachable (and Chromium, for tests). */
export function bootstrapServices({ withChromium = false } = {}) {
  run('bash', [path.join('infra', 'bootstrap.sh'), ...(withChromium ? ['--with-chromium'] : [])]);
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
