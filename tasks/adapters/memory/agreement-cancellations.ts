/**
 * Cancellation requests in memory, with AWS's rules: one pending request per agreement, a clientToken answers the
 * same request again, only a pending request can be withdrawn. Tests script the buyer (`answer`) and count calls.
 */
import type { CancellationStatus } from '../../domain/agreement-cancellation.js';
import type {
  AgreementCancellations,
  CancellationRequestInfo,
  CancellationResult,
} from '../../ports/agreement-cancellations.js';
import { clone } from './cursor.js';

export class MemoryAgreementCancellations implements AgreementCancellations {
  readonly requests = new Map<string, CancellationRequestInfo & { clientToken?: string }>();
  /** Agreements AWS no longer holds active (SendAgreementCancellationRequest answers INACTIVE_AGREEMENT). */
  readonly inactive = new Set<string>();
  readonly calls = { send: 0, get: 0, withdraw: 0 };
  private seq = 0;

  async send(input: Parameters<AgreementCancellations['send']>[0]): Promise<CancellationResult> {
    this.calls.send++;
    const same = [...this.requests.values()].find(
      (r) => r.clientToken === input.clientToken && r.agreementId === input.agreementId,
    );
    if (same) return { ok: true, request: clone(same) };
    if (this.inactive.has(input.agreementId))
      return { ok: false, refusal: 'inactive', message: `Agreement ${input.agreementId} is not active.` };
    const pending = [...this.requests.values()].find(
      (r) => r.agreementId === input.agreementId && r.status === 'PENDING_APPROVAL',
    );
    if (pending)
      return { ok: false, refusal: 'conflict', message: `${pending.requestId} is pending approval.` };
    const at = new Date().toISOString();
    const request = {
      requestId: `acr-memory${++this.seq}`,
      agreementId: input.agreementId,
      status: 'PENDING_APPROVAL' as const,
      reasonCode: input.reasonCode,
      ...(input.description ? { description: input.description } : {}),
      createdAt: at,
      updatedAt: at,
      clientToken: input.clientToken,
    };
    this.requests.set(request.requestId, request);
    return { ok: true, request: clone(request) };
  }

  async get(agreementId: string, requestId: string): Promise<CancellationResult> {
    this.calls.get++;
    const r = this.requests.get(requestId);
    return r && r.agreementId === agreementId
      ? { ok: true, request: clone(r) }
      : { ok: false, refusal: 'not-found', message: `${requestId} was not found.` };
  }

  async withdraw(input: {
    agreementId: string;
    requestId: string;
    reason: string;
  }): Promise<CancellationResult> {
    this.calls.withdraw++;
    const r = this.requests.get(input.requestId);
    if (!r || r.agreementId !== input.agreementId)
      return { ok: false, refusal: 'not-found', message: `${input.requestId} was not found.` };
    if (r.status !== 'PENDING_APPROVAL')
      return { ok: false, refusal: 'conflict', message: `${input.requestId} is ${r.status}.` };
    return { ok: true, request: clone(this.answer(input.requestId, 'CANCELLED', input.reason)) };
  }

  /** The buyer (or AWS) answers a request. */
  answer(requestId: string, status: CancellationStatus, statusMessage?: string): CancellationRequestInfo {
    const r = this.requests.get(requestId);
    if (!r) throw new Error(`no request ${requestId}`);
    const answered = {
      ...r,
      status,
      ...(statusMessage ? { statusMessage } : {}),
      updatedAt: new Date().toISOString(),
    };
    this.requests.set(requestId, answered);
    return answered;
  }
}
