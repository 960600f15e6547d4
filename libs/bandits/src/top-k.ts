// Internal: indices of the k largest scores, best first (not part of the public API).

/**
 * Indices of the `k` largest entries of `scores`, largest first; ties go to the lower index.
 *
 * Partial selection, O(k·n): for the arm counts bandits see (tens) this beats sorting and allocates only the
 * result. `taken` is caller-owned scratch of length ≥ n, all zeros on entry and on return.
 *
 * @param scores - one score per arm, [nArms]; NaN ranks below every number.
 * @param k - number of indices, 1 ≤ k ≤ scores.length (the caller validates).
 * @param taken - scratch flags, [nArms].
 * @returns k distinct indices, best first.
 */
export function topK(scores: Float64Array, k: number, taken: Uint8Array): number[] {
  const n = scores.length;
  const out = new Array<number>(k);
  for (let j = 0; j < k; j++) {
    let best = -1;
    let bestScore = Number.NaN;
    for (let i = 0; i < n; i++) {
      if (taken[i] === 1) continue;
      const s = scores[i]!;
      // NaN loses to every number (s === s is false only for NaN), even to −∞.
      if (best === -1 || s > bestScore || (bestScore !== bestScore && s === s)) {
        best = i;
        bestScore = s;
      }
    }
    out[j] = best;
    taken[best] = 1;
  }
  for (let j = 0; j < k; j++) taken[out[j]!] = 0;
  return out;
}
