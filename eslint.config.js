// One linter for the workspace. The promise rules matter most: an unawaited enqueue is the
// classic worker bug (the job silently never exists).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.data/**', '**/.prof/**', '**/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    // Migrations run on Kysely<any> by design: they must not depend on today's Database type.
    files: ['**/db/migrations/**', '**/db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Functions a reader can hold in their head (issue 17). Scoped to the parser's code: other
    // packages have longer functions (ops' CLI program, the crawler's fetch handler, migrations)
    // that this change does not touch.
    files: ['services/parser/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      complexity: ['error', 20],
    },
  },
  {
    // The parse threads and the CLI load only the parser: the @govwire/shared barrel would bring
    // bullmq, ioredis, pg and kysely (~450 modules; it made `pnpm parse` of one page take over a
    // second more). Import its modules by path (@govwire/shared/facts, /errors, /article); type-only
    // imports are erased and allowed. The queue side (main, worker, the job, its repositories) may.
    files: ['services/parser/src/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      'services/parser/src/main.ts',
      'services/parser/src/worker.ts',
      'services/parser/src/jobs/**',
      'services/parser/src/repositories/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@govwire/shared',
              message:
                'import a module of it by path (e.g. @govwire/shared/errors): the barrel loads bullmq and pg',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
