/** Metering Service `ResolveCustomer` (JSON 1.1, `AWSMPMeteringService.ResolveCustomer`). */
import { consumeThrottle, type SimulatorContext } from './core.js';
import { ApiError } from './http/wire.js';
import type { RegistrationTokenRecord } from './model.js';

export function resolveCustomer(
  body: Record<string, unknown>,
  ctx: SimulatorContext,
): Record<string, string> {
  if (consumeThrottle(ctx, 'ResolveCustomer'))
    throw new ApiError(400, 'ThrottlingException', 'Rate exceeded');
  const token = body.RegistrationToken;
  if (typeof token !== 'string' || token.length === 0) {
    throw new ApiError(400, 'InvalidTokenException', 'Registration token is invalid.');
  }
  const record = ctx.store.get<RegistrationTokenRecord>('registrationToken', token);
  if (!record || record.productCode !== ctx.config.productCode) {
    throw new ApiError(400, 'InvalidTokenException', 'Registration token is invalid.');
  }
  if (ctx.now().getTime() > Date.parse(record.expiresAt)) {
    throw new ApiError(400, 'ExpiredTokenException', 'Registration token has expired.');
  }
  if (record.redeemedAt !== undefined && ctx.config.singleUseTokens) {
    throw new ApiError(400, 'ExpiredTokenException', 'Registration token has already been used.');
  }
  if (record.redeemedAt === undefined) {
    ctx.store.put('registrationToken', token, { ...record, redeemedAt: ctx.now().toISOString() });
  }
  return {
    ...(ctx.config.populateCustomerIdentifier && { CustomerIdentifier: record.customerIdentifier }),
    CustomerAWSAccountId: record.accountId,
    ProductCode: record.productCode,
    LicenseArn: record.licenseArn,
  };
}
