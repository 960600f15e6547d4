import { defineConfig } from 'vitest/config';
import SummaryReporter from './tools/summary-reporter.ts';

export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.ts', 'apps/*/vitest.config.ts'],
    globalSetup: ['./tools/test-tmpdir.ts'],
    reporters: ['default', new SummaryReporter()],
  },
});
