// Worker entry of the run pool when the app runs from its TypeScript sources (`npm run popagent`, tsx).
//
// tsx registers its ES-module hooks in the main thread only (on Node 20 worker threads get none), so a
// worker could load run-worker.ts only through `require` and tsx's CommonJS transform, which loads slower
// and runs PopAgent measurably slower than the ES modules of the main thread. tsImport registers tsx's hooks
// for this one import tree, so the worker runs the same ES modules as an in-process run. Plain JavaScript:
// it must load before any hook exists. The built app (dist/) uses run-worker.js directly.
import { tsImport } from 'tsx/esm/api';

const { default: runWorker } = await tsImport('./run-worker.ts', import.meta.url);

export default runWorker;
