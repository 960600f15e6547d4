import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** The attributes tfjs-core passes to a `Conv2DBackpropFilter` kernel (see `conv2d`'s gradient in tfjs-core). */
interface Conv2DBackpropFilterAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly filterShape: [number, number, number, number];
}

/** Runs another registered wasm kernel from inside a kernel, the way the wasm backend's own kernels do. */
function runWasmKernel(name: string, backend: BackendWasm, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`wasm backend has no '${name}' kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/**
 * The filter gradient of a 2-D convolution for the wasm backend, which ships without this kernel (tfjs 4.22), so
 * no Conv1D/Conv2D layer can train there. tfjs implements conv1d as a conv2d over a height-1 image, so this kernel
 * is what Conv1D training needs; `Conv2DBackpropInput` (the input gradient) exists in the wasm backend.
 *
 * dW[kh, kw, ci, co] = Σ_{b, r, c} x[b, r·sh + kh − top, c·sw + kw − left, ci] · dy[b, r, c, co] (zero outside x).
 * Computed as im2col + one matrix product on the wasm backend (XNNPACK): the patches matrix
 * P [B·outH·outW, kh·kw·Cin] is filled in JS straight on the wasm heap, then dW = Pᵀ·dy [kh·kw·Cin, Cout].
 *
 * Only channels-last data (NHWC, the tfjs-layers default) and dilation 1 (tfjs computes no conv gradient for other
 * dilations) are supported.
 *
 * @see K. Chellapilla, S. Puri, P. Simard (2006), "High performance convolutional neural networks for document
 *   processing" (im2col); tfjs-backend-cpu `kernels/Conv2DBackpropFilter.ts` (the reference it is tested against).
 */
function conv2dBackpropFilterWasm(args: { inputs: tf.NamedTensorInfoMap; backend: {}; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  if (attrs.dataFormat !== 'NHWC') {
    throw new Error(`wasm Conv2DBackpropFilter supports dataFormat 'NHWC' only, got '${attrs.dataFormat}'`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rows = batchSize * outHeight * outWidth; // N
  const patchSize = filterHeight * filterWidth * inChannels; // K

  // im2col: P[n, (kh·kw_count + kw)·Cin + ci] = x[b, r·sh + kh − top, c·sw + kw − left, ci], zero in the padding
  const patches = backend.makeOutput([1, rows, patchSize], 'float32'); // [1, N, K]
  const p = backend.typedArrayFromHeap(patches) as Float32Array;
  const xs = backend.typedArrayFromHeap(x) as Float32Array; // [B, H, W, Cin]
  p.fill(0);
  let n = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let r = 0; r < outHeight; r++) {
      for (let c = 0; c < outWidth; c++, n++) {
        const rowOffset = n * patchSize;
        for (let kh = 0; kh < filterHeight; kh++) {
          const xr = r * strideHeight + kh - top;
          if (xr < 0 || xr >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const xc = c * strideWidth + kw - left;
            if (xc < 0 || xc >= inWidth) continue;
            const from = ((b * inHeight + xr) * inWidth + xc) * inChannels;
            p.set(xs.subarray(from, from + inChannels), rowOffset + (kh * filterWidth + kw) * inChannels);
          }
        }
      }
    }
  }

  const dy3 = runWasmKernel('Reshape', backend, { x: dy }, { shape: [1, rows, outChannels] }); // [1, N, Cout]
  const product = runWasmKernel('BatchMatMul', backend, { a: patches, b: dy3 }, { transposeA: true, transposeB: false }); // [1, K, Cout]
  backend.disposeData(patches.dataId);
  backend.disposeData(dy3.dataId);
  // [kh·kw·Cin, Cout] in row-major order is exactly [kh, kw, Cin, Cout]
  return { dataId: product.dataId, shape: [...attrs.filterShape], dtype: 'float32' };
}

/** The attributes tfjs-core passes to a `Conv2DBackpropInput` kernel. */
interface Conv2DBackpropInputAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly inputShape: [number, number, number, number];
}

/**
 * The input gradient of a 2-D convolution as one matrix product and a col2im scatter-add, replacing the wasm
 * backend's own kernel, which loops naively in C++ (≈ 40× slower on a 32×100×128 Conv1D, making it the largest
 * cost of a CNN train step):
 * cols = dy·Wᵀ [B·outH·outW, kh·kw·Cin] (XNNPACK), then dx[b, r·sh + kh − top, c·sw + kw − left, ci] += cols[n, (kh, kw, ci)].
 * Channels-last only; other layouts go to the original kernel.
 *
 * @see tfjs-backend-cpu `kernels/Conv2DBackpropInput.ts` (the reference it is tested against).
 */
function conv2dBackpropInputWasm(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (attrs.dataFormat !== 'NHWC') return original.kernelFunc(args);
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const rows = batchSize * outHeight * outWidth; // N
    const patchSize = filterHeight * filterWidth * inChannels; // K
    const dy3 = runWasmKernel('Reshape', backend, { x: dy }, { shape: [1, rows, outChannels] }); // [1, N, Cout]
    const w3 = runWasmKernel('Reshape', backend, { x: filter }, { shape: [1, patchSize, outChannels] }); // [1, K, Cout]
    const cols = runWasmKernel('BatchMatMul', backend, { a: dy3, b: w3 }, { transposeA: false, transposeB: true }); // [1, N, K]
    backend.disposeData(dy3.dataId);
    backend.disposeData(w3.dataId);
    const out = backend.makeOutput([...attrs.inputShape], 'float32'); // [B, H, W, Cin]
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    const c = backend.typedArrayFromHeap(cols) as Float32Array;
    dx.fill(0);
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    let n = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let r = 0; r < outHeight; r++) {
        for (let col = 0; col < outWidth; col++, n++) {
          for (let kh = 0; kh < filterHeight; kh++) {
            const xr = r * strideHeight + kh - top;
            if (xr < 0 || xr >= inHeight) continue;
            for (let kw = 0; kw < filterWidth; kw++) {
              const xc = col * strideWidth + kw - left;
              if (xc < 0 || xc >= inWidth) continue;
              const to = ((b * inHeight + xr) * inWidth + xc) * inChannels;
              const from = n * patchSize + (kh * filterWidth + kw) * inChannels;
              for (let ci = 0; ci < inChannels; ci++) dx[to + ci]! += c[from + ci]!;
            }
          }
        }
      }
    }
    backend.disposeData(cols.dataId);
    return out;
  };
}

/**
 * Wraps the wasm `BatchMatMul` so transposed operands are transposed explicitly first. The wasm backend runs
 * XNNPACK only for untransposed products and a naive loop otherwise, and every matmul gradient is transposed
 * (dA = dY·Bᵀ, dB = Aᵀ·dY): on a 64×256·256×256 product that is ~50 ms instead of ~0.5 ms, which made a DQN train
 * step 100× slower than its forward pass. A transpose costs one pass over the operand.
 */
function fastTransposedMatMul(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    if (attrs.transposeA !== true && attrs.transposeB !== true) return original.kernelFunc(args);
    const backend = args.backend as BackendWasm;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
      const rank = t.shape.length;
      const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
      return runWasmKernel('Transpose', backend, { x: t }, { perm });
    };
    const aPlain = attrs.transposeA === true ? swapLast(a) : a;
    const bPlain = attrs.transposeB === true ? swapLast(b) : b;
    const out = original.kernelFunc({ inputs: { a: aPlain, b: bPlain }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    if (aPlain !== a) backend.disposeData(aPlain.dataId);
    if (bPlain !== b) backend.disposeData(bPlain.dataId);
    return out;
  };
}

let registered: string[] | null = null;

/**
 * Makes the wasm backend fit for training: registers the `Conv2DBackpropFilter` kernel it lacks (Conv1D/Conv2D
 * weight gradients), replaces its naive `Conv2DBackpropInput` with a matrix product + col2im, and wraps
 * `BatchMatMul` so transposed products (every Dense gradient) run on XNNPACK.
 * Idempotent; must run before `tf.setBackend('wasm')` so the wrapped kernel's setup runs ({@link initBackend} does).
 *
 * @returns the kernels registered or wrapped by this call (empty afterwards).
 * @example
 * registerWasmTrainingKernels(); // ['Conv2DBackpropFilter', 'BatchMatMul', 'Conv2DBackpropInput'] the first time, [] afterwards
 */
export function registerWasmTrainingKernels(): string[] {
  if (registered !== null) return [];
  registered = [];
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') === undefined) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm });
    registered.push('Conv2DBackpropFilter');
  }
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (matMul !== undefined) {
    const original = { ...matMul };
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel({ ...original, kernelFunc: fastTransposedMatMul(original) });
    registered.push('BatchMatMul');
  }
  const backpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (backpropInput !== undefined) {
    const original = { ...backpropInput };
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel({ ...original, kernelFunc: conv2dBackpropInputWasm(original) });
    registered.push('Conv2DBackpropInput');
  }
  return [...registered];
}
