import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DataError } from '@trading-ml/core';
import { z } from 'zod';

/** Writes `data` to `path` through a temporary file and a rename, so a reader never sees half a file. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

const weightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool']),
});

/** The model.json a tfjs LayersModel is saved as (the standard tfjs layout, one weights file). */
const modelJsonSchema = z.object({
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()).length(1), weights: z.array(weightSpecSchema) })).length(1),
  userDefinedMetadata: z.record(z.string(), z.unknown()).optional(),
});

const BYTES_PER_ELEMENT = { float32: 4, int32: 4, bool: 1 } as const;

/** File names of a model saved under `name`: `<name>.json` and `<name>.weights.bin`. */
export function modelFileNames(name: string): { json: string; weights: string } {
  return { json: `${name}.json`, weights: `${name}.weights.bin` };
}

/**
 * Saves a tfjs LayersModel as `<dir>/<name>.json` + `<dir>/<name>.weights.bin` in the standard tfjs layout
 * (loadable by `tf.loadLayersModel` in a browser too), through node:fs: `file://` URLs need tfjs-node, which
 * cannot be installed everywhere. Each file is written atomically (temporary file, then rename), the weights first:
 * a crash between the two renames can pair the old model.json with the new weights, which {@link loadLayersModel}
 * rejects when the sizes differ (same architecture: the new weights load, which is what was being saved).
 *
 * @param model - the model; its optimizer state is not saved.
 * @param options.dir - folder, created when missing.
 * @param options.name - file stem, default 'model'.
 * @param options.metadata - plain JSON stored as `userDefinedMetadata` (e.g. the constructor options).
 * @returns the two paths written.
 * @see https://www.tensorflow.org/js/guide/save_load (model.json format)
 * @example
 * await saveLayersModel(model, { dir: 'runs/cnn', metadata: { sequenceLength: 100 } });
 */
export async function saveLayersModel(
  model: tf.LayersModel,
  options: { dir: string; name?: string; metadata?: Record<string, unknown> },
): Promise<{ json: string; weights: string }> {
  const files = modelFileNames(options.name ?? 'model');
  const paths = { json: join(options.dir, files.json), weights: join(options.dir, files.weights) };
  await mkdir(options.dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const json = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [files.weights], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: options.metadata ?? {},
      };
      await writeFileAtomic(paths.weights, weights);
      await writeFileAtomic(paths.json, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return paths;
}

/**
 * Loads a model saved by {@link saveLayersModel}; custom layers (SeededDropout, DuelingAggregation) must be
 * registered, which importing this library does.
 *
 * @param options.dir - the folder.
 * @param options.name - file stem, default 'model'.
 * @returns the model and its `userDefinedMetadata` (unvalidated: the caller checks it with its own schema).
 * @throws DataError naming the file when model.json does not fit the tfjs layout or the weights file's size does
 *   not match the manifest.
 * @example
 * const { model, metadata } = await loadLayersModel({ dir: 'runs/cnn' });
 */
export async function loadLayersModel(options: { dir: string; name?: string }): Promise<{ model: tf.LayersModel; metadata: Record<string, unknown> }> {
  const files = modelFileNames(options.name ?? 'model');
  const jsonPath = join(options.dir, files.json);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new DataError({ location: { file: jsonPath }, value: error instanceof Error ? error.message : String(error), expected: 'a readable tfjs model.json', cause: error });
  }
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError({ location: { file: jsonPath, column: issue?.path.join('.') ?? '' }, value: issue?.message, expected: 'a tfjs layers model.json with one weights file' });
  }
  const manifest = parsed.data.weightsManifest[0]!;
  const weightsPath = join(options.dir, manifest.paths[0]!);
  const buffer = await readFile(weightsPath);
  const expectedBytes = manifest.weights.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * BYTES_PER_ELEMENT[w.dtype], 0);
  if (buffer.byteLength !== expectedBytes) {
    throw new DataError({ location: { file: weightsPath }, value: `${buffer.byteLength} bytes`, expected: `${expectedBytes} bytes as listed in ${files.json}` });
  }
  const weightData = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const model = await tf.loadLayersModel({
    load: async () => ({
      modelTopology: parsed.data.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: manifest.weights,
      weightData,
      format: parsed.data.format,
    }),
  });
  return { model, metadata: parsed.data.userDefinedMetadata ?? {} };
}
