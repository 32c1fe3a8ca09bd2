/**
 * The seller's cancellation requests through the AWS Marketplace Agreement API (SendAgreementCancellationRequest,
 * GetAgreementCancellationRequest, CancelAgreementCancellationRequest). AWS's refusals become results the use cases
 * explain; throttling and faults throw (the SDK retried them already).
 */
import {
  CancelAgreementCancellationRequestCommand,
  GetAgreementCancellationRequestCommand,
  type MarketplaceAgreementClient,
  SendAgreementCancellationRequestCommand,
} from '@aws-sdk/client-marketplace-agreement';
import type { CancellationReasonCode, CancellationStatus } from '../../domain/agreement-cancellation.js';
import type {
  AgreementCancellations,
  CancellationRefusal,
  CancellationRequestInfo,
  CancellationResult,
} from '../../ports/agreement-cancellations.js';
import { agreementClient } from './marketplace-agreement.js';

interface Output {
  agreementCancellationRequestId?: string | undefined;
  agreementId?: string | undefined;
  status?: string | undefined;
  reasonCode?: string | undefined;
  description?: string | undefined;
  statusMessage?: string | undefined;
  createdAt?: Date | undefined;
  updatedAt?: Date | undefined;
}

function infoOf(o: Output, agreementId: string): CancellationRequestInfo {
  return {
    requestId: o.agreementCancellationRequestId ?? '',
    agreementId: o.agreementId ?? agreementId,
    status: (o.status ?? 'PENDING_APPROVAL') as CancellationStatus,
    reasonCode: (o.reasonCode ?? 'OTHER') as CancellationReasonCode,
    ...(o.description ? { description: o.description } : {}),
    ...(o.statusMessage ? { statusMessage: o.statusMessage } : {}),
    ...(o.createdAt ? { createdAt: o.createdAt.toISOString() } : {}),
    ...(o.updatedAt ? { updatedAt: o.updatedAt.toISOString() } : {}),
  };
}

function refusalOf(err: unknown): { refusal: CancellationRefusal; message: string } | undefined {
  if (!(err instanceof Error)) return undefined;
  const reason = (err as { reason?: string }).reason;
  switch (err.name) {
    case 'ConflictException':
      return { refusal: 'conflict', message: err.message };
    case 'ResourceNotFoundException':
      return { refusal: 'not-found', message: err.message };
    case 'ValidationException':
      return { refusal: reason === 'INACTIVE_AGREEMENT' ? 'inactive' : 'invalid', message: err.message };
    default:
      return undefined;
  }
}

export class AwsAgreementCancellations implements AgreementCancellations {
  constructor(private readonly client: MarketplaceAgreementClient) {}

  private async call(agreementId: string, run: () => Promise<Output>): Promise<CancellationResult> {
    try {
      return { ok: true, request: infoOf(await run(), agreementId) };
    } catch (err) {
      const refused = refusalOf(err);
      if (refused) return { ok: false, ...refused };
      throw err;
    }
  }

  send(input: Parameters<AgreementCancellations['send']>[0]) {
    return this.call(input.agreementId, () =>
      this.client.send(
        new SendAgreementCancellationRequestCommand({
          agreementId: input.agreementId,
          reasonCode: input.reasonCode,
          clientToken: input.clientToken,
          ...(input.description ? { description: input.description } : {}),
        }),
      ),
    );
  }

  get(agreementId: string, requestId: string) {
    return this.call(agreementId, () =>
      this.client.send(
        new GetAgreementCancellationRequestCommand({
          agreementId,
          agreementCancellationRequestId: requestId,
        }),
      ),
    );
  }

  withdraw(input: { agreementId: string; requestId: string; reason: string }) {
    return this.call(input.agreementId, () =>
      this.client.send(
        new CancelAgreementCancellationRequestCommand({
          agreementId: input.agreementId,
          agreementCancellationRequestId: input.requestId,
          cancellationReason: input.reason,
        }),
      ),
    );
  }
}

export function agreementCancellationsFromEnv(): AwsAgreementCancellations {
  return new AwsAgreementCancellations(agreementClient());
}
