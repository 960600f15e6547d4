import { describe, it, expect } from 'vitest';
import { ConfigError } from '@trading-ml/core';
import { RUN_KEY, decodeRunSpec, encodeRunSpec, windowBounds } from './run-spec.js';
import type { RunSpec } from './run-spec.js';

const DAY = 86_400_000;
const spec: RunSpec = {
  dataDir: '/data',
  symbols: ['BTC/USDT', 'ETH/USDT'],
  timeframe: '4h',
  start: Date.UTC(2024, 0, 1),
  end: Date.UTC(2024, 2, 1),
  windows: 3,
  agents: 5,
  fitness: 'sharpe-dd-cap',
  drawdownCap: 0.2,
};

describe('walk-forward windows', () => {
  it('cuts [start, end) into equal windows on the bar grid', () => {
    // 6 days of 1d bars into 3 windows: Jan 1, 3, 5, 7
    expect(windowBounds(Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 7), 3, '1d')).toEqual([0, 2, 4, 6].map((d) => Date.UTC(2024, 0, 1) + d * DAY));
    // 10 four-hour bars into 3 windows: round(10/3) = 3, round(20/3) = 7 bars in → boundaries at 0, 3, 7, 10 bars
    const h4 = 4 * 3_600_000;
    expect(windowBounds(0, 10 * h4, 3, '4h')).toEqual([0, 3 * h4, 7 * h4, 10 * h4]);
  });

  it('refuses windows of fewer than two bars', () => {
    expect(() => windowBounds(0, 5 * 86_400_000, 3, '1d')).toThrow(ConfigError);
  });
});

describe('run description carried as a hyperparameter', () => {
  it('round-trips', () => {
    expect(decodeRunSpec({ discount: 0.9, [RUN_KEY]: encodeRunSpec(spec) })).toEqual(spec);
  });

  it('rejects a missing, non-JSON or invalid description, naming hyperparameters.run', () => {
    expect(() => decodeRunSpec({})).toThrow(/Invalid hyperparameters\.run/);
    expect(() => decodeRunSpec({ [RUN_KEY]: '{' })).toThrow(/Invalid hyperparameters\.run/);
    expect(() => decodeRunSpec({ [RUN_KEY]: encodeRunSpec({ ...spec, windows: 1 }) })).toThrow(/windows/);
  });
});
