/** Entitlement Service `GetEntitlements` (JSON 1.1, `AWSMPEntitlementService.GetEntitlements`). */
import { consumeThrottle, type SimulatorContext } from './core.js';
import { ApiError, epochSeconds } from './http/wire.js';
import type { LicenseRecord } from './model.js';

const FILTERS = ['CUSTOMER_IDENTIFIER', 'DIMENSION', 'CUSTOMER_AWS_ACCOUNT_ID', 'LICENSE_ARN'] as const;

export function getEntitlements(
  body: Record<string, unknown>,
  ctx: SimulatorContext,
): Record<string, unknown> {
  if (consumeThrottle(ctx, 'GetEntitlements'))
    throw new ApiError(400, 'ThrottlingException', 'Rate exceeded');
  const productCode = body.ProductCode;
  if (typeof productCode !== 'string' || productCode.length === 0) {
    throw new ApiError(400, 'InvalidParameterException', 'ProductCode is required.');
  }
  if (productCode !== ctx.config.productCode) {
    throw new ApiError(
      400,
      'InvalidParameterException',
      `Product code ${productCode} is not valid for this seller.`,
    );
  }
  const filter = (body.Filter ?? {}) as Record<string, unknown>;
  for (const [name, values] of Object.entries(filter)) {
    if (!(FILTERS as readonly string[]).includes(name)) {
      throw new ApiError(
        400,
        'InvalidParameterException',
        `Filter ${name} is not valid; use one of ${FILTERS.join(', ')}.`,
      );
    }
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
      throw new ApiError(
        400,
        'InvalidParameterException',
        `Filter ${name} needs a non-empty list of strings.`,
      );
    }
  }
  const max = typeof body.MaxResults === 'number' ? body.MaxResults : 25;
  if (!Number.isInteger(max) || max < 1 || max > 25) {
    throw new ApiError(400, 'InvalidParameterException', 'MaxResults must be between 1 and 25.');
  }
  const values = (name: (typeof FILTERS)[number]) => filter[name] as string[] | undefined;
  const now = ctx.now().getTime();
  const all = ctx.store
    .list<LicenseRecord>('license')
    .filter((l) => l.status === 'ACTIVE' && l.productCode === productCode)
    .filter((l) => values('CUSTOMER_AWS_ACCOUNT_ID')?.includes(l.accountId) ?? true)
    .filter((l) => values('LICENSE_ARN')?.includes(l.licenseArn) ?? true)
    .filter((l) => values('CUSTOMER_IDENTIFIER')?.includes(l.customerIdentifier) ?? true)
    .flatMap((l) =>
      l.entitlements
        .filter((e) => values('DIMENSION')?.includes(e.dimension) ?? true)
        .filter((e) => e.expirationDate === undefined || Date.parse(e.expirationDate) > now)
        .map((e) => ({
          ProductCode: l.productCode,
          Dimension: e.dimension,
          ...(ctx.config.populateCustomerIdentifier && { CustomerIdentifier: l.customerIdentifier }),
          CustomerAWSAccountId: l.accountId,
          Value: e.value,
          ...(e.expirationDate !== undefined && { ExpirationDate: epochSeconds(e.expirationDate) }),
          LicenseArn: l.licenseArn,
        })),
    );
  const start = decodeToken(body.NextToken);
  const page = all.slice(start, start + max);
  return {
    Entitlements: page,
    ...(start + max < all.length && { NextToken: Buffer.from(String(start + max)).toString('base64') }),
  };
}

function decodeToken(token: unknown): number {
  if (token === undefined) return 0;
  const n =
    typeof token === 'string' ? Number.parseInt(Buffer.from(token, 'base64').toString(), 10) : Number.NaN;
  if (!Number.isInteger(n) || n < 0)
    throw new ApiError(400, 'InvalidParameterException', 'NextToken is not valid.');
  return n;
}
