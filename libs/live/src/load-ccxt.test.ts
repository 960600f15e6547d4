import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const INDEX = new URL('./index.ts', import.meta.url).href;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// In a fresh process, a resolve hook makes `ccxt` unimportable: importing the library must still work, and only
// creating an exchange must reach for ccxt (and so fail here).
const SCRIPT = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(specifier, context, next) { if (specifier === "ccxt") throw new Error("ccxt was imported"); return next(specifier, context); }'));
const live = await import(${JSON.stringify(INDEX)});
console.log('IMPORTED ' + typeof live.LiveTrader + ' ' + typeof live.overrideExchangeUrls);
console.log('CREATE ' + await live.createLiveExchange({ exchangeId: 'binance', env: {} }).then(() => 'created', (error) => error.message));
`;

describe('lazy ccxt', () => {
  it('importing @trading-ml/live does not load ccxt; createLiveExchange loads it on its first call', () => {
    const child = spawnSync(process.execPath, ['--conditions=@trading-ml/source', '--import', 'tsx', '--input-type=module', '-e', SCRIPT], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
    expect(child.stderr).not.toMatch(/Error/);
    expect(child.stdout).toContain('IMPORTED function function');
    expect(child.stdout).toContain('CREATE ccxt was imported');
  });
});
