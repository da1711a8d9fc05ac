// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An unawaited promise is a lost error: every promise is awaited or has its .catch.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The core knows no platform: it talks to ports, and adapters bring discord.js, Slack and the SDK.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'discord.js',
                '@discordjs/*',
                '@slack/*',
                '@anthropic-ai/*',
                'better-sqlite3',
                'ioredis',
                'pino',
                'prom-client',
              ],
              message: 'src/core imports no platform, SDK or storage client: add a port in src/core/ports.',
            },
            {
              group: ['**/platforms/**', '**/llm/**', '**/storage/**', '../../commands/*', '**/config.js'],
              message: 'src/core depends on nothing outside it: pass what it needs in through a port.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
