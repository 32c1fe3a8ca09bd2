/**
 * `npx tsx bench/bursts.ts [onboardings] [burst]` (default 10 onboardings, bursts of 16): for each onboarding the
 * buyer subscribes, then `burst` browsers post the same `x-amzn-marketplace-token` to the fulfillment URL at once
 * (several tabs, a double click, a retrying proxy). Prints the answers by status, the 5xx count (target 0), and the
 * onboardings whose AccountSetup or Registration was entered more than once (target 0). Local stack in this process,
 * on free loopback ports; figures are printed, not asserted.
 */

import { newBuyer, postMarketplaceToken, subscribedToken } from '../local/demo/scenarios.js';
import { allowManyInquiriesFromOneAddress } from '../local/demo/users.js';
import { runBench, withBenchStack } from './support/local-stack.js';

async function main(): Promise<void> {
  const onboardings = Math.max(1, Number(process.argv[2] ?? 10) || 10);
  const burst = Math.max(2, Number(process.argv[3] ?? 16) || 16);
  allowManyInquiriesFromOneAddress();
  await withBenchStack('bursts', {}, async (stack, procedure) => {
    const statuses = new Map<number, number>();
    const twice: string[] = [];
    let ms = 0;
    for (let i = 0; i < onboardings; i++) {
      const { onboardingId, token } = await subscribedToken(procedure, newBuyer(`Burst${i}`));
      const t0 = performance.now();
      const answers = await Promise.all(
        Array.from({ length: burst }, () =>
          postMarketplaceToken(stack.urls.web, token, stack.urls.marketplace),
        ),
      );
      ms += performance.now() - t0;
      for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      await procedure.waitForStage(onboardingId, 'Registration');
      const states = await procedure.path(onboardingId);
      for (const stage of ['AccountSetup', 'Registration'])
        if (states.filter((s) => s === stage).length > 1) twice.push(`${onboardingId} ${stage}`);
    }
    const fiveHundreds = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `Bursts of one marketplace token (local stack; ${onboardings} onboardings × ${burst} posts at once)`,
    );
    console.log(`  answers: ${[...statuses].map(([s, c]) => `${s} × ${c}`).join(', ')}`);
    console.log(`  5xx: ${fiveHundreds} of ${onboardings * burst}`);
    console.log(`  stages entered twice: ${twice.length}${twice.length ? ` (${twice.join('; ')})` : ''}`);
    console.log(`  mean time for a burst to be answered: ${(ms / onboardings).toFixed(0)} ms`);
  });
}

runBench(main);
