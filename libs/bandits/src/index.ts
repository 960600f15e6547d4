export type { Bandit, TransferableBandit } from './types.js';
export { BetaBernoulliThompson } from './beta-bernoulli-thompson.js';
export type { BetaBernoulliThompsonOptions, BetaBernoulliThompsonState, FractionalRewards } from './beta-bernoulli-thompson.js';
export { GaussianThompson } from './gaussian-thompson.js';
export type { GaussianThompsonOptions, GaussianThompsonState, NormalInverseGamma } from './gaussian-thompson.js';
export { UCB1 } from './ucb1.js';
export type { UCB1Options, UCB1State } from './ucb1.js';
export { RegimeBaseline } from './regime-baseline.js';
export type { RegimeBaselineOptions, RegimeBaselineState, RegimeInput } from './regime-baseline.js';
