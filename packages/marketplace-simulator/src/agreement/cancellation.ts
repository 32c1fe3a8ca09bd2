/**
 * Seller cancellation requests (Agreement API): the seller sends one (SendAgreementCancellationRequest, PENDING_APPROVAL),
 * may withdraw it while pending (CancelAgreementCancellationRequest → CANCELLED), reads it (Get / List); the buyer
 * accepts or rejects it on the simulator's pages, and one left unanswered for 7 days is approved. An approved request
 * ends the agreement as the buyer's own cancellation does: status CANCELLED, with its `Purchase Agreement Ended` event.
 * Each change of status is an EventBridge event `Agreement Cancellation Request <Status> - Proposer`.
 */
import { createHash } from 'node:crypto';
import { endAgreement } from '../buyer/subscriptions.js';
import type { SimulatorContext } from '../core.js';
import { epochSeconds } from '../http/wire.js';
import { newCancellationRequestId } from '../ids.js';
import {
  type AgreementRecord,
  CANCELLATION_REASON_CODES,
  type CancellationReasonCode,
  type CancellationRequestRecord,
  type CancellationRequestStatus,
} from '../model.js';
import { cancellationRequestDetail } from '../notify/agreement-events.js';
import { conflict, notFound, validation } from './errors.js';

/** How long the buyer has to answer before the request is approved. */
export const AUTO_APPROVAL_MS = 7 * 86_400_000;

export const CANCELLATION_OPERATIONS = [
  'SendAgreementCancellationRequest',
  'GetAgreementCancellationRequest',
  'CancelAgreementCancellationRequest',
  'ListAgreementCancellationRequests',
] as const;

const EVENT_OF: Record<CancellationRequestStatus, string> = {
  PENDING_APPROVAL: 'Agreement Cancellation Request Pending Approval - Proposer',
  APPROVED: 'Agreement Cancellation Request Approved - Proposer',
  REJECTED: 'Agreement Cancellation Request Rejected - Proposer',
  CANCELLED: 'Agreement Cancellation Request Cancelled - Proposer',
  VALIDATION_FAILED: 'Agreement Cancellation Request Validation Failed - Proposer',
};

const AGREEMENT_ID = /^[A-Za-z0-9_/-]{1,64}$/;
const REQUEST_ID = /^acr-[a-zA-Z0-9]{1,60}$/;
const CLIENT_TOKEN = /^[a-zA-Z0-9-]{1,64}$/;

export class CancellationError extends Error {
  override readonly name = 'CancellationError';
  constructor(
    readonly code: 'NOT_FOUND' | 'NOT_PENDING',
    message: string,
  ) {
    super(message);
  }
}

export function handleCancellationOperation(
  operation: string,
  body: Record<string, unknown>,
  ctx: SimulatorContext,
): unknown {
  settleCancellationRequests(ctx);
  switch (operation) {
    case 'SendAgreementCancellationRequest':
      return sendCancellationRequest(ctx, body);
    case 'GetAgreementCancellationRequest':
      return view(requestOf(ctx, body));
    case 'CancelAgreementCancellationRequest':
      return withdraw(ctx, body);
    default:
      return list(ctx, body);
  }
}

function sellerAgreement(ctx: SimulatorContext, body: Record<string, unknown>): AgreementRecord {
  const id = body.agreementId;
  if (id === undefined || id === '')
    throw validation('MISSING_AGREEMENT_ID', 'agreementId is required.', [
      { name: 'agreementId', message: 'is required' },
    ]);
  if (typeof id !== 'string' || !AGREEMENT_ID.test(id))
    throw validation('INVALID_AGREEMENT_ID', 'agreementId is not valid.', [
      { name: 'agreementId', message: 'must match ^[A-Za-z0-9_/-]+$ (1-64 characters)' },
    ]);
  const a = ctx.store.get<AgreementRecord>('agreement', id);
  if (!a || a.proposerAccountId !== ctx.config.sellerAccountId) throw notFound(id);
  return a;
}

function requestOf(ctx: SimulatorContext, body: Record<string, unknown>): CancellationRequestRecord {
  const agreement = sellerAgreement(ctx, body);
  const id = body.agreementCancellationRequestId;
  if (id === undefined || id === '')
    throw validation(
      'MISSING_AGREEMENT_CANCELLATION_REQUEST_ID',
      'agreementCancellationRequestId is required.',
      [{ name: 'agreementCancellationRequestId', message: 'is required' }],
    );
  if (typeof id !== 'string' || !REQUEST_ID.test(id))
    throw validation(
      'INVALID_AGREEMENT_CANCELLATION_REQUEST_ID',
      'agreementCancellationRequestId is not valid.',
      [{ name: 'agreementCancellationRequestId', message: 'must match ^acr-[a-zA-Z0-9]+$' }],
    );
  const r = ctx.store.get<CancellationRequestRecord>('cancellationRequest', id);
  if (!r || r.agreementId !== agreement.agreementId) throw notFound(id, 'AgreementCancellationRequest');
  return r;
}

/** A text of 1-2000 characters, or undefined when absent (required ones say so). */
function text(
  body: Record<string, unknown>,
  name: string,
  reasons: { missing?: string; invalid: string },
): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) {
    if (reasons.missing)
      throw validation(reasons.missing, `${name} is required.`, [{ name, message: 'is required' }]);
    return undefined;
  }
  if (typeof v !== 'string' || v.length < 1 || v.length > 2000)
    throw validation(reasons.invalid, `${name} must be 1-2000 characters.`, [
      { name, message: 'must be 1-2000 characters' },
    ]);
  return v;
}

function view(r: CancellationRequestRecord): Record<string, unknown> {
  return {
    agreementCancellationRequestId: r.id,
    agreementId: r.agreementId,
    reasonCode: r.reasonCode,
    ...(r.description !== undefined && { description: r.description }),
    status: r.status,
    ...(r.statusMessage !== undefined && { statusMessage: r.statusMessage }),
    createdAt: epochSeconds(r.createdAt),
    updatedAt: epochSeconds(r.updatedAt),
  };
}

function sendCancellationRequest(ctx: SimulatorContext, body: Record<string, unknown>): unknown {
  const agreement = sellerAgreement(ctx, body);
  const reasonCode = body.reasonCode;
  if (reasonCode === undefined || reasonCode === '')
    throw validation('MISSING_REASON_CODE', 'reasonCode is required.', [
      { name: 'reasonCode', message: 'is required' },
    ]);
  if (!(CANCELLATION_REASON_CODES as readonly unknown[]).includes(reasonCode))
    throw validation(
      'INVALID_REASON_CODE',
      `reasonCode must be one of ${CANCELLATION_REASON_CODES.join(', ')}.`,
      [{ name: 'reasonCode', message: `must be one of ${CANCELLATION_REASON_CODES.join(' | ')}` }],
    );
  const description = text(body, 'description', { invalid: 'INVALID_DESCRIPTION' });
  const clientToken = body.clientToken;
  if (clientToken !== undefined && (typeof clientToken !== 'string' || !CLIENT_TOKEN.test(clientToken)))
    throw validation('INVALID_CLIENT_TOKEN', 'clientToken must match ^[a-zA-Z0-9-]+$ (1-64 characters).', [
      { name: 'clientToken', message: 'must match ^[a-zA-Z0-9-]+$' },
    ]);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([agreement.agreementId, reasonCode, description ?? null]))
    .digest('hex');
  if (typeof clientToken === 'string') {
    const earlier = ctx.store.find<CancellationRequestRecord>(
      'cancellationRequest',
      (r) => r.clientToken === clientToken && r.agreementId === agreement.agreementId,
    );
    if (earlier) {
      if (earlier.fingerprint !== fingerprint)
        throw conflict(`clientToken ${clientToken} was used for another request.`, earlier.id);
      return view(earlier); // the same request again: answered, not sent twice
    }
  }
  if (agreement.status !== 'ACTIVE')
    throw validation(
      'INACTIVE_AGREEMENT',
      `Agreement ${agreement.agreementId} is ${agreement.status}, not ACTIVE.`,
    );
  const pending = pendingCancellationRequest(ctx, agreement.agreementId);
  if (pending)
    throw conflict(
      `Agreement ${agreement.agreementId} already has a cancellation request pending approval (${pending.id}).`,
      pending.id,
    );
  const now = ctx.now();
  const failure = ctx.switches.cancellationFailures.shift();
  const record: CancellationRequestRecord = {
    id: newCancellationRequestId(),
    agreementId: agreement.agreementId,
    reasonCode: reasonCode as CancellationReasonCode,
    ...(description !== undefined && { description }),
    status: failure ? 'VALIDATION_FAILED' : 'PENDING_APPROVAL',
    ...(failure && { statusMessage: failure.message }),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    autoApproveAt: new Date(now.getTime() + AUTO_APPROVAL_MS).toISOString(),
    ...(typeof clientToken === 'string' && { clientToken }),
    fingerprint,
  };
  ctx.store.transaction(() => {
    ctx.store.put('cancellationRequest', record.id, record);
    emit(ctx, agreement, record);
  });
  ctx.log.info('cancellation request sent', { agreementId: agreement.agreementId, id: record.id });
  return view(record);
}

function withdraw(ctx: SimulatorContext, body: Record<string, unknown>): unknown {
  const r = requestOf(ctx, body);
  const reason = text(body, 'cancellationReason', {
    missing: 'MISSING_REASON',
    invalid: 'INVALID_REASON',
  }) as string;
  if (r.status !== 'PENDING_APPROVAL')
    throw conflict(`Cancellation request ${r.id} is ${r.status}, not PENDING_APPROVAL.`, r.id);
  return view(answer(ctx, r, 'CANCELLED', reason));
}

function list(ctx: SimulatorContext, body: Record<string, unknown>): unknown {
  const party = body.partyType;
  if (party === undefined || party === '')
    throw validation('MISSING_PARTY_TYPE', 'partyType is required.', [
      { name: 'partyType', message: 'is required' },
    ]);
  if (party !== 'Proposer' && party !== 'Acceptor')
    throw validation('INVALID_PARTY_TYPE', 'partyType must be Proposer or Acceptor.');
  if (body.catalog !== undefined && body.catalog !== 'AWSMarketplace')
    throw validation('INVALID_CATALOG', 'catalog must be AWSMarketplace.');
  if (body.agreementType !== undefined && body.agreementType !== 'PurchaseAgreement')
    throw validation('INVALID_AGREEMENT_TYPE', 'agreementType must be PurchaseAgreement.');
  const status = body.status;
  if (status !== undefined && !(Object.keys(EVENT_OF) as unknown[]).includes(status))
    throw validation('INVALID_STATUS', `status must be one of ${Object.keys(EVENT_OF).join(', ')}.`);
  const agreementId = body.agreementId;
  if (agreementId !== undefined && (typeof agreementId !== 'string' || !AGREEMENT_ID.test(agreementId)))
    throw validation('INVALID_AGREEMENT_ID', 'agreementId is not valid.');
  const max = body.maxResults ?? 50;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 50)
    throw validation('INVALID_MAX_RESULTS', 'maxResults must be between 1 and 50.');
  let start = 0;
  if (body.nextToken !== undefined) {
    start =
      typeof body.nextToken === 'string'
        ? Number.parseInt(Buffer.from(body.nextToken, 'base64').toString(), 10)
        : Number.NaN;
    if (!Number.isInteger(start) || start < 0)
      throw validation('INVALID_NEXT_TOKEN', 'nextToken is not valid.');
  }
  // the seller sees the requests on the agreements it proposed (the simulator's buyers use its pages)
  const mine = (r: Readonly<CancellationRequestRecord>) => {
    const a = ctx.store.peek<AgreementRecord>('agreement', r.agreementId);
    return party === 'Proposer' && a?.proposerAccountId === ctx.config.sellerAccountId;
  };
  const matches = ctx.store
    .filter<CancellationRequestRecord>(
      'cancellationRequest',
      (r) =>
        mine(r) &&
        (agreementId === undefined || r.agreementId === agreementId) &&
        (status === undefined || r.status === status),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const page = matches.slice(start, start + max);
  return {
    items: page.map((r) => ({
      agreementCancellationRequestId: r.id,
      agreementId: r.agreementId,
      status: r.status,
      reasonCode: r.reasonCode,
      agreementType: 'PurchaseAgreement',
      catalog: 'AWSMarketplace',
      createdAt: epochSeconds(r.createdAt),
      updatedAt: epochSeconds(r.updatedAt),
    })),
    ...(start + max < matches.length && { nextToken: Buffer.from(String(start + max)).toString('base64') }),
  };
}

function emit(ctx: SimulatorContext, agreement: AgreementRecord, r: CancellationRequestRecord): void {
  ctx.notify.agreementEvent(
    EVENT_OF[r.status],
    cancellationRequestDetail(agreement, r),
    agreement.agreementId,
    [], // as AWS documents these events: no resources
  );
}

/** A pending request moves to its answer; an approval ends the agreement (CANCELLED, with its Ended event). */
function answer(
  ctx: SimulatorContext,
  r: CancellationRequestRecord,
  status: Exclude<CancellationRequestStatus, 'PENDING_APPROVAL' | 'VALIDATION_FAILED'>,
  statusMessage: string | undefined,
): CancellationRequestRecord {
  const agreement = ctx.store.get<AgreementRecord>('agreement', r.agreementId);
  if (!agreement) throw new CancellationError('NOT_FOUND', `Agreement ${r.agreementId} was not found.`);
  const answered: CancellationRequestRecord = {
    ...r,
    status,
    ...(statusMessage !== undefined && { statusMessage }),
    updatedAt: ctx.now().toISOString(),
  };
  ctx.store.transaction(() => {
    ctx.store.put('cancellationRequest', r.id, answered);
    emit(ctx, agreement, answered);
    if (status === 'APPROVED' && agreement.status === 'ACTIVE')
      endAgreement(ctx, agreement.agreementId, 'CANCELLED');
  });
  ctx.log.info('cancellation request answered', { id: r.id, status });
  return answered;
}

function pendingOf(ctx: SimulatorContext, agreementId: string, id: string): CancellationRequestRecord {
  const r = ctx.store.get<CancellationRequestRecord>('cancellationRequest', id);
  if (!r || r.agreementId !== agreementId)
    throw new CancellationError('NOT_FOUND', `Cancellation request ${id} was not found.`);
  if (r.status !== 'PENDING_APPROVAL')
    throw new CancellationError('NOT_PENDING', `Cancellation request ${id} is already ${r.status}.`);
  return r;
}

/** The buyer accepts: APPROVED, and the agreement ends. */
export function acceptCancellationRequest(
  ctx: SimulatorContext,
  agreementId: string,
  id: string,
): CancellationRequestRecord {
  return answer(ctx, pendingOf(ctx, agreementId, id), 'APPROVED', undefined);
}

/** The buyer rejects, saying why (1-2000 characters, shown to the seller): the agreement stays. */
export function rejectCancellationRequest(
  ctx: SimulatorContext,
  agreementId: string,
  id: string,
  reason: string,
): CancellationRequestRecord {
  const r = pendingOf(ctx, agreementId, id);
  const why = reason.trim();
  if (why.length < 1 || why.length > 2000)
    throw new CancellationError('NOT_PENDING', 'A reason of 1 to 2000 characters is required to reject.');
  return answer(ctx, r, 'REJECTED', why);
}

/** Approves every pending request whose 7 days have passed without an answer; returns how many. */
export function settleCancellationRequests(ctx: SimulatorContext): number {
  const now = ctx.now().getTime();
  const due = ctx.store.filter<CancellationRequestRecord>(
    'cancellationRequest',
    (r) => r.status === 'PENDING_APPROVAL' && Date.parse(r.autoApproveAt) <= now,
  );
  for (const r of due)
    answer(ctx, r, 'APPROVED', 'Approved automatically: the buyer did not answer within 7 days.');
  return due.length;
}

export function pendingCancellationRequest(
  ctx: SimulatorContext,
  agreementId: string,
): CancellationRequestRecord | undefined {
  return ctx.store.find<CancellationRequestRecord>(
    'cancellationRequest',
    (r) => r.agreementId === agreementId && r.status === 'PENDING_APPROVAL',
  );
}

export function cancellationRequestsOf(
  ctx: SimulatorContext,
  agreementId: string,
): CancellationRequestRecord[] {
  return ctx.store
    .filter<CancellationRequestRecord>('cancellationRequest', (r) => r.agreementId === agreementId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
