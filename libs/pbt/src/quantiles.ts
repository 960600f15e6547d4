/**
 * PBT's ranking step: which members are in the bottom quantile (they will exploit) and which are in the top
 * quantile (they may be copied).
 */

/** A member's latest score, as the ranking sees it. */
export interface ScoredMember {
  readonly memberId: number;
  readonly score: number;
}

/** Bottom and top quantile member ids, each ordered from worst to best. */
export interface Quantiles {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/**
 * Splits the scored members into the bottom and top `quantileFraction` of the population.
 * The quantile size is ceil(n · quantileFraction), capped at floor(n / 2) so the two never overlap; with
 * fewer than two members there is nothing to compare and both are empty. Ties rank by member id (lower id
 * ranks lower) so the split is deterministic.
 *
 * @param members - members that have a score (not mutated).
 * @param quantileFraction - fraction in [0, 0.5].
 * @param goal - 'maximize' (higher scores are better) or 'minimize'.
 * @returns the ids in the lower and upper quantiles.
 * @throws never.
 * @see Ray Tune `python/ray/tune/schedulers/pbt.py`, `PopulationBasedTraining._quantiles`.
 * @example
 * quantiles([{ memberId: 0, score: 3 }, { memberId: 1, score: 1 }, { memberId: 2, score: 2 }, { memberId: 3, score: 4 }], 0.25, 'maximize');
 * // { lower: [1], upper: [3] }   (ceil(4 · 0.25) = 1 member each)
 */
export function quantiles(members: readonly ScoredMember[], quantileFraction: number, goal: 'maximize' | 'minimize'): Quantiles {
  if (members.length <= 1) return { lower: [], upper: [] };
  const sign = goal === 'maximize' ? 1 : -1;
  const ranked = [...members].sort((a, b) => sign * (a.score - b.score) || a.memberId - b.memberId).map((m) => m.memberId);
  const size = Math.min(Math.ceil(ranked.length * quantileFraction), Math.floor(ranked.length / 2));
  return { lower: ranked.slice(0, size), upper: size === 0 ? [] : ranked.slice(-size) };
}
