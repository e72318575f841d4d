// `npm test`: the same bootstrap as `npm start` (plus Chromium, S3, nginx, a read replica and a Redis Cluster), then every test: unit, integration, end-to-end.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { bootstrapServices, ensureDependencies, ROOT, say } from './lib.mjs';
import { runVitest } from './vitest-run.mjs';

ensureDependencies();
bootstrapServices({ withChromium: true, withS3: true, withNginx: true, withReplica: true, withRedisCluster: true });

const resultsDir = path.join(ROOT, 'tests', 'e2e', 'artifacts');
mkdirSync(resultsDir, { recursive: true });
const { status, report } = runVitest(path.join(resultsDir, 'vitest-results.json'), process.argv.slice(2));

// One plain summary line that any CI log reader understands.
if (report) {
  console.log(
    `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`,
  );
} else {
  say('no test results were written');
}
process.exit(status);
