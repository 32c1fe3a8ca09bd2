import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sfn-local',
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // SFN_LOCAL_VERIFY_REPLAY: every replayed history is checked against its events at commit (store/sqlite.ts).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', SFN_LOCAL_VERIFY_REPLAY: '1' },
  },
});
