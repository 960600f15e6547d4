import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FeatureScaler } from './featureScaler.js';

describe('FeatureScaler', () => {
  it('standardises with the mean and sample sd of everything seen so far, this value included', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 50 }), (values) => {
        const scaler = new FeatureScaler(1);
        const out = new Float64Array(1);
        values.forEach((v, i) => {
          scaler.transform([v], out);
          const seen = values.slice(0, i + 1);
          const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
          const sd = seen.length > 1 ? Math.sqrt(seen.reduce((a, b) => a + (b - mean) ** 2, 0) / (seen.length - 1)) : 0;
          const z = sd > 1e-9 ? Math.max(-5, Math.min(5, (v - mean) / sd)) : out[0]!;
          expect(out[0]).toBeCloseTo(z, 6);
        });
      }),
    );
  });

  it('returns 0 for the first value and clips at ±5', () => {
    const scaler = new FeatureScaler(2);
    const out = new Float64Array(2);
    expect([...scaler.transform([3, 4], out)]).toEqual([0, 0]);
    for (let i = 0; i < 100; i++) scaler.transform([i % 2, 0], out);
    expect(scaler.transform([1e6, 0], out)[0]).toBe(5);
  });

  it('snapshot → JSON → restore continues identically; a wrong size is a StateError', () => {
    const full = new FeatureScaler(2);
    const first = new FeatureScaler(2);
    const out = new Float64Array(2);
    for (let i = 0; i < 10; i++) {
      full.transform([i, i * i], out);
      first.transform([i, i * i], out);
    }
    const resumed = new FeatureScaler(2);
    resumed.restore(JSON.parse(JSON.stringify(first.snapshot())));
    for (let i = 10; i < 20; i++) expect([...resumed.transform([i, -i], new Float64Array(2))]).toStrictEqual([...full.transform([i, -i], out)]);
    expect(() => new FeatureScaler(3).restore(first.snapshot())).toThrow(/field "size" is 2/);
  });
});
