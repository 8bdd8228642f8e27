import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Each file gets its own process: native SQLite handles and child processes stay isolated.
    pool: 'forks',
  },
});
