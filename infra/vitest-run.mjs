// One run of the whole test suite, shared by `npm test` and `npm run test:soak`.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './lib.mjs';

/**
 * Runs vitest once with its JSON report written to `resultsFile`; resolves the exit status and the
 * parsed report (null when vitest wrote none, e.g. it crashed before the first test).
 */
export function runVitest(resultsFile, extraArgs = [], options = {}) {
  rmSync(resultsFile, { force: true });
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
    { cwd: ROOT, stdio: 'inherit', ...options },
  );
  const report = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : null;
  return { status: result.status ?? 1, report };
}

/** The failed tests of a vitest JSON report, as "file > full name" (the file relative to the root). */
export function failedTests(report) {
  const failed = [];
  for (const file of report.testResults ?? []) {
    const fileName = path.relative(ROOT, file.name);
    const failedInFile = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const test of failedInFile) failed.push(`${fileName} > ${test.fullName}`);
    // A file that failed outside any test (a hook, an import) has no failed assertion to name.
    if (file.status === 'failed' && failedInFile.length === 0)
      failed.push(`${fileName} > (file: ${file.message ?? 'failed'})`);
  }
  return failed;
}
