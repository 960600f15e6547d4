// Shared vitest settings: workspace packages resolve to their TypeScript sources,
// the same way tsconfig's customConditions ("@trading-ml/source") does for tsc and tsx.
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

/** `@trading-ml/<lib>` → `libs/<lib>/src/index.ts` for every library in the workspace. */
export const workspaceAliases: Record<string, string> = Object.fromEntries(
  readdirSync(join(root, 'libs'))
    .filter((name) => existsSync(join(root, 'libs', name, 'src', 'index.ts')))
    .map((name) => [`@trading-ml/${name}`, join(root, 'libs', name, 'src', 'index.ts')]),
);
