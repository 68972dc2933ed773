// Small statistics shared by the benchmark scripts: each prints its figures with the
// target beside them, so a reader sees at once which are met.

/** The sample at quantile `q` (0–1) by the nearest-rank method; no interpolation between samples. */
export function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export const median = (samples: number[]) => quantile(samples, 0.5);

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export const check = (value: number, op: '>=' | '<=', limit: number, unit: string) => ({
  value: round(value),
  target: `${op} ${round(limit, 4)} ${unit}`,
  met: op === '>=' ? value >= limit : value <= limit,
});
