import type { Pool } from '@pave/core';

/** Timing helpers shared by the benchmarks: every figure is measured in the run that prints it. */
export interface Stats {
  n: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  mean: number;
  min: number;
}

/** Runs `fn` `warmup` times unmeasured, then `iterations` times, and returns timings in milliseconds. */
export async function measure(fn: () => Promise<unknown>, { iterations = 20, warmup = 3 } = {}): Promise<Stats> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return summarise(times);
}

export function summarise(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    n: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    mean: sorted.reduce((s, t) => s + t, 0) / sorted.length,
    min: sorted[0]!,
  };
}

/** Prints one comparison: the measured thing, its baseline from the same run, and the ratio against a target. */
export function report(
  name: string,
  subject: Stats,
  baseline: Stats,
  target?: { maxRatio?: number; minRatio?: number },
): void {
  const ratio = subject.p50 / baseline.p50;
  const verdict =
    target?.maxRatio !== undefined
      ? ratio <= target.maxRatio
        ? `within target ≤ ${target.maxRatio}×`
        : `OVER target ≤ ${target.maxRatio}×`
      : target?.minRatio !== undefined
        ? ratio >= target.minRatio
          ? `within target ≥ ${target.minRatio}×`
          : `UNDER target ≥ ${target.minRatio}×`
        : '';
  console.log(
    `${name}: p50 ${subject.p50.toFixed(1)} ms (p90 ${subject.p90.toFixed(1)}, n=${subject.n}) vs baseline p50 ${baseline.p50.toFixed(1)} ms → ${ratio.toFixed(2)}× ${verdict}`,
  );
}

/**
 * Times a subject and its baseline alternately in ABBA order, so drifting machine load falls on both
 * alike and neither always runs right after the other: two back-to-back blocks would compare a busy
 * minute with a quiet one. Returns both distributions in milliseconds.
 */
export async function measurePair(
  subject: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  { iterations = 20, warmup = 3 } = {},
): Promise<{ subject: Stats; baseline: Stats }> {
  for (let i = 0; i < warmup; i += 1) {
    await subject();
    await baseline();
  }
  const times = { subject: [] as number[], baseline: [] as number[] };
  const time = async (fn: () => Promise<unknown>, into: number[]) => {
    const start = performance.now();
    await fn();
    into.push(performance.now() - start);
  };
  for (let i = 0; i < iterations; i += 1) {
    if (i % 2 === 0) {
      await time(subject, times.subject);
      await time(baseline, times.baseline);
    } else {
      await time(baseline, times.baseline);
      await time(subject, times.subject);
    }
  }
  return { subject: summarise(times.subject), baseline: summarise(times.baseline) };
}

/**
 * `measurePair` for more than one baseline: each round runs every function once, in an order rotated
 * from round to round, so drifting machine load falls on all of them alike. Returns one distribution
 * per function, in milliseconds, in the order given.
 */
export async function measureRotated(
  fns: readonly (() => Promise<unknown>)[],
  { iterations = 20, warmup = 3 } = {},
): Promise<Stats[]> {
  for (let i = 0; i < warmup; i += 1) for (const fn of fns) await fn();
  const times = fns.map(() => [] as number[]);
  for (let i = 0; i < iterations; i += 1) {
    for (let k = 0; k < fns.length; k += 1) {
      const which = (i + k) % fns.length;
      const start = performance.now();
      await fns[which]!();
      times[which]!.push(performance.now() - start);
    }
  }
  return times.map(summarise);
}

/** One SQL statement as a repository sent it. */
export interface CapturedQuery {
  text: string;
  values: unknown[];
}

/**
 * Runs `call` with a pool that records the last statement it is sent (and still runs it), so a bench
 * can time the exact SQL and parameters a service sends as the raw baseline of that service.
 */
export async function captureQuery<T>(
  pool: Pool,
  call: (db: Pool) => Promise<T>,
): Promise<{ result: T; sql: CapturedQuery }> {
  const { result, sql } = await captureQueries(pool, call);
  return { result, sql: sql.at(-1)! };
}

/** `captureQuery` for a service that may send several statements in turn: all of them, in order. */
export async function captureQueries<T>(
  pool: Pool,
  call: (db: Pool) => Promise<T>,
): Promise<{ result: T; sql: CapturedQuery[] }> {
  const captured: CapturedQuery[] = [];
  const capturing = {
    query: (text: string, values: unknown[]) => {
      captured.push({ text, values });
      return pool.query(text, values);
    },
  } as unknown as Pool;
  const result = await call(capturing);
  if (captured.length === 0) throw new Error('captureQuery: the call sent no query');
  return { result, sql: captured };
}
