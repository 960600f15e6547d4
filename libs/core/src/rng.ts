import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { parseState } from './state.js';

/** Plain-data state of an {@link Rng}: enough to continue the exact same stream after `Rng.restore`. */
export interface RngState {
  readonly seed: number;
  readonly path: string;
  readonly generator: readonly number[];
  readonly spareNormal: number | null;
}

/**
 * zod schema of {@link RngState} (xoroshiro128+'s four 32-bit words), for snapshots that embed an Rng:
 * a value it accepts restores with `Rng.restore` without further checks.
 */
export const rngStateSchema = z.object(
  {
    seed: z.int({ error: 'an integer' }),
    path: z.string({ error: 'a string' }),
    generator: z.array(z.int({ error: 'an integer' }), { error: 'an array of 4 integers' }).length(4, 'an array of 4 integers'),
    spareNormal: z.number({ error: 'a finite number or null' }).nullable(),
  },
  { error: 'an Rng snapshot { seed, path, generator, spareNormal }' },
);

/** 32-bit FNV-1a hash, used to derive stream seeds from labels. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * A seeded random stream (xoroshiro128+ from pure-rand) with the distributions the learners need.
 *
 * One seed reproduces a whole run: the app makes one root `Rng` and hands each consumer its own stream with
 * `derive(label)`. A derived stream depends only on the root seed and the label path, not on how much of the
 * parent was consumed, so adding a consumer never shifts another consumer's numbers.
 *
 * @example
 * const root = Rng.fromSeed(42);
 * const agent0 = root.derive('agent/0');
 * agent0.float(); // a number in [0, 1), the same on every run with seed 42
 */
export class Rng {
  private generator: JumpableRandomGenerator;
  private spareNormal: number | null = null;
  /** The root seed this stream descends from. */
  readonly seed: number;
  /** The label path from the root, e.g. 'agent/3/bandit'. Empty for the root. */
  readonly path: string;

  private constructor(seed: number, path: string, generator: JumpableRandomGenerator) {
    this.seed = seed;
    this.path = path;
    this.generator = generator;
  }

  /**
   * A root stream.
   * @param seed - any safe integer.
   * @throws ConfigError when the seed is not a safe integer.
   */
  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed)) throw new ConfigError({ parameter: 'seed', value: seed, expected: 'a safe integer' });
    return new Rng(seed, '', xoroshiro128plus(fnv1a(`seed:${seed}`) ^ (seed | 0)));
  }

  /** Continues a stream from {@link Rng.snapshot}. @throws StateError on a malformed state. */
  static restore(state: RngState): Rng {
    const s = parseState('Rng', rngStateSchema, state);
    const rng = new Rng(s.seed, s.path, xoroshiro128plusFromState(s.generator));
    rng.spareNormal = s.spareNormal;
    return rng;
  }

  /** The stream's state as plain data. */
  snapshot(): RngState {
    return { seed: this.seed, path: this.path, generator: [...this.generator.getState()], spareNormal: this.spareNormal };
  }

  /** An independent child stream named `label` (depends on root seed and path only). */
  derive(label: string): Rng {
    const path = this.path === '' ? label : `${this.path}/${label}`;
    return new Rng(this.seed, path, xoroshiro128plus(fnv1a(`${this.seed}|${path}`)));
  }

  /** Uniform on [0, 1), 53 random bits. */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform integer on [min, max], both included. */
  int(min: number, max: number): number {
    return uniformInt(this.generator, min, max);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /**
   * Normal draw by the Marsaglia polar method (spare value cached, and part of the snapshot).
   * @see G. Marsaglia, T. A. Bray (1964), "A convenient method for generating normal variables", SIAM Review 6(3).
   */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.float() - 1;
      v = 2 * this.float() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return mean + sd * u * factor;
  }

  /**
   * Gamma(shape, scale) draw; mean shape·scale.
   * @see G. Marsaglia, W. W. Tsang (2000), "A simple method for generating gamma variables", ACM TOMS 26(3);
   *   shape < 1 uses the boost Gamma(shape+1)·U^(1/shape) from the same paper.
   * @throws ConfigError when shape or scale is not positive and finite.
   */
  gamma(shape: number, scale = 1): number {
    if (!(shape > 0) || !Number.isFinite(shape) || !(scale > 0) || !Number.isFinite(scale)) {
      throw new ConfigError({ parameter: 'gamma(shape, scale)', value: [shape, scale], expected: 'two positive finite numbers' });
    }
    if (shape < 1) {
      const u = this.float();
      return this.gamma(shape + 1, scale) * Math.pow(u === 0 ? Number.MIN_VALUE : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.float();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** Beta(alpha, beta) draw as X/(X+Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
  beta(alpha: number, beta: number): number {
    const x = this.gamma(alpha);
    const y = this.gamma(beta);
    return x / (x + y);
  }
}
