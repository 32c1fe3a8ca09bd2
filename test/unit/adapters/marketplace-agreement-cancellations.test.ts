import {
  CancelAgreementCancellationRequestCommand,
  ConflictException,
  MarketplaceAgreementClient,
  SendAgreementCancellationRequestCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-marketplace-agreement';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsAgreementCancellations } from '../../../tasks/adapters/aws/marketplace-agreement-cancellations.js';

const agreementMock = mockClient(MarketplaceAgreementClient);
afterEach(() => agreementMock.reset());
const meta = { $metadata: {} };
const adapter = new AwsAgreementCancellations(new MarketplaceAgreementClient({ region: 'us-east-1' }));
const send = () =>
  adapter.send({
    agreementId: 'agmt-1',
    reasonCode: 'TEST_AGREEMENT',
    clientToken: 'tok-1',
    description: 'x',
  });

describe('AwsAgreementCancellations', () => {
  it('sends the reason code, note and clientToken, and reads the request back', async () => {
    // Prepare
    agreementMock.on(SendAgreementCancellationRequestCommand).resolves({
      agreementCancellationRequestId: 'acr-1',
      agreementId: 'agmt-1',
      status: 'PENDING_APPROVAL',
      reasonCode: 'TEST_AGREEMENT',
      createdAt: new Date('2026-12-04T08:00:00Z'),
    });
    // Act
    const result = await send();
    // Assess
    expect(agreementMock.commandCalls(SendAgreementCancellationRequestCommand)[0]?.args[0].input).toEqual({
      agreementId: 'agmt-1',
      reasonCode: 'TEST_AGREEMENT',
      clientToken: 'tok-1',
      description: 'x',
    });
    expect(result).toEqual({
      ok: true,
      request: {
        requestId: 'acr-1',
        agreementId: 'agmt-1',
        status: 'PENDING_APPROVAL',
        reasonCode: 'TEST_AGREEMENT',
        createdAt: '2026-12-04T08:00:00.000Z',
      },
    });
  });

  it('turns AWS refusals into results and lets throttling through', async () => {
    // Prepare
    agreementMock
      .on(SendAgreementCancellationRequestCommand)
      .rejectsOnce(new ConflictException({ message: 'pending', ...meta }))
      .rejectsOnce(new ValidationException({ message: 'ended', reason: 'INACTIVE_AGREEMENT', ...meta }))
      .rejectsOnce(new ThrottlingException({ message: 'slow down', ...meta }));
    agreementMock
      .on(CancelAgreementCancellationRequestCommand)
      .rejects(new ConflictException({ message: 'APPROVED', ...meta }));
    // Act
    const conflict = await send();
    const inactive = await send();
    const throttled = await send().catch((e: unknown) => e);
    const withdraw = await adapter.withdraw({ agreementId: 'agmt-1', requestId: 'acr-1', reason: 'no' });
    // Assess
    expect(conflict).toEqual({ ok: false, refusal: 'conflict', message: 'pending' });
    expect(inactive).toEqual({ ok: false, refusal: 'inactive', message: 'ended' });
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(withdraw).toMatchObject({ ok: false, refusal: 'conflict' });
  });
});
