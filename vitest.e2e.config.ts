import { defineConfig } from 'vitest/config';
import { sfnLocalFromSource } from './vitest.aliases.js';

export default defineConfig({
  resolve: { alias: sfnLocalFromSource },
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    // Passwords hash at N = 2^12 in tests (2^17 in the product, ~0.6 s each): the suites sign in hundreds of times.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', PASSWORD_SCRYPT_LN: '12' },
  },
});
