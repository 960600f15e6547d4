import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: 'mtf-trader', include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
