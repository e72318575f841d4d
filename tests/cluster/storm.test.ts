import { describe, expect, it } from 'vitest';
import { duringFault, isServerFailure, runStorm } from '../support/storm';

// The short storm of bench/storm.bench.ts (issue #18): 45 s of reports with photos, tiles, live-map
// clients and staff transitions through nginx to 3 APIs and 2 workers, while one API, one worker and
// Redis are killed and brought back. Timings are the bench's business; here only what must never happen.
describe('a storm with faults', () => {
  it('loses no report, routes every one once, drains its queue and fails no request away from the faults', async () => {
    // Each photo goes through face detection, about half a second of one core (docs/adr/0014). Two idle
    // workers keep up with 2.5 photos/s (docs/deploy.md), but here the other test files share the two
    // cores, so photos are held to "none lost or failed", not to "all done within 30 s".
    // Routing has its own queue (docs/adr/0013) and must be done, photo backlog or not.
    const storm = await runStorm({ seconds: 45, sseClients: 50, drainMs: 120_000, photoDrainMs: 30_000 });
    console.info(
      `storm: ${storm.filed.length} reports filed, drained ${storm.drainedAfterMs === null ? 'NOT' : `after ${storm.drainedAfterMs} ms`}: ${storm.drainState}`,
    );

    expect(storm.windows.map((w) => w.fault)).toHaveLength(3);
    expect(storm.filed.length).toBeGreaterThan(80);
    expect(storm.gaveUp).toBe(0);
    expect(storm.missing).toEqual([]);
    expect(storm.lost).toBe(0);
    expect(storm.inDatabase).toBe(storm.filed.length);
    expect(storm.routedTwice).toBe(0);
    expect(storm.routed).toBe(storm.filed.length);
    expect(storm.drainState).toMatch(/^outbox 0, queue 0 /);
    expect(storm.drainedAfterMs).not.toBeNull();
    expect(storm.photos.failed).toBe(0);
    expect(storm.photos.ready + storm.photos.pending).toBe(storm.filed.length);
    expect(storm.photos.ready).toBeGreaterThan(0);
    const outside = storm.answers.filter((a) => isServerFailure(a) && !duringFault(a, storm.windows));
    expect(outside.map((a) => `${a.route} ${a.status} ${a.upstream}`)).toEqual([]);
  }, 420_000);
});
