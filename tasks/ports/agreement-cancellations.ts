/**
 * The seller's cancellation requests in AWS Marketplace (Agreement API: SendAgreementCancellationRequest,
 * GetAgreementCancellationRequest, CancelAgreementCancellationRequest). A refusal AWS answers (a request already
 * pending, an agreement no longer active, a request already answered) is a result; throttling and faults throw.
 */
import type { CancellationReasonCode, CancellationStatus } from '../domain/agreement-cancellation.js';

export interface CancellationRequestInfo {
  readonly requestId: string;
  readonly agreementId: string;
  readonly status: CancellationStatus;
  readonly reasonCode: CancellationReasonCode;
  readonly description?: string;
  readonly statusMessage?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

export type CancellationRefusal =
  /** ConflictException: another request waits, the request is answered already, the token was used otherwise. */
  | 'conflict'
  /** ValidationException INACTIVE_AGREEMENT: the agreement is no longer active. */
  | 'inactive'
  /** ResourceNotFoundException: no such agreement or request for this seller. */
  | 'not-found'
  /** Any other ValidationException. */
  | 'invalid';

export type CancellationResult =
  | { readonly ok: true; readonly request: CancellationRequestInfo }
  | { readonly ok: false; readonly refusal: CancellationRefusal; readonly message: string };

export interface AgreementCancellations {
  send(input: {
    agreementId: string;
    reasonCode: CancellationReasonCode;
    description?: string;
    clientToken: string;
  }): Promise<CancellationResult>;
  get(agreementId: string, requestId: string): Promise<CancellationResult>;
  /** Withdraws a request while it is PENDING_APPROVAL (AWS requires a reason, 1-2000 characters). */
  withdraw(input: { agreementId: string; requestId: string; reason: string }): Promise<CancellationResult>;
}
