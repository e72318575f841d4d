// `npm run bench [-- name …]`: runs every bench/*.bench.ts (or the named ones) and prints its figures.
import { readdirSync } from 'node:fs';
import { createPool, migrate } from '@pave/core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(2);
}
// The benchmark database may have been seeded before the latest migrations: bring it up to date first,
// so every bench reads the schema the code expects (a no-op when it already is).
const benchPool = createPool({
  connectionString: process.env.BENCH_DATABASE_URL ?? 'postgres://pave:pave@127.0.0.1:5432/pave_bench',
  max: 1,
  statementTimeoutMs: 0,
});
const applied = await migrate(benchPool);
if (applied.length > 0) console.log(`bench database migrated: ${applied.join(', ')}`);
await benchPool.end();

const runStarted = performance.now();
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = performance.now();
  const module = (await import(path.join(dir, file))) as { run: () => Promise<void> };
  await module.run();
  console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
console.log(`\nall benchmarks done in ${((performance.now() - runStarted) / 60_000).toFixed(1)} min`);
// Every bench closes what it opened, and the process then ends by itself. If something was left open
// (the routing bench once kept BullMQ's connection), say what, and exit anyway rather than hang.
setTimeout(() => {
  console.error(`bench: still open 10 s after the last bench: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(1);
}, 10_000).unref();
