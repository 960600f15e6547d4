/**
 * The child process of the kill -9 tests (libs/live's and `popagent live`'s): a node process on an entry that
 * registers tsx itself (`live-child-entry.mjs`), SIGKILLed the moment its stdout shows that it reached a checkpoint.
 */
import { spawn } from 'node:child_process';

/** What to run and when to kill it. */
export interface KillableChildOptions {
  /** Absolute path of the entry script (run with `--conditions=@trading-ml/source`). */
  readonly entry: string;
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** The child's whole environment (default: the parent's). */
  readonly env?: NodeJS.ProcessEnv;
  /** SIGKILL the child as soon as its stdout contains this text, e.g. 'PAUSED after-send'. */
  readonly killOn?: string;
}

/**
 * Runs the child to its end, or, with `killOn`, until it prints that text and is SIGKILLed.
 * @param options - entry, arguments, folder, environment, kill text.
 * @returns (a promise of) the child's stdout.
 * @throws Error (rejection) with the child's output and the tail of its stderr when it exits other than expected:
 *   without `killOn`, any exit code but 0; with it, any end but that SIGKILL after the text was printed.
 * @example
 * const out = await runKillableChild({ entry: CHILD, env: { ...process.env, LIVE_PAUSE_AT: 'after-send@…' }, killOn: 'PAUSED after-send' });
 */
export function runKillableChild(options: KillableChildOptions): Promise<string> {
  const { killOn } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@trading-ml/source', options.entry, ...(options.args ?? [])], {
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      if (killOn !== undefined && out.includes(killOn)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk) => (err += String(chunk)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killOn !== undefined ? signal === 'SIGKILL' && out.includes(killOn) : code === 0) resolve(out);
      else reject(new Error(`child exited with code ${code} signal ${signal}\n${out}\n${err.slice(-3000)}`));
    });
  });
}
