/**
 * Agreement Service (JSON 1.0, `AWSMPCommerceService_v20200301.<Op>`): SearchAgreements, DescribeAgreement,
 * GetAgreementTerms and the seller's cancellation requests (cancellation.ts), seen from the seller (the proposer). Timestamps travel as epoch seconds.
 */
import { randomUUID } from 'node:crypto';
import { consumeThrottle, type SimulatorContext } from '../core.js';
import { ApiError, epochSeconds } from '../http/wire.js';
import type { AgreementRecord } from '../model.js';
import { handleCancellationOperation } from './cancellation.js';
import { notFound, validation } from './errors.js';

const PRODUCT_RESOURCE_TYPE = 'SaaSProduct';

export function handleAgreementOperation(
  operation: string,
  body: Record<string, unknown>,
  ctx: SimulatorContext,
): unknown {
  if (consumeThrottle(ctx, operation)) {
    throw new ApiError(429, 'ThrottlingException', 'Rate exceeded', { requestId: randomUUID() });
  }
  switch (operation) {
    case 'SearchAgreements':
      return searchAgreements(body, ctx);
    case 'DescribeAgreement':
      return describeAgreement(agreementOf(body, ctx));
    case 'GetAgreementTerms':
      return agreementTermsPage(agreementOf(body, ctx), body);
    case 'SendAgreementCancellationRequest':
    case 'GetAgreementCancellationRequest':
    case 'CancelAgreementCancellationRequest':
    case 'ListAgreementCancellationRequests':
      return handleCancellationOperation(operation, body, ctx);
    default:
      throw new ApiError(
        400,
        'UnknownOperationException',
        `The local simulator does not implement ${operation}.`,
      );
  }
}

/** The seller sees the agreements it proposed. */
function agreementOf(body: Record<string, unknown>, ctx: SimulatorContext): AgreementRecord {
  const id = body.agreementId;
  if (typeof id !== 'string' || !/^[A-Za-z0-9_/-]{1,64}$/.test(id)) {
    throw validation('INVALID_AGREEMENT_ID', 'agreementId is missing or not valid.', [
      { name: 'agreementId', message: 'must match ^[A-Za-z0-9_/-]+$' },
    ]);
  }
  const agreement = ctx.store.get<AgreementRecord>('agreement', id);
  if (!agreement || agreement.proposerAccountId !== ctx.config.sellerAccountId) throw notFound(id);
  return agreement;
}

function summary(a: AgreementRecord): Record<string, unknown> {
  return {
    agreementId: a.agreementId,
    acceptanceTime: epochSeconds(a.acceptanceTime),
    startTime: epochSeconds(a.startTime),
    ...(a.endTime !== undefined && { endTime: epochSeconds(a.endTime) }),
    agreementType: 'PurchaseAgreement',
    acceptor: { accountId: a.acceptorAccountId },
    proposer: { accountId: a.proposerAccountId },
    proposalSummary: { offerId: a.offerId, resources: [{ id: a.productId, type: PRODUCT_RESOURCE_TYPE }] },
    status: a.status,
  };
}

function describeAgreement(a: AgreementRecord): Record<string, unknown> {
  return {
    ...summary(a),
    ...(a.estimatedCharges && { estimatedCharges: a.estimatedCharges }),
  };
}

function page<T>(
  items: T[],
  body: Record<string, unknown>,
  defaultMax: number,
): { items: T[]; nextToken?: string } {
  const max = body.maxResults === undefined ? defaultMax : body.maxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50) {
    throw validation('INVALID_MAX_RESULTS', 'maxResults must be between 1 and 50.');
  }
  let start = 0;
  if (body.nextToken !== undefined) {
    start =
      typeof body.nextToken === 'string'
        ? Number.parseInt(Buffer.from(body.nextToken, 'base64').toString(), 10)
        : Number.NaN;
    if (!Number.isInteger(start) || start < 0)
      throw validation('INVALID_NEXT_TOKEN', 'nextToken is not valid.');
  }
  return {
    items: items.slice(start, start + max),
    ...(start + max < items.length && { nextToken: Buffer.from(String(start + max)).toString('base64') }),
  };
}

function agreementTermsPage(a: AgreementRecord, body: Record<string, unknown>): Record<string, unknown> {
  const { items, nextToken } = page(a.acceptedTerms, body, 50);
  return { acceptedTerms: items, ...(nextToken && { nextToken }) };
}

const FILTER_NAMES = [
  'PartyType',
  'AgreementType',
  'AcceptorAccountId',
  'OfferId',
  'ResourceIdentifier',
  'ResourceType',
  'Status',
  'BeforeEndTime',
  'AfterEndTime',
];

function searchAgreements(body: Record<string, unknown>, ctx: SimulatorContext): Record<string, unknown> {
  if (body.catalog !== undefined && body.catalog !== 'AWSMarketplace') {
    throw validation('INVALID_CATALOG', 'catalog must be AWSMarketplace.');
  }
  const filters = new Map<string, string[]>();
  for (const f of (Array.isArray(body.filters) ? body.filters : []) as Array<{
    name?: unknown;
    values?: unknown;
  }>) {
    if (typeof f.name !== 'string' || !FILTER_NAMES.includes(f.name)) {
      throw validation('INVALID_FILTER_NAME', `Filter name ${JSON.stringify(f.name)} is not valid.`);
    }
    if (!Array.isArray(f.values) || f.values.length === 0 || !f.values.every((v) => typeof v === 'string')) {
      throw validation('MISSING_FILTER_VALUES', `Filter ${f.name} needs values.`);
    }
    filters.set(f.name, f.values as string[]);
  }
  const party = filters.get('PartyType');
  if (!party) throw validation('MISSING_PARTY_TYPE', 'The PartyType filter is required.');
  if (party.length !== 1 || !['Proposer', 'Acceptor'].includes(party[0] as string)) {
    throw validation('INVALID_PARTY_TYPE', 'PartyType must be Proposer or Acceptor.');
  }
  const type = filters.get('AgreementType');
  if (!type) throw validation('MISSING_FILTERS', 'The AgreementType filter is required.');
  if (!type.every((t) => t === 'PurchaseAgreement' || t === 'VendorInsightsAgreement')) {
    throw validation(
      'INVALID_AGREEMENT_TYPE',
      'AgreementType must be PurchaseAgreement or VendorInsightsAgreement.',
    );
  }
  const has = (name: string, value: string | undefined) => {
    const values = filters.get(name);
    return values === undefined || (value !== undefined && values.includes(value));
  };
  const before = filters.get('BeforeEndTime')?.[0];
  const after = filters.get('AfterEndTime')?.[0];
  let matches = ctx.store
    .list<AgreementRecord>('agreement')
    .filter((a) => party[0] === 'Proposer' && a.proposerAccountId === ctx.config.sellerAccountId)
    .filter(() => type.includes('PurchaseAgreement'))
    .filter((a) => has('AcceptorAccountId', a.acceptorAccountId))
    .filter((a) => has('OfferId', a.offerId))
    .filter((a) => has('ResourceIdentifier', a.productId))
    .filter(() => has('ResourceType', PRODUCT_RESOURCE_TYPE))
    .filter((a) => has('Status', a.status))
    .filter(
      (a) => before === undefined || (a.endTime !== undefined && Date.parse(a.endTime) < Date.parse(before)),
    )
    .filter(
      (a) => after === undefined || a.endTime === undefined || Date.parse(a.endTime) > Date.parse(after),
    );
  const sort = body.sort as { sortBy?: string; sortOrder?: string } | undefined;
  if (sort?.sortBy !== undefined && sort.sortBy !== 'EndTime')
    throw validation('INVALID_SORT_BY', 'sortBy must be EndTime.');
  matches = matches.sort((a, b) => (a.endTime ?? '9999').localeCompare(b.endTime ?? '9999'));
  if (sort?.sortOrder === 'DESCENDING') matches.reverse();
  const { items, nextToken } = page(matches, body, 50);
  return { agreementViewSummaries: items.map(summary), ...(nextToken && { nextToken }) };
}
