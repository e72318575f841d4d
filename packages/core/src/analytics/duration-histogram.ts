/**
 * Durations counted in logarithmic bins, and percentiles estimated from the counts.
 *
 * The council's summary gives the median and 90th percentile of response times per area, team or
 * town. Exact percentiles need every duration sorted, per key and again for the total, and PostgreSQL
 * cannot split that sort across parallel workers: over a year of the 1M-report fixture it was the
 * summary's whole cost. Counting durations per bin is a plain GROUP BY, which parallel workers share
 * and which merges (the total is the sum of the keys' bins). The price is a bounded error: a bin spans
 * a factor of e^(1/BINS_PER_E), and an estimate never leaves the bin that holds the exact value.
 */

/**
 * Bins per factor e: bin b ≥ 0 holds [e^(b/20), e^((b+1)/20)) seconds, a span of 5.13 %. Forty bins
 * (2.53 %) cost the summary a tenth more time on the 1M fixture, for errors that were already a few
 * tenths of a percent in the median: the bound is loose, the estimate placed inside the bin is not.
 */
export const BINS_PER_E = 20;

/**
 * The largest relative error of an estimated percentile: the span of one bin (5.13 %). Durations under
 * one second share bin −1 ([0, 1) s), where the error is under one second instead.
 */
export const DURATION_RELATIVE_ERROR = Math.expm1(1 / BINS_PER_E);

/** The bin of a duration in seconds, as SQL over a float8 expression (NULL stays NULL). */
export function durationBinSql(seconds: string): string {
  return `CASE WHEN (${seconds}) < 1 THEN -1 ELSE floor(ln(${seconds}) * ${BINS_PER_E})::int END`;
}

function binBounds(bin: number): [number, number] {
  return bin < 0 ? [0, 1] : [Math.exp(bin / BINS_PER_E), Math.exp((bin + 1) / BINS_PER_E)];
}

/**
 * Percentiles (fractions in 0..1) of the durations counted in `bins` (bin → count), estimated as
 * PostgreSQL's percentile_cont computes them exactly: the value at rank p × (n − 1), interpolated
 * between the two nearest ranks. A rank's value is placed inside its bin as if the bin's values were
 * spread evenly over it (geometrically; linearly in bin −1). Null when nothing was counted.
 */
export function percentilesFromBins(bins: ReadonlyMap<number, number>, fractions: readonly number[]): number[] | null {
  const sorted = [...bins].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const n = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (n === 0) return null;
  const valueAt = (rank: number): number => {
    let before = 0;
    for (const [bin, count] of sorted) {
      if (rank < before + count) {
        const [low, high] = binBounds(bin);
        const position = (rank - before + 0.5) / count;
        return bin < 0 ? low + (high - low) * position : low * (high / low) ** position;
      }
      before += count;
    }
    return binBounds(sorted[sorted.length - 1]![0])[1];
  };
  return fractions.map((p) => {
    const rank = p * (n - 1);
    const below = Math.floor(rank);
    const lowValue = valueAt(below);
    return rank === below ? lowValue : lowValue + (rank - below) * (valueAt(below + 1) - lowValue);
  });
}

/** Adds `counts` (parallel to `bins`) into `into`, for merging keys' bins into a total. */
export function addBins(into: Map<number, number>, bins: readonly number[], counts: readonly number[]): void {
  bins.forEach((bin, i) => into.set(bin, (into.get(bin) ?? 0) + counts[i]!));
}
