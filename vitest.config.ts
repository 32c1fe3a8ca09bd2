import { defineConfig } from 'vitest/config';
import { sfnLocalFromSource } from './vitest.aliases.js';

export default defineConfig({
  test: {
    // The application's tests, then each workspace package's own project (packages/*/vitest.config.ts).
    projects: [
      {
        extends: true,
        resolve: { alias: sfnLocalFromSource },
        test: {
          name: 'app',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
        },
      },
      'packages/*',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The SDK warns on Node 20 (support ends for SDK versions published after January 2027); the pinned versions work.
    // Passwords hash at N = 2^12 in tests (2^17 in the product, ~0.6 s each): the suites sign in hundreds of times.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', PASSWORD_SCRYPT_LN: '12' },
  },
});
