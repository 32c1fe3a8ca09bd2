/** What `npm start` prints: progress while it starts, then one short table of URLs and demo credentials. */
import type { RunningStack } from './boot.js';
import { DEMO_BUYER_USER, DEMO_STAFF } from './seed.js';

export function progressPrinter(out: NodeJS.WritableStream = process.stdout): (message: string) => void {
  const started = Date.now();
  return (message) => out.write(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s  ${message}\n`);
}

export function readyBanner(stack: RunningStack): string {
  const { urls } = stack;
  const rows: [string, string][] = [
    ['Inquiry form (step 1)', `${urls.web}/inquiry`],
    ['Console (sales/support)', `${urls.web}/console`],
    ['Audit view', `${urls.web}/audit`],
    ['AWS Marketplace (buyer side)', `${urls.marketplace}/`],
    ['E-mail inbox (SES)', `${urls.ses}/`],
    ...(urls.saas
      ? ([['Vendor SaaS (sample: sign-in, tenants)', `${urls.saas}/app`]] as [string, string][])
      : []),
    ...(urls.vendorApi && !urls.saas
      ? ([['Your provisioning API (webhook)', urls.vendorApi]] as [string, string][])
      : []),
    ['Step Functions API', urls.states],
    ['DynamoDB / S3 / EventBridge', `${urls.dynamodb}  ${urls.s3}  ${urls.events}`],
    ['Secrets Manager', urls.secrets],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const staff = DEMO_STAFF.map((u) => `${u.id} / ${u.password}`).join('   ');
  return [
    '',
    `Marketplace Onboarding is running (ready ${process.uptime().toFixed(1)} s after start; data in ${stack.dataDir})`,
    '',
    ...rows.map(([label, url]) => `  ${label.padEnd(width)}  ${url}`),
    '',
    `  Staff sign-in (user / password):  ${staff}`,
    `  Existing SaaS user for 7-2:       ${DEMO_BUYER_USER.email} / ${DEMO_BUYER_USER.password}` +
      (urls.saas ? '  (signs in at the sample SaaS)' : '  (built-in sign-in)'),
    ...(urls.vendorApi && !urls.saas
      ? [
          `  Requests to ${urls.vendorApi} are signed with the secret in ${stack.dataDir}/secrets/secrets.json (docs/vendor-saas.md).`,
        ]
      : []),
    '',
    `  Try: aws stepfunctions list-executions --endpoint-url ${urls.states} --state-machine-arn ${stack.stateMachineArn}`,
    '  Ctrl-C stops everything; data and paused executions are kept. Reset: stop, then rm -rf the data folder.',
    '',
  ].join('\n');
}
