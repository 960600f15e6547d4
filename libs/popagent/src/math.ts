/** Clamps x into [low, high]; NaN becomes 0 so a bad input can never open a position. */
export function clip(x: number, low = -1, high = 1): number {
  if (Number.isNaN(x)) return 0;
  return x < low ? low : x > high ? high : x;
}

/** −1, 0 or +1. */
export function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : 0;
}
