// `npm run test:soak -- N [--load] [--each] [vitest args…]`: the whole suite N times in a row, then
// every test that failed at least once, with its count. `--load` keeps one CPU-bound process per core
// busy during the runs, as a loaded CI machine would be. `--each` runs every integration file alone,
// N times each (the worker's first: they race most), instead of the suite. Exits non-zero if any run
// failed.
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrapServices, ensureDependencies, ROOT, say } from './lib.mjs';
import { failedTests, runVitest } from './vitest-run.mjs';

if (process.argv[2] === '--burn') {
  // A child of --load: spin until killed, or until its parent is gone (a soak stopped mid-run is
  // blocked in a synchronous vitest run and cannot stop its children itself).
  const parent = process.ppid;
  for (let i = 1; ; i += 1) {
    Math.sqrt(Math.random());
    if (i % 10_000_000 === 0 && process.ppid !== parent) process.exit(0);
  }
}

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const withLoad = args.includes('--load');
const isEachFile = args.includes('--each');
const vitestArgs = args.filter((a) => !/^\d+$/.test(a) && a !== '--load' && a !== '--each');
// One target per batch of runs: the suite (with any vitest arguments), or each integration file.
const targets = isEachFile
  ? ['worker', 'api'].flatMap((dir) =>
      readdirSync(path.join(ROOT, 'tests', dir))
        .filter((name) => name.endsWith('.test.ts'))
        .map((name) => [...vitestArgs, `tests/${dir}/${name}`]),
    )
  : [vitestArgs];

ensureDependencies();
bootstrapServices({ withChromium: true });

const burners = withLoad
  ? os.cpus().map(() => fork(fileURLToPath(import.meta.url), ['--burn'], { stdio: 'ignore' }))
  : [];
const stopBurners = () => burners.forEach((b) => b.kill('SIGKILL'));
process.on('exit', stopBurners);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const resultsDir = path.join(ROOT, 'tests', 'e2e', 'artifacts', 'soak');
mkdirSync(resultsDir, { recursive: true });
const failures = new Map();
const summaries = [];
for (const [index, target] of targets.entries()) {
  for (let run = 1; run <= runs; run += 1) {
    soakOnce(index, target, run);
  }
}

function soakOnce(index, target, run) {
  const name = isEachFile ? `${target.at(-1)} ` : '';
  say(`soak run ${name}${run}/${runs}${withLoad ? ` (with ${burners.length} CPU-bound processes)` : ''}`);
  const started = Date.now();
  const { status, report } = runVitest(path.join(resultsDir, `run-${index}-${run}.json`), target);
  const seconds = Math.round((Date.now() - started) / 1000);
  const failed = report ? failedTests(report) : ['(no results: vitest did not finish)'];
  if (status !== 0 && failed.length === 0) failed.push(`(vitest exited ${status} with no failed test)`);
  for (const name of failed) failures.set(name, (failures.get(name) ?? 0) + 1);
  summaries.push(
    `run ${name}${run}: ${report?.numPassedTests ?? 0} passed, ${report?.numFailedTests ?? 0} failed in ${seconds} s`,
  );
}

console.log(
  `\nsoak: ${runs} run(s) of ${isEachFile ? 'each integration file' : 'the suite'}${withLoad ? ', loaded' : ''}`,
);
for (const line of summaries) console.log(`  ${line}`);
if (failures.size === 0) {
  console.log('no test failed in any run');
} else {
  console.log('failed at least once (count, test):');
  for (const [name, count] of [...failures].sort((a, b) => b[1] - a[1])) console.log(`  ${count}× ${name}`);
}
process.exit(failures.size === 0 ? 0 : 1);
