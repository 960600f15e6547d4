import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@trading-ml/core';
import { OnlineRidge } from '@trading-ml/online-models';
import type { OnlineRegressor } from '@trading-ml/online-models';
import { DelayedLabelLearner } from './delayedLabelLearner.js';

/** A learner that records the clock at every update. */
function spyLearner(clock: { now: number }, nFeatures: number) {
  const updates: Array<{ at: number; x: number[]; y: number }> = [];
  const learner: OnlineRegressor = {
    nFeatures,
    get nUpdates() {
      return updates.length;
    },
    predict: () => 0,
    update(x, y) {
      updates.push({ at: clock.now, x: Array.from(x), y });
    },
    snapshot: () => null,
    restore: () => undefined,
  };
  return { learner, updates };
}

describe('DelayedLabelLearner', () => {
  it.each([1, 6])('feeds an h = %i label only at the close of bar i + h, with y = (c_{i+h}/c_i − 1)/s_i', (h) => {
    const clock = { now: 0 };
    const { learner, updates } = spyLearner(clock, 1);
    const delayed = new DelayedLabelLearner({ learner, horizon: h });
    const rng = Rng.fromSeed(5);
    const closes: number[] = [];
    const pushedAt: number[] = [];
    for (let i = 0; i < 60; i++) {
      clock.now = i;
      closes.push(100 * Math.exp(rng.normal(0, 0.1)));
      delayed.realize(i, closes[i]!);
      if (i % h === 0 || h === 1) {
        delayed.push([i], i, closes[i]!, 0.5);
        pushedAt.push(i);
      }
    }
    for (const update of updates) {
      const i = update.x[0]!; // the feature is the index it was made at
      expect(update.at).toBe(i + h); // never before the label's last bar has closed, and not later
      expect(update.y).toBeCloseTo((closes[i + h]! / closes[i]! - 1) / 0.5, 12);
    }
    expect(updates.length).toBe(pushedAt.filter((i) => i + h < 60).length);
    expect(delayed.pending).toBe(pushedAt.filter((i) => i + h >= 60).length);
  });

  it('rejects a bad horizon and pushes that go backwards', () => {
    const { learner } = spyLearner({ now: 0 }, 1);
    expect(() => new DelayedLabelLearner({ learner, horizon: 0 })).toThrow(ConfigError);
    const delayed = new DelayedLabelLearner({ learner, horizon: 2 });
    delayed.push([1], 3, 1, 1);
    expect(() => delayed.push([1], 3, 1, 1)).toThrow(ConfigError);
  });

  it('snapshot → JSON → restore keeps the pending queue and the learner: the same labels reach it at the same bars', () => {
    const make = () => new DelayedLabelLearner({ learner: new OnlineRidge({ nFeatures: 2, lambda: 1 }), horizon: 3 });
    const drive = (d: DelayedLabelLearner, from: number, to: number) => {
      const forecasts: number[] = [];
      for (let i = from; i < to; i++) {
        const close = 100 + 5 * Math.sin(i / 3);
        d.realize(i, close);
        const x = [Math.cos(i), Math.sin(i / 2)];
        forecasts.push(d.predict(x));
        d.push(x, i, close, 0.02);
      }
      return forecasts;
    };
    const full = drive(make(), 0, 40);
    const first = make();
    drive(first, 0, 17);
    expect(first.pending).toBe(3);
    const resumed = make();
    resumed.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(resumed.pending).toBe(3);
    expect(drive(resumed, 17, 40)).toStrictEqual(full.slice(17));
    const state = first.snapshot();
    expect(() => make().restore({ ...state, pending: [...state.pending].reverse() })).toThrow(/field "pending" .*increasing index order/);
    expect(() => make().restore({ ...state, learner: { ...(state.learner as object), weights: [0] } })).toThrow(/field "learner.weights" is \[0\]/);
  });
});
