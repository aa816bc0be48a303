// Summary figures for latency samples (milliseconds).

/**
 * Nearest-rank percentile: always one of the measured values, never an
 * interpolation between two, so a p99 is a latency some delivery really had.
 * `sorted` must be ascending.
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50, p99, mean and max of a list of samples; rounded so the JSON stays readable. */
export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  const round = (x) => Math.round(x * 1000) / 1000;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.length ? sum / sorted.length : NaN),
    min: round(sorted.length ? sorted[0] : NaN),
    max: round(sorted.length ? sorted[sorted.length - 1] : NaN),
  };
}

/**
 * Attaches the raw samples to a result without serialising them: the chart
 * needs every sample, bench/results/*.json only the summary.
 */
export function withSamples(result, samples) {
  return Object.defineProperty(result, "samples", { value: samples, enumerable: false });
}

/** The samples of a result made by withSamples (empty if it has none). */
export const samplesOf = (result) => result?.samples ?? [];
