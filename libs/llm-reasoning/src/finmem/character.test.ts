import { describe, expect, it } from 'vitest';
import { resolveAttitude } from './character.js';
import { feedbackSign, targetPosition } from './positions.js';

describe('character', () => {
  it('keeps fixed characters whatever the performance', () => {
    expect(resolveAttitude('risk-seeking', [-0.5, -0.5, -0.5])).toBe('risk-seeking');
    expect(resolveAttitude('risk-averse', [0.5])).toBe('risk-averse');
  });

  it('self-adaptive turns risk-averse when the last 3 realized returns compound below zero', () => {
    expect(resolveAttitude('self-adaptive', [])).toBe('risk-seeking');
    // 1.01 · 0.97 · 1.005 − 1 = −0.01541 < 0
    expect(resolveAttitude('self-adaptive', [0.01, -0.03, 0.005])).toBe('risk-averse');
    // only the last three count: 1.02 · 1.01 · 0.99 − 1 = +0.01990
    expect(resolveAttitude('self-adaptive', [-0.5, 0.02, 0.01, -0.01])).toBe('risk-seeking');
  });
});

describe('positions and feedback', () => {
  it('maps actions to target positions', () => {
    expect(targetPosition('BUY', 0, 'long-flat')).toBe(1);
    expect(targetPosition('SELL', 1, 'long-flat')).toBe(0);
    expect(targetPosition('SELL', 1, 'long-short')).toBe(-1);
    expect(targetPosition('HOLD', -1, 'long-short')).toBe(-1);
  });

  it('rewards calls that the realized move confirmed', () => {
    expect(feedbackSign('BUY', 0.02)).toBe(1);
    expect(feedbackSign('BUY', -0.02)).toBe(-1);
    expect(feedbackSign('SELL', -0.02)).toBe(1);
    expect(feedbackSign('HOLD', 0.05)).toBe(0);
    expect(feedbackSign('BUY', 0)).toBe(0);
  });
});
