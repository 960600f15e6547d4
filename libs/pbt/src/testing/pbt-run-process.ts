/**
 * A PBT run in its own process, for the kill-and-resume test: `node --conditions=@trading-ml/source --import tsx
 * pbt-run-process.ts <checkpoint folder> <lineage.jsonl>`. It resumes from the folder's newest checkpoint, if any,
 * and prints one line per generation. Set PBT_TEST_DELAY_MS to slow it down enough to be killed mid-run.
 */
import { PopulationCheckpointStore } from '../checkpoint-store.js';
import { InlineExecutor } from '../inline-executor.js';
import { JsonlLineageLog } from '../lineage-log.js';
import { PopulationBasedTraining } from '../pbt.js';
import { RESUME_FIXTURE_GENERATIONS, resumeFixtureOptions } from './fixtures.js';
import * as quadratic from './quadratic-trainable.js';

const [directory, lineagePath] = process.argv.slice(2);
if (directory === undefined || lineagePath === undefined) {
  console.error('usage: pbt-run-process.ts <checkpoint folder> <lineage.jsonl>');
  process.exit(2);
}
const pbt = new PopulationBasedTraining({
  ...resumeFixtureOptions(new InlineExecutor(quadratic)),
  checkpointStore: new PopulationCheckpointStore({ directory }),
  lineageLog: new JsonlLineageLog(lineagePath),
  onGeneration: ({ generation }) => void console.log(`generation ${generation}`),
});
await pbt.run({ generations: RESUME_FIXTURE_GENERATIONS });
console.log('done');
