/** A round axis maximum ≥ `max` (1, 2, 5 × 10ⁿ), so gridlines fall on readable numbers. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}
