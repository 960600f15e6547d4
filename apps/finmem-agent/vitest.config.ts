import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: 'finmem-agent', include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
