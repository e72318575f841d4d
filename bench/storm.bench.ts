// Issue 18 benchmark: a storm with faults. 3 API and 2 worker processes behind nginx take 2.5 reports/s with
// a photo, 50 tiles/s, 200 live-map streams and a staff acknowledgement every 2 s for STORM_SECONDS (300),
// while one API (at 25 %), one worker (45 %) and the storm's private Redis (65 %, keys lost) are SIGKILLed
// and started again after 3 s. Then: nothing lost or routed twice, 5xx outside and inside the fault windows,
// latency per route, queue drained, live-event delay, peak memory per process. tests/cluster/storm.test.ts
// runs the same storm for 45 s.
import {
  duringFault,
  faultOf,
  isServerFailure,
  runStorm,
  type StormAnswer,
  type StormRoute,
} from '../tests/support/storm';
import { summarise } from './lib';

const SECONDS = Number(process.env.STORM_SECONDS ?? 300);
const SSE_CLIENTS = Number(process.env.STORM_SSE_CLIENTS ?? 200);
/** How long to watch the photo backlog after the load stops (face detection: seconds of CPU per photo). */
const PHOTO_DRAIN_SECONDS = Number(process.env.STORM_PHOTO_DRAIN_SECONDS ?? 120);
const ROUTES: StormRoute[] = ['POST /api/reports', 'GET /api/tiles', 'POST /api/staff/reports/:id/transitions'];

const verdict = (ok: boolean, target: string) => `${ok ? 'within' : 'OVER'} target ${target}`;

function countStatuses(answers: StormAnswer[]): string {
  const counts = new Map<number, number>();
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${n}× ${status === 0 ? 'no answer' : status}`)
    .join(', ');
}

export async function run(): Promise<void> {
  const storm = await runStorm({
    seconds: SECONDS,
    sseClients: SSE_CLIENTS,
    photoDrainMs: PHOTO_DRAIN_SECONDS * 1_000,
    logDir: process.env.STORM_LOG_DIR || undefined,
    keepDatabase: process.env.STORM_KEEP_DATABASE === '1',
    log: (line) => console.log(line),
  });
  const failures = storm.answers.filter(isServerFailure);
  const outside = failures.filter((a) => !duringFault(a, storm.windows));
  const inside = failures.filter((a) => duringFault(a, storm.windows));
  const start = Math.min(...storm.answers.map((a) => a.startedAt));

  console.log(
    `\nstorm of ${SECONDS} s, ${storm.events.clients} live clients; worker settings: ${JSON.stringify(storm.env)}`,
  );
  for (const w of storm.windows) {
    console.log(
      `  fault at +${((w.from - start) / 1000).toFixed(1)} s: ${w.fault}; window ${((w.to - w.from) / 1000).toFixed(1)} s (incl. 3 s grace)`,
    );
  }
  console.log(
    `reports: ${storm.filed.length} filed (201), ${storm.gaveUp} given up after retries, ${storm.inDatabase} in the database; ` +
      `lost ${storm.lost} (${verdict(storm.lost === 0, '0')}), routed ${storm.routed}, routed twice ${storm.routedTwice} (${verdict(storm.routedTwice === 0, '0')})`,
  );
  for (const m of storm.missing) {
    console.log(
      `  answered 201 without a row: ${m.ref} (${m.id}) request #${m.n} attempt ${m.attempt}, from ${m.upstream}` +
        `${m.replayed ? ', replayed' : ''}, at +${((m.answeredAt - start) / 1000).toFixed(1)} s`,
    );
  }
  console.log(
    `photos: ${storm.photos.ready} processed of ${storm.photos.expected} (failed ${storm.photos.failed}, pending ${storm.photos.pending}); ` +
      `${storm.acknowledged} reports acknowledged by staff`,
  );
  for (const route of ROUTES) {
    const answers = storm.answers.filter((a) => a.route === route);
    const ok = answers.filter((a) => !isServerFailure(a));
    if (ok.length === 0) {
      console.log(`${route}: no answers`);
      continue;
    }
    const s = summarise(ok.map((a) => a.endedAt - a.startedAt));
    console.log(
      `${route}: p50 ${s.p50.toFixed(0)} ms, p99 ${s.p99.toFixed(0)} ms (n=${s.n}; ${countStatuses(answers)})`,
    );
  }
  console.log(
    `5xx or no answer outside the fault windows: ${outside.length} (${verdict(outside.length === 0, '0')})` +
      (outside.length
        ? `: ${outside.map((a) => `${a.route} ${a.status} at +${((a.startedAt - start) / 1000).toFixed(1)} s`).join(', ')}`
        : ''),
  );
  console.log(`5xx or no answer inside them: ${inside.length}${inside.length ? ` (${countStatuses(inside)})` : ''}`);
  for (const w of storm.windows) {
    const during = inside.filter((a) => faultOf(a, storm.windows) === w);
    if (during.length === 0) continue;
    const byRoute = ROUTES.map((route) => [route, during.filter((a) => a.route === route)] as const)
      .filter(([, answers]) => answers.length > 0)
      .map(([route, answers]) => `${route} ${countStatuses(answers)}`);
    console.log(`  during ${w.fault}: ${byRoute.join('; ')}`);
  }
  const unanswered = new Map<string, number>();
  for (const a of failures) if (a.error) unanswered.set(a.error, (unanswered.get(a.error) ?? 0) + 1);
  for (const [error, n] of unanswered) console.log(`  no answer: ${n}× ${error}`);
  const routing = storm.routingDelaysMs.length ? summarise(storm.routingDelaysMs) : null;
  console.log(
    `routing delay (filed → routed): ` +
      (routing
        ? `p50 ${(routing.p50 / 1000).toFixed(1)} s, p99 ${(routing.p99 / 1000).toFixed(1)} s, max ${(Math.max(...storm.routingDelaysMs) / 1000).toFixed(1)} s (n=${routing.n})`
        : 'n/a'),
  );
  console.log(
    `queue (outbox, routing, mails): ${storm.drainedAfterMs === null ? 'NOT drained' : `drained ${(storm.drainedAfterMs / 1000).toFixed(1)} s after the load stopped`} ` +
      `(${verdict(storm.drainedAfterMs !== null && storm.drainedAfterMs <= 60_000, '≤ 60 s')}; ${storm.drainState})`,
  );
  const { processed, ms } = storm.photoDrain;
  console.log(
    `photo queue: ${storm.photosDrainedAfterMs === null ? `NOT drained within ${(ms / 1000).toFixed(0)} s` : `drained ${(storm.photosDrainedAfterMs / 1000).toFixed(1)} s after the load stopped`}; ` +
      `${processed} photos processed after the load stopped, ${ms > 0 ? ((processed * 1000) / ms).toFixed(2) : 'n/a'} photos/s`,
  );
  const e = storm.events;
  const delay = e.delaysMs.length ? summarise(e.delaysMs) : null;
  console.log(
    `live events: ${e.received} 'created' events received of ${e.expected} (${e.clients} clients × ${storm.filed.length} reports), ` +
      `${e.reconnects} reconnections, ${e.resets} resets; delay ` +
      (delay ? `p50 ${delay.p50.toFixed(0)} ms, p99 ${delay.p99.toFixed(0)} ms` : 'n/a'),
  );
  const nginxErrors = Object.entries(storm.nginxErrors).sort(([, a], [, b]) => b - a);
  console.log(nginxErrors.length === 0 ? 'nginx error log: empty' : 'nginx error log:');
  for (const [kind, n] of nginxErrors.slice(0, 8)) console.log(`  ${n}× ${kind}`);
  console.log(
    `peak memory (VmHWM): ${Object.entries(storm.peakMemoryKb)
      .map(([name, kb]) => `${name} ${(kb / 1024).toFixed(0)} MB`)
      .join(', ')}`,
  );
}
