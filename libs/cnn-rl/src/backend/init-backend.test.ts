import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '@trading-ml/core';
import { describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import type { BackendName } from './init-backend.js';

describe('initBackend', () => {
  it('falls back from tfjs-node (not installable here) to wasm and says why', async () => {
    const info = await initBackend();
    expect(['tensorflow', 'wasm']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    if (info.name === 'wasm') expect(info.reason).toMatch(/^tensorflow unavailable \(.*tfjs-node.*\); wasm \(/);
  });

  it('honours prefer: cpu and wasm', async () => {
    expect((await initBackend({ prefer: 'cpu' })).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend({ prefer: 'wasm' });
    expect(wasm.name).toBe('wasm');
    expect(wasm.reason).toMatch(/Conv2DBackpropFilter/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend name', async () => {
    await expect(initBackend({ prefer: 'webgpu' as BackendName })).rejects.toThrow(ConfigError);
  });
});
