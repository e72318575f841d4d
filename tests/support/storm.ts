// A storm with faults (issue #18): 3 API and 2 worker processes behind nginx take reports with photos,
// tile requests, live-map streams and staff transitions while one API, one worker and Redis are killed
// and brought back. Run long by bench/storm.bench.ts and short by tests/cluster/storm.test.ts; this file
// runs it and returns what happened, the callers judge and print.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createJobQueue, createStaffUser } from '@pave/core';
import { Redis } from 'ioredis';
import { endWithThisProcess } from './children';
import { buildServers } from '../../infra/build-server.mjs';
import { startNginx } from '../../infra/nginx.mjs';
import { stopProcess, waitUntilAnswering } from './cluster';
import { createTestSettings, testApiEnv, testWorkerEnv } from './config';
import { createTestDatabase } from './db';
import { STAFF_PASSWORD } from './factories';
import { fixturePhoto, multipart, reportFormFields } from './multipart';
import { freePort, privateRedis } from './private-redis';
import { tileXyz } from './tiles';

export type StormRoute = 'POST /api/reports' | 'GET /api/tiles' | 'POST /api/staff/reports/:id/transitions';

/** One request of the storm, timed. Status 0: no HTTP answer at all (refused, reset, timed out). */
export interface StormAnswer {
  route: StormRoute;
  startedAt: number;
  endedAt: number;
  status: number;
  upstream: string;
  /** Why no answer came (status 0): the fetch error and its cause. */
  error?: string;
}

/** A fault, from the moment it struck until the system was whole again plus a grace period. */
export interface FaultWindow {
  fault: string;
  from: number;
  to: number;
}

export interface StormOptions {
  seconds: number;
  sseClients: number;
  reportsPerSecond?: number;
  tilesPerSecond?: number;
  /** One staff transition every this many ms. */
  transitionEveryMs?: number;
  /** How long the light jobs (routing, mails) may take to drain after the load stops. */
  drainMs?: number;
  /** How long the storm waits, after the load stops, for the photo backlog (face detection is slow); drainMs if unset. */
  photoDrainMs?: number;
  /** Where the processes write their logs (warnings and above) and nginx its error log; none when unset. */
  logDir?: string;
  /** Leave the storm's database in place (its name is logged), to look into it afterwards. */
  keepDatabase?: boolean;
  log?: (line: string) => void;
}

/** One report answered 201: what the resident's phone was told, and by which process. */
export interface FiledReport {
  id: string;
  ref: string;
  /** The request's number in the storm, and the attempt (0 first) that got the 201. */
  n: number;
  attempt: number;
  upstream: string;
  /** Answered from the idempotency record (header Idempotent-Replayed). */
  replayed: boolean;
  answeredAt: number;
}

export interface StormResult {
  seconds: number;
  answers: StormAnswer[];
  windows: FaultWindow[];
  /** Settings the storm gives the processes on top of the test defaults, for the printout. */
  env: Record<string, string>;
  /** Distinct report ids answered 201, and POSTs that never got a 201 after their retries. */
  filed: string[];
  gaveUp: number;
  /** The reports answered 201 with no row in the database, as they were answered. */
  missing: FiledReport[];
  /** nginx's error log, each kind of line (addresses and numbers blanked) with its count. */
  nginxErrors: Record<string, number>;
  /** Reports in the database carrying this storm's tag (a second report for one key would show here). */
  inDatabase: number;
  lost: number;
  routed: number;
  routedTwice: number;
  photos: { expected: number; ready: number; failed: number; pending: number };
  acknowledged: number;
  /** ms after the load stopped until the outbox, the light jobs' queue and routing were done; null: not within drainMs. */
  drainedAfterMs: number | null;
  /** ms after the load stopped until every photo was processed and the photo queue empty; null: not within photoDrainMs. */
  photosDrainedAfterMs: number | null;
  /** Photos processed after the load stopped and how long the storm watched them (rate = n / ms). */
  photoDrain: { processed: number; ms: number };
  /** For each routed report, ms from filing to routing (the two transactions' start times). */
  routingDelaysMs: number[];
  drainState: string;
  events: {
    clients: number;
    received: number;
    expected: number;
    delaysMs: number[];
    reconnects: number;
    resets: number;
  };
  /** VmHWM of each process (the highest of its incarnations), in kB. */
  peakMemoryKb: Record<string, number>;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** After a process or Redis is back, requests already under way may still fail for a moment. */
const GRACE_MS = 3_000;
/** How long a killed process stays down before its "supervisor" starts it again. */
const DOWN_MS = 3_000;

/**
 * The worker's recovery timers, shortened so that a short storm drains within a minute: a killed worker's
 * jobs come back after the lock (10 s instead of 30), and work whose job died with Redis is swept up after
 * 20 s (instead of 120). The APIs keep the test defaults (rate limits raised; X-Forwarded-For varies too).
 */
const STORM_WORKER_ENV = {
  OUTBOX_POLL_MS: '1000',
  WORKER_LOCK_MS: '10000',
  WORKER_STALLED_CHECK_MS: '5000',
  JOB_SWEEP_INTERVAL_MS: '5000',
  JOB_SWEEP_AFTER_MS: '20000',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tiles of the 11th arrondissement and around, from the whole-city zoom to street level. */
function tileAddresses(): string[] {
  const tiles: string[] = [];
  const around = { lon: 2.375, lat: 48.86 };
  for (let z = 12; z <= 16; z += 1) {
    const { x, y } = tileXyz(around, z);
    for (let dx = -1; dx <= 1; dx += 1) for (let dy = -1; dy <= 1; dy += 1) tiles.push(`${z}/${x + dx}/${y + dy}`);
  }
  return tiles;
}

/** A process the storm supervises: started again with the same command after it is killed. */
interface Supervised {
  name: string;
  entry: string;
  env: Record<string, string>;
  child: ChildProcess;
  /** The last lines it wrote to stderr (for a failure message). */
  stderr: string;
}

function launch(process_: Omit<Supervised, 'child' | 'stderr'> & Partial<Supervised>, logDir?: string): Supervised {
  // Appended to, so a restarted process's second life follows its first in the same file.
  const stdout = logDir ? openSync(path.join(logDir, `${process_.name}.log`), 'a') : 'ignore';
  const child = endWithThisProcess(
    spawn(process.execPath, ['--enable-source-maps', process_.entry], {
      env: { PATH: process.env.PATH ?? '', ...process_.env, ...(logDir ? { LOG_LEVEL: 'warn' } : {}) },
      stdio: ['ignore', stdout, 'pipe'],
    }),
  );
  if (typeof stdout === 'number') closeSync(stdout);
  const supervised = { ...process_, child, stderr: '' } as Supervised;
  child.stderr!.on('data', (chunk) => (supervised.stderr = (supervised.stderr + String(chunk)).slice(-4_000)));
  return supervised;
}

async function kill(process_: Supervised): Promise<void> {
  const { child } = process_;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

function vmHwmKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** One live-map client: reads `GET /api/events` and comes back with Last-Event-ID when cut, as EventSource does. */
function liveClient(url: string, onReport: (data: { type: string; id: string; createdAt: string }) => void) {
  const controller = new AbortController();
  const state = { lastId: undefined as string | undefined, reconnects: 0, resets: 0, hello: false };
  const done = (async () => {
    while (!controller.signal.aborted) {
      try {
        const headers: Record<string, string> = state.lastId ? { 'last-event-id': state.lastId } : {};
        const response = await fetch(`${url}/api/events`, { signal: controller.signal, headers });
        if (!response.ok || !response.body) throw new Error(`events answered ${response.status}`);
        let buffer = '';
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          buffer += chunk.value;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const lines = buffer.slice(0, end).split('\n');
            buffer = buffer.slice(end + 2);
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
            const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
            const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
            if (id) state.lastId = id;
            if (event === 'hello') state.hello = true;
            if (event === 'reset') state.resets += 1;
            if (event === 'report' && data)
              onReport(JSON.parse(data) as { type: string; id: string; createdAt: string });
          }
        }
      } catch {
        // Cut (its API was killed) or closed at the end: EventSource waits a moment and reconnects.
      }
      if (controller.signal.aborted) break;
      state.reconnects += 1;
      await sleep(1_000);
    }
  })();
  return {
    state,
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

/** Runs the storm on a database, Redis, storage and nginx of its own, and removes them all before returning. */
export async function runStorm(options: StormOptions): Promise<StormResult> {
  const log = options.log ?? (() => {});
  const reportsPerSecond = options.reportsPerSecond ?? 2.5;
  const tilesPerSecond = options.tilesPerSecond ?? 50;
  const transitionEveryMs = options.transitionEveryMs ?? 2_000;
  const drainMs = options.drainMs ?? 60_000;
  const photoDrainMs = options.photoDrainMs ?? drainMs;
  const closers: (() => Promise<unknown>)[] = [];
  const processes: Supervised[] = [];
  const peakMemoryKb: Record<string, number> = {};
  const sampleMemory = () => {
    for (const p of processes) peakMemoryKb[p.name] = Math.max(peakMemoryKb[p.name] ?? 0, vmHwmKb(p.child.pid));
  };
  try {
    const db = await createTestDatabase();
    if (options.keepDatabase) {
      log(`storm: database kept at ${db.url}`);
      closers.push(() => db.pool.end());
    } else {
      closers.push(() => db.drop());
    }
    if (options.logDir) mkdirSync(options.logDir, { recursive: true });
    const redis = await privateRedis();
    await redis.start();
    closers.push(() => redis.stop());
    const settings = { ...createTestSettings(db.url), redisUrl: redis.url };
    closers.push(async () => rmSync(settings.storageDir, { recursive: true, force: true }));
    const url = `http://127.0.0.1:${await freePort()}`;
    closers.push(async () => {
      for (const p of processes) await stopProcess(p.child);
    });

    // Bundles, as a deployment runs them (npm run build): tsx compiled the API for 38 s on start on a
    // loaded machine, which made the killed API's window that long, and once missed a 60 s start.
    mkdirSync(path.resolve('var'), { recursive: true });
    const buildDir = mkdtempSync(path.resolve('var', 'storm-build-'));
    closers.push(async () => rmSync(buildDir, { recursive: true, force: true }));
    const bundles = await buildServers(buildDir);
    const apiPorts = [await freePort(), await freePort(), await freePort()];
    for (const [i, port] of apiPorts.entries()) {
      const env = testApiEnv(settings, {
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_BASE_URL: url,
        TRUST_PROXY: 'loopback',
      });
      processes.push(launch({ name: `api-${i + 1}`, entry: bundles.api, env }, options.logDir));
    }
    for (let i = 1; i <= 2; i += 1) {
      const env = testWorkerEnv(settings, { PUBLIC_BASE_URL: url, ...STORM_WORKER_ENV });
      processes.push(launch({ name: `worker-${i}`, entry: bundles.worker, env }, options.logDir));
    }
    await Promise.all(apiPorts.map((port, i) => waitUntilAnswering(`http://127.0.0.1:${port}`, processes[i]!.child)));
    const nginxDir = mkdtempSync(path.join(tmpdir(), 'pave-storm-nginx-'));
    // nginx's workers run as `nobody` under root and write their temporary files below this directory.
    chmodSync(nginxDir, 0o755);
    const nginxErrors: Record<string, number> = {};
    closers.push(async () => rmSync(nginxDir, { recursive: true, force: true }));
    const readNginxErrors = () => {
      const file = path.join(nginxDir, 'error.log');
      if (!existsSync(file)) return;
      const text = readFileSync(file, 'utf8');
      if (options.logDir) writeFileSync(path.join(options.logDir, 'nginx-error.log'), text);
      for (const line of text.split('\n').filter(Boolean)) {
        // "2026/12/07 13:20:01 [error] 123#123: *456 connect() failed (111: ...) while connecting to upstream, client: ..."
        const kind = line
          .replace(/^\S+ \S+ /, '')
          .replace(/, client: .*$/, '')
          .replace(/\d+#\d+: \*\d+ /, '')
          .replace(/\d+/g, 'N');
        nginxErrors[kind] = (nginxErrors[kind] ?? 0) + 1;
      }
    };
    const upstreams = apiPorts.map((port) => `127.0.0.1:${port}`);
    const nginx = startNginx({
      listen: new URL(url).host,
      upstreams,
      dir: nginxDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    endWithThisProcess(nginx.child, 'SIGTERM');
    closers.push(() => stopProcess(nginx.child));
    await waitUntilAnswering(url, nginx.child);
    log(`storm: 3 APIs, 2 workers, nginx on ${url}, private Redis on ${redis.url}`);

    const email = 'storm-supervisor@ville.test';
    await createStaffUser(db.pool, { email, password: STAFF_PASSWORD, role: 'supervisor', service: 'voirie' });
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: STAFF_PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('pave_session='));
    if (login.status !== 200 || !cookie) throw new Error(`storm: staff sign-in answered ${login.status}`);

    // The live map: each client counts the `created` events of the storm's reports and when they arrived.
    const seen = new Set<string>();
    const delaysMs: number[] = [];
    const clients = Array.from({ length: options.sseClients }, (_, i) =>
      liveClient(url, (event) => {
        if (event.type !== 'created') return;
        const key = `${i}:${event.id}`;
        if (seen.has(key)) return;
        seen.add(key);
        delaysMs.push(Date.now() - Date.parse(event.createdAt));
      }),
    );
    closers.push(() => Promise.all(clients.map((c) => c.close())));
    const helloBy = Date.now() + 30_000;
    while (clients.some((c) => !c.state.hello) && Date.now() < helloBy) await sleep(200);
    log(`storm: ${clients.filter((c) => c.state.hello).length}/${clients.length} live clients connected`);

    const answers: StormAnswer[] = [];
    const send = async (route: StormRoute, path_: string, init: RequestInit = {}) => {
      const startedAt = Date.now();
      try {
        const response = await fetch(`${url}${path_}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const body = await response.arrayBuffer();
        const answer = {
          route,
          startedAt,
          endedAt: Date.now(),
          status: response.status,
          upstream: response.headers.get('x-pave-upstream') ?? '',
        };
        answers.push(answer);
        return { answer, response, body };
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause;
        const why = `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause.message})` : ''}`;
        answers.push({ route, startedAt, endedAt: Date.now(), status: 0, upstream: '', error: why });
        return null;
      }
    };

    const tag = `storm-${randomBytes(3).toString('hex')}`;
    const photos = [fixturePhoto('jpg_gps_DSCN0010.jpg'), fixturePhoto('jpg_orientation_portrait_6.jpg')];
    const filed = new Map<string, FiledReport>();
    let gaveUp = 0;
    let reportsSent = 0;
    /** A resident's phone: one Idempotency-Key per report, the same key on each retry after a failure. */
    const fileReport = async (n: number) => {
      const at = { lon: 2.37 + ((n * 37) % 100) / 5_000, lat: 48.855 + ((n * 53) % 100) / 10_000 };
      const form = await multipart(reportFormFields({ description: `${tag} #${n}` }, at), [
        { name: `photo-${n}.jpg`, data: photos[n % 2]! },
      ]);
      const headers = {
        ...form.headers,
        'idempotency-key': `${tag}-${n}-${randomBytes(4).toString('hex')}`,
        'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
      };
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const sent = await send('POST /api/reports', '/api/reports', {
          method: 'POST',
          headers,
          body: new Uint8Array(form.payload),
        });
        if (sent?.answer.status === 201) {
          const { id, ref } = JSON.parse(Buffer.from(sent.body).toString('utf8')) as { id: string; ref: string };
          filed.set(id, {
            id,
            ref,
            n,
            attempt,
            upstream: sent.answer.upstream,
            replayed: sent.response.headers.get('idempotent-replayed') === 'true',
            answeredAt: sent.answer.endedAt,
          });
          return;
        }
        if (sent && sent.answer.status < 500) break;
        await sleep(1_000 * (attempt + 1));
      }
      gaveUp += 1;
    };

    const tiles = tileAddresses();
    const etags = new Map<string, string>();
    let tilesSent = 0;
    /** A map view: asks for a tile, revalidating with the ETag it holds, as a browser does. */
    const fetchTile = async (n: number) => {
      const tile = tiles[(n * 7919) % tiles.length]!;
      const etag = etags.get(tile);
      const sent = await send('GET /api/tiles', `/api/tiles/reports/${tile}.mvt`, {
        headers: {
          'x-forwarded-for': `10.200.${(n >> 8) & 255}.${n & 255}`,
          ...(etag ? { 'if-none-match': etag } : {}),
        },
      });
      const fresh = sent?.response.headers.get('etag');
      if (fresh) etags.set(tile, fresh);
    };

    /** The supervisor acknowledges the oldest routed report still new. */
    const acknowledgeOne = async () => {
      // The storm's own look-up, not a request of the system under test: on a saturated machine its
      // connection may time out, and the supervisor then skips a turn.
      const rows = await db.pool
        .query<{ id: string }>(
          `SELECT id FROM reports WHERE id = ANY($1) AND status = 'new' AND team_id IS NOT NULL ORDER BY created_at LIMIT 1`,
          [[...filed.keys()]],
        )
        .then((result) => result.rows)
        .catch(() => []);
      if (!rows[0]) return;
      await send('POST /api/staff/reports/:id/transitions', `/api/staff/reports/${rows[0].id}/transitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ to: 'acknowledged' }),
      });
    };

    const windows: FaultWindow[] = [];
    const restartProcess = async (index: number, fault: string) => {
      const window: FaultWindow = { fault, from: Date.now(), to: Number.POSITIVE_INFINITY };
      windows.push(window);
      const victim = processes[index]!;
      sampleMemory();
      await kill(victim);
      log(`storm: ${fault}`);
      await sleep(DOWN_MS);
      processes[index] = launch(victim, options.logDir);
      if (victim.name.startsWith('api')) {
        await waitUntilAnswering(`http://127.0.0.1:${apiPorts[index]}`, processes[index].child);
      }
      window.to = Date.now() + GRACE_MS;
      log(`storm: ${victim.name} back after ${((Date.now() - window.from) / 1000).toFixed(1)} s`);
    };
    const restartRedis = async () => {
      const window: FaultWindow = {
        fault: 'Redis SIGKILL (keys lost) and restart',
        from: Date.now(),
        to: Number.POSITIVE_INFINITY,
      };
      windows.push(window);
      await redis.stop();
      log('storm: Redis killed');
      await sleep(DOWN_MS);
      await redis.start();
      window.to = Date.now() + GRACE_MS;
      log(`storm: Redis back after ${((Date.now() - window.from) / 1000).toFixed(1)} s`);
    };

    const started = Date.now();
    const endsAt = started + options.seconds * 1_000;
    const inFlight = new Set<Promise<unknown>>();
    const track = (promise: Promise<unknown>) => {
      inFlight.add(promise);
      void promise.finally(() => inFlight.delete(promise));
    };
    const faults = [
      { at: 0.25, run: () => restartProcess(1, 'api-2 SIGKILL and restart') },
      { at: 0.45, run: () => restartProcess(3, 'worker-1 SIGKILL and restart') },
      { at: 0.65, run: restartRedis },
    ];
    let nextTransition = started + transitionEveryMs;
    let nextSample = started;
    let transitioning: Promise<void> | null = null;
    // Open loop: requests leave on the clock whether or not earlier ones have answered, as real users do.
    while (Date.now() < endsAt) {
      const elapsed = (Date.now() - started) / 1_000;
      while (reportsSent < elapsed * reportsPerSecond) track(fileReport((reportsSent += 1)));
      while (tilesSent < elapsed * tilesPerSecond) track(fetchTile((tilesSent += 1)));
      if (Date.now() >= nextTransition && !transitioning) {
        nextTransition += transitionEveryMs;
        transitioning = acknowledgeOne().finally(() => (transitioning = null));
        track(transitioning);
      }
      const fault = faults[0];
      if (fault && elapsed >= fault.at * options.seconds) track(faults.shift()!.run());
      if (Date.now() >= nextSample) {
        sampleMemory();
        nextSample += 1_000;
      }
      await sleep(10);
    }
    log(`storm: load stopped after ${options.seconds} s; ${inFlight.size} requests and faults still under way`);
    while (inFlight.size > 0) await Promise.race(inFlight);
    const loadEnded = Date.now();

    // Drained: nothing left in the outbox or the light jobs' queue (delayed jobs are deadlines and schedules,
    // not backlog) and every report routed; then, watched longer, every photo processed and the photo
    // queue empty. Photos take seconds of CPU each (face detection): their backlog is measured apart.
    const queueConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    queueConnection.on('error', () => {});
    const queue = createJobQueue(queueConnection, settings.queuePrefix);
    closers.push(async () => {
      await queue.close();
      queueConnection.disconnect();
    });
    const ids = [...filed.keys()];
    const busy = (c: Record<string, number>) =>
      (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0);
    const states = ['waiting', 'active', 'prioritized', 'waiting-children', 'delayed'] as const;
    let drainedAfterMs: number | null = null;
    let photosDrainedAfterMs: number | null = null;
    let drainState = '';
    let readyAtLoadEnd: number | null = null;
    let readyNow = 0;
    for (;;) {
      const [{ rows: left }, all, photoJobs] = await Promise.all([
        db.pool.query<{ outbox: number; unrouted: number; pending: number; ready: number }>(
          `SELECT (SELECT count(*)::int FROM outbox WHERE sent_at IS NULL) AS outbox,
                  (SELECT count(*)::int FROM reports WHERE id = ANY($1) AND team_id IS NULL) AS unrouted,
                  (SELECT count(*)::int FROM photos WHERE report_id = ANY($1) AND status = 'pending') AS pending,
                  (SELECT count(*)::int FROM photos WHERE report_id = ANY($1) AND status = 'ready') AS ready`,
          [ids],
        ),
        queue.getJobCounts(...states),
        queue.photos.getJobCounts(...states),
      ]);
      const row = left[0]!;
      readyAtLoadEnd ??= row.ready;
      readyNow = row.ready;
      const lightBusy = busy(all) - busy(photoJobs);
      const lightDelayed = (all.delayed ?? 0) - (photoJobs.delayed ?? 0);
      const elapsed = Date.now() - loadEnded;
      drainState =
        `outbox ${row.outbox}, queue ${lightBusy} (+${lightDelayed} delayed), unrouted ${row.unrouted}; ` +
        `photo queue ${busy(photoJobs)}, photos pending ${row.pending}`;
      if (drainedAfterMs === null && row.outbox + lightBusy + row.unrouted === 0) drainedAfterMs = elapsed;
      if (drainedAfterMs !== null && row.pending + busy(photoJobs) === 0) {
        photosDrainedAfterMs = elapsed;
        break;
      }
      if (drainedAfterMs === null ? elapsed > drainMs : elapsed > photoDrainMs) break;
      sampleMemory();
      await sleep(500);
    }
    const watchedMs = Date.now() - loadEnded;
    sampleMemory();
    log(`storm: ${drainedAfterMs === null ? 'NOT drained' : `drained after ${drainedAfterMs} ms`}: ${drainState}`);
    const { rows: routings } = await db.pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM min(h.at) - r.created_at)::float8 * 1000 AS ms
         FROM reports r JOIN report_history h ON h.report_id = r.id AND h.event = 'routed'
        WHERE r.id = ANY($1) GROUP BY r.id`,
      [ids],
    );

    const { rows: tally } = await db.pool.query<{
      in_database: number;
      found: number;
      routed: number;
      routed_twice: number;
      acknowledged: number;
      photos: number;
      ready: number;
      failed: number;
      pending: number;
    }>(
      `WITH mine AS (SELECT id, team_id, status FROM reports WHERE id = ANY($1)),
            routings AS (SELECT h.report_id, count(*) AS n FROM report_history h
                          WHERE h.report_id = ANY($1) AND h.event = 'routed' GROUP BY h.report_id)
       SELECT (SELECT count(*)::int FROM reports WHERE description LIKE $2) AS in_database,
              (SELECT count(*)::int FROM mine) AS found,
              (SELECT count(*)::int FROM mine WHERE team_id IS NOT NULL) AS routed,
              (SELECT count(*)::int FROM routings WHERE n > 1) AS routed_twice,
              (SELECT count(*)::int FROM mine WHERE status = 'acknowledged') AS acknowledged,
              (SELECT count(*)::int FROM photos WHERE report_id = ANY($1)) AS photos,
              (SELECT count(*)::int FROM photos WHERE report_id = ANY($1) AND status = 'ready') AS ready,
              (SELECT count(*)::int FROM photos WHERE report_id = ANY($1) AND status = 'failed') AS failed,
              (SELECT count(*)::int FROM photos WHERE report_id = ANY($1) AND status = 'pending') AS pending`,
      [ids, `${tag} #%`],
    );
    const t = tally[0]!;
    const { rows: present } = await db.pool.query<{ id: string }>('SELECT id FROM reports WHERE id = ANY($1)', [ids]);
    const found = new Set(present.map((r) => r.id));
    readNginxErrors();
    return {
      seconds: options.seconds,
      answers,
      windows,
      env: STORM_WORKER_ENV,
      filed: ids,
      gaveUp,
      missing: [...filed.values()].filter((f) => !found.has(f.id)),
      nginxErrors,
      inDatabase: t.in_database,
      lost: ids.length - t.found,
      routed: t.routed,
      routedTwice: t.routed_twice,
      photos: { expected: ids.length, ready: t.ready, failed: t.failed, pending: t.pending },
      acknowledged: t.acknowledged,
      drainedAfterMs,
      photosDrainedAfterMs,
      photoDrain: { processed: readyNow - (readyAtLoadEnd ?? readyNow), ms: watchedMs },
      routingDelaysMs: routings.map((r) => r.ms),
      drainState,
      events: {
        clients: clients.length,
        received: delaysMs.length,
        expected: clients.length * ids.length,
        delaysMs,
        reconnects: clients.reduce((s, c) => s + c.state.reconnects, 0),
        resets: clients.reduce((s, c) => s + c.state.resets, 0),
      },
      peakMemoryKb,
    };
  } finally {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => {});
  }
}

/** Whether an answer is a server failure (a 5xx, or no answer at all). */
export const isServerFailure = (a: StormAnswer) => a.status >= 500 || a.status === 0;

/** The fault window a request overlapped, if any. */
export function faultOf(a: StormAnswer, windows: FaultWindow[]): FaultWindow | undefined {
  return windows.find((w) => a.endedAt >= w.from && a.startedAt <= w.to);
}

/** Whether a request overlapped one of the fault windows. */
export function duringFault(a: StormAnswer, windows: FaultWindow[]): boolean {
  return faultOf(a, windows) !== undefined;
}
