// Issue #15: the first screen on a slow phone. The built web app, served by the real API, opened in
// Debian's Chromium with a cold cache on the phone profile (400 kb/s down, 400 ms latency, 4× CPU
// slowdown, by CDP), against the same route unthrottled in the same run. Budget per route: first
// contentful paint ≤ 2.5 s and interactive ≤ 5 s. Bytes are what crossed the network (CDP's
// encodedDataLength: headers and compressed bodies) until the route was interactive, against the
// uncompressed size of the same responses.
//
// "Interactive" here: the route's main control is on screen and enabled (`/signaler`: the photo
// button of step 1; `/`: the map's zoom buttons, i.e. the map can be moved) AND no long task (> 50 ms)
// of the main thread is running or starts within 50 ms of it, so a tap would be handled at once.
// The service worker is blocked: a first visit has none, and its precache would compete for the link.
import { mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { buildApp } from '../apps/api/src/app';
import { launchChromium, PHONE } from '../tests/support/browser';
import buildWeb from '../tests/support/build-web';
import { createTestSettings, testApiConfig } from '../tests/support/config';
import { createTestDatabase } from '../tests/support/db';
import globalSetup from '../tests/support/global-setup';
import { summarise, type Stats } from './lib';

const ROUTES_ALL = [
  { path: '/', control: '.leaflet-control-zoom-in' },
  { path: '/signaler', control: '[data-testid="photo-button"]' },
] as const;
// BENCH_WEB_ROUTES=/ measures one route (comma-separated paths).
const ROUTES = ROUTES_ALL.filter(
  (route) => !process.env.BENCH_WEB_ROUTES || process.env.BENCH_WEB_ROUTES.split(',').includes(route.path),
);
const BUDGET = { fcpMs: 2500, interactiveMs: 5000 };
// 400 kb/s is 50,000 bytes a second; the upload is as slow on such a link.
const PHONE_NETWORK = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const CPU_SLOWDOWN = 4;
const ITERATIONS = Number(process.env.BENCH_WEB_ITERATIONS ?? 5);

interface Load {
  fcpMs: number;
  interactiveMs: number;
  /** Bytes over the wire until interactive (headers and compressed bodies). */
  wireBytes: number;
  /** The same responses' bodies, uncompressed. */
  rawBytes: number;
  requests: number;
}

// Runs in the page before its scripts: records long tasks and when the main control first appears enabled.
// A string, not a function: tsx would wrap a function's inner names in a helper the page does not have.
const watchInteractive = (selector: string) => `
  window.__bench = { longTasks: [], readyAt: null };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push([entry.startTime, entry.startTime + entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const check = () => {
    if (window.__bench.readyAt !== null) return;
    const element = document.querySelector(${JSON.stringify(selector)});
    if (element && !element.disabled && element.getBoundingClientRect().height > 0) {
      window.__bench.readyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
`;

async function openOnce(browser: Browser, url: string, control: string, throttled: boolean): Promise<Load> {
  // A new context each time: its own empty HTTP cache, storage and no service worker.
  const context = await browser.newContext({ ...PHONE, locale: 'fr-FR', serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled) {
      await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    }
    const finished: { at: number; wire: number; requestId: string }[] = [];
    const urls = new Map<string, { url: string; at: number }>();
    const rawSizes = new Map<string, number>();
    cdp.on('Network.dataReceived', (event) =>
      rawSizes.set(event.requestId, (rawSizes.get(event.requestId) ?? 0) + event.dataLength),
    );
    cdp.on('Network.loadingFinished', (event) =>
      finished.push({ at: event.timestamp, wire: event.encodedDataLength, requestId: event.requestId }),
    );
    let navigationStart = 0;
    cdp.on('Network.requestWillBeSent', (event) => {
      if (event.type === 'Document' && navigationStart === 0) navigationStart = event.timestamp;
      urls.set(event.requestId, { url: event.request.url, at: event.timestamp });
    });
    await page.addInitScript(watchInteractive(control));
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => (globalThis as unknown as { __bench?: { readyAt: number | null } }).__bench?.readyAt != null,
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    // Long tasks that follow the control's appearance count too: give them time to show.
    await page.waitForTimeout(throttled ? 1500 : 300);
    const measured = await page.evaluate(() => {
      const bench = (globalThis as unknown as { __bench: { longTasks: [number, number][]; readyAt: number } }).__bench;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      let interactive = bench.readyAt;
      for (const [start, end] of [...bench.longTasks].sort((a, b) => a[0] - b[0])) {
        if (start <= interactive + 50) interactive = Math.max(interactive, end);
      }
      return { fcp, interactive, readyAt: bench.readyAt, longTasks: bench.longTasks };
    });
    // CDP timestamps are in seconds; the page's clock starts at its navigation.
    const interactiveAt = navigationStart + measured.interactive / 1000;
    const counted = finished.filter((entry) => entry.at <= interactiveAt + 0.001);
    if (throttled && process.env.BENCH_WEB_VERBOSE) {
      const tasks = measured.longTasks.map(([start, end]) => `${start.toFixed(0)}+${(end - start).toFixed(0)}`);
      console.log(
        `    control ready at ${measured.readyAt.toFixed(0)} ms; long tasks (start+duration): ${tasks.join(' ')}`,
      );
      // The waterfall until interactive: when each request left and ended, from the navigation.
      for (const entry of counted) {
        const sent = urls.get(entry.requestId);
        const from = (((sent?.at ?? 0) - navigationStart) * 1000).toFixed(0);
        const to = ((entry.at - navigationStart) * 1000).toFixed(0);
        console.log(`    ${from.padStart(5)}–${to.padStart(5)} ms ${kb(entry.wire).padStart(9)} ${sent?.url}`);
      }
    }
    return {
      fcpMs: measured.fcp,
      interactiveMs: measured.interactive,
      wireBytes: counted.reduce((sum, entry) => sum + entry.wire, 0),
      rawBytes: counted.reduce((sum, entry) => sum + (rawSizes.get(entry.requestId) ?? 0), 0),
      requests: counted.length,
    };
  } finally {
    await context.close();
  }
}

const ms = (stats: Stats) => `p50 ${stats.p50.toFixed(0)} ms (max ${stats.p99.toFixed(0)}, n=${stats.n})`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** One build of the web app, served by its own API on the bench's database. */
interface Served {
  name: string;
  baseUrl: string;
  close(): Promise<void>;
}

async function serve(name: string, dist: string, settings: ReturnType<typeof createTestSettings>): Promise<Served> {
  // A private copy of the build, as the e2e stack serves it.
  const webDir = mkdtempSync(path.join(tmpdir(), 'pave-web-bench-'));
  cpSync(dist, webDir, { recursive: true });
  const app = await buildApp(testApiConfig(settings, { WEB_DIST_DIR: webDir }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    name,
    baseUrl: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    async close() {
      await app.close();
      rmSync(webDir, { recursive: true, force: true });
    },
  };
}

function printRoute(label: string, slow: Load[], fast: Load[]): void {
  const fcp = summarise(slow.map((load) => load.fcpMs));
  const interactive = summarise(slow.map((load) => load.interactiveMs));
  const fastFcp = summarise(fast.map((load) => load.fcpMs));
  const fastInteractive = summarise(fast.map((load) => load.interactiveMs));
  const verdict = (value: number, budget: number) => (value <= budget ? 'within budget' : 'OVER budget');
  const last = slow.at(-1)!;
  console.log(`\n${label}`);
  console.log(
    `  first contentful paint: ${ms(fcp)} — budget ${BUDGET.fcpMs} ms, ${verdict(fcp.p50, BUDGET.fcpMs)}; unthrottled ${ms(fastFcp)}`,
  );
  console.log(
    `  interactive:            ${ms(interactive)} — budget ${BUDGET.interactiveMs} ms, ${verdict(interactive.p50, BUDGET.interactiveMs)}; unthrottled ${ms(fastInteractive)}`,
  );
  console.log(
    `  transferred until interactive: ${kb(last.wireBytes)} over ${last.requests} requests (${kb(last.rawBytes)} uncompressed)`,
  );
}

/**
 * `BENCH_WEB_BASELINE=<dir>[,<dir>…]`: earlier builds (copies of `apps/web/dist`) served beside the current
 * one, their loads alternated with the current build's in the same run, so a change is measured under the
 * same machine load rather than against a figure from another hour.
 */
export async function run(): Promise<void> {
  await globalSetup();
  buildWeb();
  const db = await createTestDatabase();
  const settings = createTestSettings(db.url);
  const builds: Served[] = [];
  const browser = await launchChromium();
  try {
    builds.push(await serve('this build', path.resolve('apps/web/dist'), settings));
    for (const dir of (process.env.BENCH_WEB_BASELINE ?? '').split(',').filter(Boolean)) {
      builds.push(await serve(`baseline build (${dir})`, path.resolve(dir), settings));
    }
    console.log(
      `phone profile: ${PHONE_NETWORK.downloadThroughput * 8} b/s down, ${PHONE_NETWORK.latency} ms latency, ${CPU_SLOWDOWN}× CPU slowdown, 360×740, cold cache; ${ITERATIONS} loads per route${builds.length > 1 ? ' and build' : ''}, alternated with the unthrottled load${builds.length > 1 ? ' and between builds' : ''}`,
    );
    for (const route of ROUTES) {
      const slow = builds.map((): Load[] => []);
      const fast = builds.map((): Load[] => []);
      // One unmeasured load first: the API's own first answers (config, categories) warm up.
      for (const build of builds) await openOnce(browser, build.baseUrl + route.path, route.control, false);
      for (let i = 0; i < ITERATIONS; i += 1) {
        // Which build goes first rotates too: none always follows another.
        const order = builds.map((_, index) => (index + i) % builds.length);
        for (const index of order) {
          const url = builds[index]!.baseUrl + route.path;
          slow[index]!.push(await openOnce(browser, url, route.control, true));
          fast[index]!.push(await openOnce(browser, url, route.control, false));
        }
      }
      builds.forEach((build, index) =>
        printRoute(builds.length > 1 ? `${route.path} — ${build.name}` : route.path, slow[index]!, fast[index]!),
      );
    }
  } finally {
    await browser.close();
    for (const build of builds) await build.close();
    rmSync(settings.storageDir, { recursive: true, force: true });
    await db.drop();
  }
}
