/**
 * `npm run bench`: runs every library's benchmark (`libs/<lib>/bench/*.bench.ts`, each exporting
 * `run(): Array<{ name, value, unit }>`) and prints the figures. Speed targets live here, never in unit tests.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'libs'))
  .filter((lib) => only.length === 0 || only.includes(lib))
  .flatMap((lib) => {
    const dir = join(root, 'libs', lib, 'bench');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).map((f) => join(dir, f)) : [];
  })
  .sort();

const format = (value: number): string =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toLocaleString('en-US', { maximumSignificantDigits: 4 });

console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
for (const file of files) {
  const mod = (await import(pathToFileURL(file).href)) as { run: () => BenchFigure[] | Promise<BenchFigure[]> };
  const figures = await mod.run();
  console.log(`\n${file.slice(root.length + 1)}`);
  for (const f of figures) console.log(`  ${f.name.padEnd(52)} ${format(f.value).padStart(14)} ${f.unit}`);
}
