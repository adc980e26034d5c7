// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The layers below the HTTP API and the wiring: they must never reach up into them. */
const UPPER_LAYERS = [
  {
    group: ['**/api/**', '**/api'],
    message: 'Only entry points and src/system may use src/api: throw a domain error from src/errors.',
  },
  {
    group: ['**/system/**', '**/cli/**', '**/worker/**'],
    message: 'The wiring builds the lower layers, never the reverse.',
  },
];

export default tseslint.config(
  { ignores: ['eslint.config.mjs', 'dist/**', 'node_modules/**', '.tools/**', '.data/**', 'coverage/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Tests may use `any` for JSON bodies from the API.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The middle and lower layers: domain services, stores, activities and their building blocks.
    files: [
      'activities/**/*.ts',
      'src/{config,db,deliveries,embedded,errors,events,lanes,metrics,replays,secrets,signature,store,targets,tenancy}/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: UPPER_LAYERS }] },
  },
  {
    // Stores are below everything that uses them: no domain services, activities or metrics in here.
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...UPPER_LAYERS,
            {
              group: ['**/activities/**', '**/events/**', '**/deliveries/**', '**/replays/**', '**/metrics/**'],
              message: 'Stores sit below the services and activities that use them.',
            },
          ],
        },
      ],
    },
  },
  {
    // Domain errors are the neutral ground every layer may stand on: they import nothing of ours.
    files: ['src/errors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./', message: 'src/errors imports nothing outside src/errors.' }] },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node builtins, no clocks of its own.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'crypto', 'child_process'],
              message: 'Workflows must not use Node builtins.',
            },
            {
              group: [
                'pg',
                'knex',
                'express',
                'undici',
                'pino',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
              ],
              message: 'Workflows do no I/O: call an activity.',
            },
            {
              group: ['../src/*', '../activities/*'],
              message: 'Workflows import activities as types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'console', message: 'Use the workflow log from @temporalio/workflow.' },
      ],
    },
  },
);
