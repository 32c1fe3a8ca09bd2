/**
 * `npm start`: the whole procedure locally, on the embedded default (no AWS account, no Docker).
 * See README.md "Run it locally" and `npm start -- --help`.
 */
import { progressPrinter, readyBanner } from './stack/banner.js';
import type { RunningStack } from './stack/boot.js';
import { ConfigError, resolveConfig, USAGE } from './stack/config.js';
import { armCrashSwitch, crashAfterRequests } from './stack/crash-switch.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<void> {
  const config = resolveConfig(process.argv.slice(2));
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  const crashAt = crashAfterRequests(); // the crash tests' switch (stack/crash-switch.ts); a bad value stops here
  const say = config.verbose ? progressPrinter() : () => undefined;
  say(`starting the local stack (data in ${config.dataDir})`);
  // Imported after the configuration is known, so `--help` and bad flags answer at once.
  const { startStack } = await import('./stack/boot.js');
  const stack: RunningStack = await startStack({ config, progress: say });
  console.log(readyBanner(stack));
  if (crashAt !== undefined) armCrashSwitch(crashAt);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.log('stopping now (second signal)');
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping the local stack ...`);
    stack.close().then(
      () => {
        console.log('stopped; data and paused executions are kept.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('error while stopping:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`npm start: ${error.message}`);
    process.exit(2);
  }
  console.error('npm start: the local stack could not start:\n', error);
  process.exit(1);
});
