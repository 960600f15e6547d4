#!/usr/bin/env node
/**
 * Entry point of `npm run mtf -- --mode train|trade …`. All logic lives in cli.ts so tests run the same command
 * in-process.
 */
import { runCli } from './cli.js';

const { exitCode } = await runCli(process.argv.slice(2));
process.exitCode = exitCode;
