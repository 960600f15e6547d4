// Worker entry of ThreadExecutor when the library runs from its TypeScript sources (vitest, tsx).
//
// tsx registers its ES-module hooks in the main thread only (on Node 20 worker threads get none), so this plain
// JavaScript file loads thread-worker.ts through tsx's tsImport, which registers the hooks for that import tree.
// The built library (dist/) uses thread-worker.js directly. Same approach as apps/popagent-cli/src/run-worker-source.mjs.
import { tsImport } from 'tsx/esm/api';

const { default: runThreadTask } = await tsImport('./thread-worker.ts', import.meta.url);

export default runThreadTask;
