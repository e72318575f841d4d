import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBins, BINS_PER_E, DURATION_RELATIVE_ERROR, percentilesFromBins } from './duration-histogram';

/** percentile_cont, exactly: linear interpolation between the two nearest ranks. */
function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const below = Math.floor(rank);
  return sorted[below]! + (sorted[Math.ceil(rank)]! - sorted[below]!) * (rank - below);
}

/** The bins durationBinSql computes, in JavaScript. */
function binsOf(values: number[]): Map<number, number> {
  const bins = new Map<number, number>();
  for (const v of values) {
    const bin = v < 1 ? -1 : Math.floor(Math.log(v) * BINS_PER_E);
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
  }
  return bins;
}

describe('percentiles from logarithmic bins', () => {
  it('states its error bound: one bin, 5.13 %', () => {
    expect(DURATION_RELATIVE_ERROR).toBeCloseTo(0.0513, 4);
  });

  it('stays within the bound of percentile_cont for any durations from one second to a year', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 365 * 86_400, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0, 0.1, 0.5, 0.9, 1),
        (values, p) => {
          const estimate = percentilesFromBins(binsOf(values), [p])![0]!;
          const exact = exactPercentile(values, p);
          expect(Math.abs(estimate - exact)).toBeLessThanOrEqual(exact * DURATION_RELATIVE_ERROR + 1e-9);
        },
      ),
    );
  });

  it('is off by less than a second for durations under one second', () => {
    const values = [0, 0.2, 0.4, 0.9];
    const [median] = percentilesFromBins(binsOf(values), [0.5])!;
    expect(Math.abs(median! - exactPercentile(values, 0.5))).toBeLessThan(1);
  });

  it('is within a fifth of the bound on a realistic spread (log-normal response times, 20,000 reports)', () => {
    // Deterministic log-normal: median 30 h, most between a few hours and two weeks.
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) + 0.5) / 2 ** 31;
    const values = Array.from({ length: 20_000 }, () => {
      const normal = Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
      return 30 * 3600 * Math.exp(normal);
    });
    const [median, p90] = percentilesFromBins(binsOf(values), [0.5, 0.9])!;
    expect(Math.abs(median! / exactPercentile(values, 0.5) - 1)).toBeLessThan(DURATION_RELATIVE_ERROR / 5);
    expect(Math.abs(p90! / exactPercentile(values, 0.9) - 1)).toBeLessThan(DURATION_RELATIVE_ERROR / 5);
  });

  it('merges keys into a total by adding their bins', () => {
    const a = [100, 200, 300];
    const b = [5000, 7000];
    const total = new Map<number, number>();
    for (const part of [a, b]) {
      const bins = binsOf(part);
      addBins(total, [...bins.keys()], [...bins.values()]);
    }
    expect(total).toEqual(binsOf([...a, ...b]));
    expect(Math.abs(percentilesFromBins(total, [0.5])![0]! - 300)).toBeLessThanOrEqual(300 * DURATION_RELATIVE_ERROR);
  });

  it('gives nothing for nothing counted', () => {
    expect(percentilesFromBins(new Map(), [0.5])).toBeNull();
    expect(percentilesFromBins(new Map([[3, 0]]), [0.5])).toBeNull();
  });
});
