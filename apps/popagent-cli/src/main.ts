#!/usr/bin/env node
/**
 * Entry point of the `popagent` command (`npm run popagent -- ablation …`). All logic lives in command.ts so
 * tests can run the same command in-process.
 */
import { runCli } from './command.js';

const { exitCode } = await runCli(process.argv.slice(2));
process.exitCode = exitCode;
