import { describe, expect, it } from 'vitest';
import { FeaturePipeline } from '@trading-ml/market-data';
import type { OnlineRegressor } from '@trading-ml/online-models';
import { MEDIUM_HORIZON, ModelBank } from './modelBank.js';
import { realFourHourBars } from './testing/realBars.js';

/** A regressor that records the bar index of every predict and every update (the clock is set by the test). */
function spy(clock: { index: number }) {
  const predicts: number[] = [];
  const updates: number[] = [];
  const make = (nFeatures: number): OnlineRegressor => ({
    nFeatures,
    get nUpdates() {
      return updates.length;
    },
    predict() {
      predicts.push(clock.index);
      return 0.01;
    },
    update(x, y) {
      expect(x.length).toBe(nFeatures);
      expect(Number.isFinite(y)).toBe(true);
      updates.push(clock.index);
    },
    snapshot: () => null,
    restore: () => undefined,
  });
  return { make, predicts, updates };
}

describe('ModelBank schedule (1 / 6 / 42)', () => {
  const bars = realFourHourBars().slice(0, 700);

  it('no learner ever receives a label before it is realized: update k happens exactly h bars after forecast k', () => {
    const clock = { index: -1 };
    const [sgd, rls, medium] = [spy(clock), spy(clock), spy(clock)];
    const bank = new ModelBank({
      sgdLearningRate: 0.01,
      rlsForgettingFactor: 0.995,
      useSentiment: false,
      learners: { sgd: sgd.make, rls: rls.make, medium: medium.make },
    });
    const pipeline = new FeaturePipeline({ barsPerDay: 6, mediumEvery: 6, slowEvery: 42 });
    const mediumRefreshes: number[] = [];
    bars.forEach((bar, i) => {
      clock.index = i;
      const features = pipeline.update(bar);
      if (features.updated.medium && features.medium !== null) mediumRefreshes.push(i);
      bank.step(bar, features, null);
    });
    for (const [learner, h] of [
      [sgd, 1],
      [rls, 1],
      [medium, MEDIUM_HORIZON],
    ] as const) {
      expect(learner.updates.length).toBeGreaterThan(50);
      learner.updates.forEach((at, k) => {
        // the label of the forecast made at bar p is the return from close p to close p + h: known at p + h
        expect(at).toBe(learner.predicts[k]! + h);
      });
      // everything forecast more than h bars before the end has been learned, nothing more
      expect(learner.updates.length).toBe(learner.predicts.filter((p) => p + h <= bars.length - 1).length);
    }
    // fast learners forecast every bar once warm; the medium one only when the medium features refresh
    expect(sgd.predicts.length).toBeGreaterThan(bars.length - 40);
    expect(medium.predicts).toEqual(mediumRefreshes.filter((i) => medium.predicts.includes(i)));
    for (let k = 1; k < medium.predicts.length; k++) expect(medium.predicts[k]! - medium.predicts[k - 1]!).toBe(6);
  });

  it('fills the method context with volatility, forecasts and a regime posterior known at the close', () => {
    const bank = new ModelBank({ sgdLearningRate: 0.01, rlsForgettingFactor: 0.995, useSentiment: true });
    const pipeline = new FeaturePipeline({ barsPerDay: 6 });
    let context = bank.step(bars[0]!, pipeline.update(bars[0]!), 0);
    expect(context.volatility).toBeNull();
    for (let i = 1; i < 400; i++) context = bank.step(bars[i]!, pipeline.update(bars[i]!), 0.1);
    expect(context.bar).toBe(bars[399]);
    expect(context.volatility).toBeGreaterThan(0);
    expect(context.volatility).toBeLessThan(0.2);
    expect(Number.isFinite(context.sgdForecast)).toBe(true);
    expect(Number.isFinite(context.rlsForecast)).toBe(true);
    expect(Number.isFinite(context.mediumForecast)).toBe(true);
    expect(context.regimePosterior).not.toBeNull();
    expect(context.regimePosterior!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(context.sentiment).toBe(0.1);
  });

  it('snapshot → JSON → restore continues identically, before and after the HMM exists', () => {
    const contexts = (bank: ModelBank, pipeline: FeaturePipeline, from: number, to: number) => {
      const out: unknown[] = [];
      for (let i = from; i < to; i++) {
        const c = bank.step(bars[i]!, pipeline.update(bars[i]!), 0.01 * (i % 7));
        out.push([c.volatility, c.sgdForecast, c.rlsForecast, c.mediumForecast, c.regimePosterior]);
      }
      return out;
    };
    const make = () => new ModelBank({ sgdLearningRate: 0.01, rlsForgettingFactor: 0.995, useSentiment: true });
    const full = contexts(make(), new FeaturePipeline({ barsPerDay: 6 }), 0, 300);
    for (const cut of [30, 203]) {
      const pipeline = new FeaturePipeline({ barsPerDay: 6 });
      const first = make();
      contexts(first, pipeline, 0, cut);
      const resumed = make();
      resumed.restore(JSON.parse(JSON.stringify(first.snapshot())));
      expect(resumed.barsSeen).toBe(cut);
      expect(contexts(resumed, pipeline, cut, 300)).toStrictEqual(full.slice(cut));
    }
    const bank = make();
    const state = JSON.parse(JSON.stringify(bank.snapshot()));
    state.medium.pending = [{ x: [0, 0, 0, 0, 0, 0], index: 1, close: -3, scale: 1 }];
    expect(() => bank.restore(state)).toThrow(/field "medium.pending.0.close" is -3/);
  });

  it('changes the learning rate and forgetting factor through the learners', () => {
    const bank = new ModelBank({ sgdLearningRate: 0.01, rlsForgettingFactor: 0.995, useSentiment: false });
    bank.setSgdLearningRate(0.05);
    bank.setRlsForgettingFactor(0.98);
    const state = bank.snapshot();
    expect((state.sgd.learner as { learningRate: number }).learningRate).toBe(0.05);
    expect((state.rls.learner as { forgettingFactor: number }).forgettingFactor).toBe(0.98);
    expect((state.medium.learner as { forgettingFactor: number }).forgettingFactor).toBe(0.98);
  });
});
