/** The `onboarding` command (npm run onboarding -- --help): runCli wired to the process and the AWS SDK ports. */
import { awsPorts } from '../tasks/adapters/aws/index.js';
import { runCli } from './run.js';

async function passwordFromStdin(): Promise<string | undefined> {
  if (process.env.ONBOARDING_NEW_PASSWORD) return process.env.ONBOARDING_NEW_PASSWORD;
  if (process.stdin.isTTY) process.stderr.write('New password: ');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.split('\n')[0];
}

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  makePorts: (env) => {
    // The SDK clients read endpoints, region and credentials from the process environment, so the --env-file
    // variables go there too (variables already set still win).
    for (const [name, value] of Object.entries(env)) process.env[name] ??= value;
    return awsPorts({ env });
  },
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readPassword: passwordFromStdin,
});
process.exitCode = code;
