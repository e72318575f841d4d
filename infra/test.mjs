// `npm test`: the same bootstrap as `npm start` (plus Chromium), then every test: unit, integration, end-to-end.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { bootstrapServices, ensureDependencies, ROOT, say } from './lib.mjs';

ensureDependencies();
bootstrapServices({ withChromium: true });

const resultsDir = path.join(ROOT, 'tests', 'e2e', 'artifacts');
mkdirSync(resultsDir, { recursive: true });
const resultsFile = path.join(resultsDir, 'vitest-results.json');
const extraArgs = process.argv.slice(2);
const result = spawnSync(
  process.execPath,
  [
    path.join('node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${resultsFile}`,
    ...extraArgs,
  ],
  { cwd: ROOT, stdio: 'inherit' },
);

// One plain summary line that any CI log reader understands.
if (existsSync(resultsFile)) {
  const summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
  console.log(
    `tests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`,
  );
} else {
  say('no test results were written');
}
process.exit(result.status ?? 1);
