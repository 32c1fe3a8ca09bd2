/** Metering ResolveCustomer: the buyer behind an `x-amzn-marketplace-token`, keyed by account id + license ARN. */
import {
  MarketplaceMeteringClient,
  ResolveCustomerCommand,
  type ResolveCustomerCommandOutput,
} from '@aws-sdk/client-marketplace-metering';
import { withoutSecret } from '../../domain/redact.js';
import {
  FulfillmentError,
  type FulfillmentFailure,
  type ResolvedCustomer,
} from '../../ports/marketplace-fulfillment.js';
import { once, regionOf } from './sdk-clients.js';

const FAILURES: Record<string, FulfillmentFailure> = {
  InvalidTokenException: 'invalid-token',
  ExpiredTokenException: 'expired-token',
  ThrottlingException: 'throttled',
  InternalServiceErrorException: 'unavailable',
  DisabledApiException: 'unavailable',
};

// one attempt per call: resolveBuyerArrival retries throttling itself (bounded, with back-off)
export const meteringClient = once(
  () => new MarketplaceMeteringClient({ region: regionOf(process.env), maxAttempts: 1 }),
);

export class MeteringCustomerResolver {
  constructor(private readonly metering: MarketplaceMeteringClient) {}

  async resolveCustomer(registrationToken: string): Promise<ResolvedCustomer> {
    let r: ResolveCustomerCommandOutput;
    try {
      r = await this.metering.send(new ResolveCustomerCommand({ RegistrationToken: registrationToken }));
    } catch (err) {
      const kind = err instanceof Error ? FAILURES[err.name] : undefined;
      // the message of these errors never contains the token
      if (kind) throw new FulfillmentError(kind, (err as Error).name);
      // any other error (a validation error may quote the value) is thrown without the token
      throw withoutSecret(err, registrationToken);
    }
    if (!r.CustomerAWSAccountId || !r.ProductCode) {
      throw new Error('ResolveCustomer returned no CustomerAWSAccountId/ProductCode');
    }
    return {
      customerAwsAccountId: r.CustomerAWSAccountId,
      productCode: r.ProductCode,
      ...(r.LicenseArn ? { licenseArn: r.LicenseArn } : {}),
      ...(r.CustomerIdentifier ? { customerIdentifier: r.CustomerIdentifier } : {}),
    };
  }
}
