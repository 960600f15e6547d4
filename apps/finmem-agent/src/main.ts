#!/usr/bin/env node
/**
 * Entry point of `finmem-agent` (`npm run finmem -- train …`). All logic lives in command.ts so tests run the same
 * command in-process.
 */
import { runCli } from './command.js';

const { exitCode } = await runCli(process.argv.slice(2));
process.exitCode = exitCode;
