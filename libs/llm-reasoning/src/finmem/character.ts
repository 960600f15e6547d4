/**
 * FinMem's profiling module: the risk character written into every decision prompt. 'self-adaptive' is not a
 * third text but a rule that picks one of the two each day from the agent's own recent realized performance.
 *
 * @see Yu et al. (2023), arXiv:2311.13743, section 3.1 (profiling: risk-seeking, risk-averse and self-adaptive
 *   risk inclination; the self-adaptive agent turns risk-averse when its recent cumulative return is negative).
 */

/** The character asked for on the command line. */
export type Character = 'risk-seeking' | 'risk-averse' | 'self-adaptive';

/** Every character, for flag validation. */
export const CHARACTERS: readonly Character[] = ['risk-seeking', 'risk-averse', 'self-adaptive'];

/** The risk attitude actually written into a prompt on one day. */
export type RiskAttitude = 'risk-seeking' | 'risk-averse';

/** Days of realized agent returns the self-adaptive rule looks back over (the paper's short window). */
export const SELF_ADAPTIVE_WINDOW = 3;

/** Prompt text of each attitude (trusted: written here, never from data). */
export const RISK_PROFILES: Readonly<Record<RiskAttitude, string>> = {
  'risk-seeking':
    'You are a risk-seeking trader. You act on promising signals early, accept short-term drawdowns for larger ' +
    'expected gains, and prefer being in the market when the evidence leans positive.',
  'risk-averse':
    'You are a risk-averse trader. You protect capital first, act only on clear and consistent evidence, and ' +
    'prefer to stay out of the market when signals conflict or recent losses accumulate.',
};

/**
 * The attitude for today.
 * @param character - the configured character.
 * @param recentReturns - the agent's realized daily returns so far (fractions, oldest first); only the last
 *   {@link SELF_ADAPTIVE_WINDOW} are used, and only by 'self-adaptive'.
 * @returns the fixed attitude, or for 'self-adaptive': 'risk-averse' when the cumulative return of the window is
 *   negative, 'risk-seeking' otherwise (also with no history yet).
 * @throws never.
 * @see FinMem section 3.1 (self-adaptive character).
 * @example
 * resolveAttitude('self-adaptive', [0.01, -0.03, 0.005]); // 'risk-averse' (1.01·0.97·1.005 − 1 < 0)
 */
export function resolveAttitude(character: Character, recentReturns: readonly number[]): RiskAttitude {
  if (character !== 'self-adaptive') return character;
  const window = recentReturns.slice(-SELF_ADAPTIVE_WINDOW);
  const cumulative = window.reduce((growth, r) => growth * (1 + r), 1) - 1;
  return cumulative < 0 ? 'risk-averse' : 'risk-seeking';
}
