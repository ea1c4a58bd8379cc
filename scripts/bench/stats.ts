/** Summary of a sample set (milliseconds unless said otherwise). */
export interface Stats {
  n: number
  median: number
  p95: number
  min: number
  max: number
}

/** Nearest-rank median / p95 / min / max of `samples` (rounded to µs). */
export function stats(samples: number[]): Stats {
  if (samples.length === 0) return { n: 0, median: NaN, p95: NaN, min: NaN, max: NaN }
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!
  const r = (v: number) => Math.round(v * 1000) / 1000
  return { n: s.length, median: r(at(0.5)), p95: r(at(0.95)), min: r(s[0]!), max: r(s[s.length - 1]!) }
}
