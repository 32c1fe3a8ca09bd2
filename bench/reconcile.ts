/**
 * `npx tsx bench/reconcile.ts [agreements]` (default 10,000): the agreements' reconciliation (issue 11 item 3) against
 * the marketplace simulator over HTTP on loopback: SearchAgreements through the AWS SDK (50 a page, as in AWS), our
 * records in memory. One agreement in ten belongs to an onboarding whose record we hold; of those, one in ten ended in
 * the marketplace without our knowing (its Ended was dropped), so the run repairs them. Prints the time, the pages and
 * the findings; run twice in one process to show the second run finds nothing new. Figures are printed, not asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MarketplaceAgreementClient } from '@aws-sdk/client-marketplace-agreement';
import {
  type AgreementRecord,
  startMarketplaceSimulator,
} from '@marketplace-onboarding/marketplace-simulator';
import { AwsAgreementLookup } from '../tasks/adapters/aws/marketplace-agreement.js';
import { memoryPorts } from '../tasks/adapters/memory/index.js';
import { newAgreement } from '../tasks/domain/agreement.js';
import { newOnboarding } from '../tasks/domain/onboarding.js';
import { reconcileAgreements } from '../tasks/use-cases/reconcile-agreements.js';

const count = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'bench-reconcile-'));
const SELLER = '123456512334';
const ports = memoryPorts();
const sim = await startMarketplaceSimulator({
  port: 0,
  host: '127.0.0.1',
  dataDir: dir,
  fulfillmentUrl: 'http://127.0.0.1:9/marketplace/fulfillment',
  productCode: ports.config.productCode,
  productId: ports.config.productId,
  productTitle: 'Example SaaS',
  region: 'us-east-1',
  sellerAccountId: SELLER,
  dimensions: [{ key: 'Users' }],
});
try {
  const at = '2026-01-01T00:00:00.000Z';
  const records: AgreementRecord[] = [];
  let known = 0;
  let droppedEnds = 0;
  for (let i = 0; i < count; i++) {
    const agreementId = `agmt-bench${String(i).padStart(20, '0')}`;
    const account = String(100000000000 + i);
    const ours = i % 10 === 0;
    const endedUnseen = ours && i % 100 === 0;
    records.push({
      agreementId,
      offerId: `offer-bench${String(i).padStart(8, '0')}`,
      productId: ports.config.productId,
      acceptorAccountId: account,
      proposerAccountId: SELLER,
      status: endedUnseen ? 'CANCELLED' : 'ACTIVE',
      acceptanceTime: at,
      startTime: at,
      endTime: '2027-01-01T00:00:00.000Z',
      acceptedTerms: [],
      licenseArn: `arn:aws:license-manager::294406891311:license:l-${i.toString(16).padStart(32, '0')}`,
      customerIdentifier: `cust${i}`,
      setupOffered: true,
    });
    if (!ours) continue;
    known += 1;
    if (endedUnseen) droppedEnds += 1;
    const id = `onb-bench${String(i).padStart(12, '0')}`;
    const o = newOnboarding({
      id,
      at,
      inquiry: {
        company: `Bench ${i} KK`,
        contactName: 'Bench',
        email: `bench${i}@example.com`,
        awsAccountId: account,
        plan: 'Business',
        message: '',
        locale: 'en',
      } as Parameters<typeof newOnboarding>[0]['inquiry'],
    });
    await ports.onboardings.create({ ...o, stage: 'Completed', status: 'completed' });
    await ports.onboardings.linkRef('agreement', agreementId, id);
    await ports.agreementRecords.save(newAgreement({ agreementId, onboardingId: id, status: 'ACTIVE' }, at));
  }
  sim.admin.importAgreements(records);
  ports.agreements = new AwsAgreementLookup(
    new MarketplaceAgreementClient({
      endpoint: sim.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  ) as unknown as typeof ports.agreements;

  console.log(`Reconciliation of ${count} agreements (simulator on loopback, SDK, records in memory)`);
  console.log(`  ${known} with an onboarding and a record, ${droppedEnds} of them ended without our knowing`);
  for (const run of [1, 2]) {
    const t0 = performance.now();
    const report = await reconcileAgreements(ports);
    const ms = performance.now() - t0;
    const byKind = Object.entries(
      report.findings.reduce<Record<string, number>>((n, f) => {
        n[f.what] = (n[f.what] ?? 0) + 1;
        return n;
      }, {}),
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(
      `  run ${run}: ${report.agreements} agreements, ${report.pages} pages in ${(ms / 1000).toFixed(2)} s` +
        ` (${(ms / report.pages).toFixed(1)} ms a page); findings: ${byKind || 'none'}`,
    );
  }
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
