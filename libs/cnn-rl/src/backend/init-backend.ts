import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ConfigError } from '@trading-ml/core';
import { registerWasmTrainingKernels } from './wasm-training-kernels.js';

/** A TensorFlow.js backend this library can run on, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Which backend {@link initBackend} activated, and why the faster ones were passed over. */
export interface BackendInfo {
  /** The active tfjs backend. */
  readonly name: BackendName;
  /** One line: what was tried and why this one runs (e.g. "tfjs-node not installed (...); wasm (SIMD)"). */
  readonly reason: string;
}

const ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The folder holding the wasm backend's .wasm binaries, as a file path (Emscripten reads it with node:fs). */
function wasmBinaryFolder(): string {
  const require = createRequire(import.meta.url);
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return text.split('\n')[0] ?? text;
}

async function tryTensorflow(): Promise<string> {
  // a variable specifier: tfjs-node is optional and has no types here; importing it registers 'tensorflow'
  const specifier = '@tensorflow/tfjs-node';
  await import(specifier);
  if (!(await tf.setBackend('tensorflow'))) throw new Error("tfjs-node loaded but backend 'tensorflow' did not initialise");
  return 'tfjs-node (libtensorflow, native)';
}

async function tryWasm(): Promise<string> {
  const folder = wasmBinaryFolder();
  setWasmPaths(folder);
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error(`backend 'wasm' did not initialise from ${folder}`);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multi-threaded' : 'single-threaded'}; training kernels: Conv2DBackpropFilter added, Conv2DBackpropInput and transposed BatchMatMul on XNNPACK)`;
}

async function tryCpu(): Promise<string> {
  if (!(await tf.setBackend('cpu'))) throw new Error("backend 'cpu' did not initialise");
  return 'cpu (plain JavaScript)';
}

const ATTEMPTS: Readonly<Record<BackendName, () => Promise<string>>> = { tensorflow: tryTensorflow, wasm: tryWasm, cpu: tryCpu };

/**
 * Activates the fastest TensorFlow.js backend that loads: tfjs-node ('tensorflow') when it is installed, else the
 * WebAssembly backend (binaries read offline from node_modules, plus the training kernel it lacks), else 'cpu'.
 *
 * Call once before building models; models built earlier keep their weights on the backend they were made on.
 *
 * @param options.prefer - start the search at this backend (skipping faster ones); falls back down the list
 *   'tensorflow' → 'wasm' → 'cpu' when it does not load. Default 'tensorflow'.
 * @returns the active backend and one line saying why (print it: results on different backends differ in the last
 *   float32 digits).
 * @throws ConfigError when `prefer` is not one of 'tensorflow', 'wasm', 'cpu'.
 * @see https://github.com/tensorflow/tfjs/tree/master/tfjs-backend-wasm (setWasmPaths)
 * @example
 * const backend = await initBackend({ prefer: 'wasm' });
 * console.log(`tfjs backend: ${backend.name} — ${backend.reason}`);
 */
export async function initBackend(options: { prefer?: BackendName } = {}): Promise<BackendInfo> {
  const prefer = options.prefer ?? 'tensorflow';
  const start = ORDER.indexOf(prefer);
  if (start < 0) throw new ConfigError({ parameter: 'prefer', value: prefer, expected: "'tensorflow', 'wasm' or 'cpu'" });
  const skipped: string[] = [];
  for (const name of ORDER.slice(start)) {
    try {
      const how = await ATTEMPTS[name]();
      return { name, reason: [...skipped, how].join('; ') };
    } catch (error) {
      skipped.push(`${name} unavailable (${errorText(error)})`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised: ${skipped.join('; ')}`);
}
