import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const sfnLocal = (path: string) =>
  fileURLToPath(new URL(`./packages/sfn-local/src/${path}`, import.meta.url));

export default defineConfig({
  test: {
    // The application's tests, then each workspace package's own project (packages/*/vitest.config.ts).
    projects: [
      {
        extends: true,
        resolve: {
          // The application runs sfn-local from source (tsconfig.json "paths" does the same for tsc and tsx);
          // the package itself exports its built dist/.
          alias: [
            { find: /^@marketplace-onboarding\/sfn-local$/, replacement: sfnLocal('index.ts') },
            { find: /^@marketplace-onboarding\/sfn-local\/process$/, replacement: sfnLocal('process.ts') },
          ],
        },
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
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
