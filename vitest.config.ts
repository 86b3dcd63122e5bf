import { defineConfig } from 'vitest/config';

// Unit tests (pure functions) and integration tests (real Redis and PostgreSQL) are separate
// projects so a developer can run the fast half alone: `pnpm test:unit`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts'],
          pool: 'threads',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          pool: 'forks',
          // Fails the run if a test leaves Redis keys behind (see the file).
          globalSetup: ['packages/shared/test/redis-key-guard.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
