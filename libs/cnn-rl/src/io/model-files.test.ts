import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataError } from '@trading-ml/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { loadLayersModel, saveLayersModel } from './model-files.js';

let dir: string;
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'model-files-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function smallModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
  return model;
}

describe('saveLayersModel / loadLayersModel', () => {
  it('round-trips weights and metadata through <name>.json + <name>.weights.bin in the tfjs layout', async () => {
    const model = smallModel();
    const paths = await saveLayersModel(model, { dir, name: 'm', metadata: { answer: 42 } });
    expect(paths.json).toBe(join(dir, 'm.json'));
    const json = JSON.parse(await readFile(paths.json, 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['m.weights.bin']);
    expect(json.format).toBe('layers-model');
    const { model: loaded, metadata } = await loadLayersModel({ dir, name: 'm' });
    expect(metadata).toEqual({ answer: 42 });
    const input = tf.tensor2d([[0.5, -2]]);
    expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(input) as tf.Tensor).dataSync()));
    tf.dispose(input);
    model.dispose();
    loaded.dispose();
  });

  it('rejects a truncated weights file and a malformed model.json with DataError naming the file', async () => {
    const model = smallModel();
    const paths = await saveLayersModel(model, { dir, name: 'bad' });
    model.dispose();
    const weights = await readFile(paths.weights);
    await writeFile(paths.weights, weights.subarray(0, weights.byteLength - 4));
    await expect(loadLayersModel({ dir, name: 'bad' })).rejects.toThrow(/bad\.weights\.bin.*expected 36 bytes/);
    await writeFile(paths.json, JSON.stringify({ modelTopology: {} }));
    await expect(loadLayersModel({ dir, name: 'bad' })).rejects.toThrow(DataError);
    await expect(loadLayersModel({ dir, name: 'missing' })).rejects.toThrow(/missing\.json/);
  });
});
