/**
 * The vendor's SaaS side of the stack (docs/vendor-saas.md), from CDK context `provisioning`:
 * - webhook mode: the signing secret of the provisioning API in Secrets Manager (generated; the vendor reads it once);
 * - events on: a dedicated EventBridge bus the provisioning decisions are put on (source
 *   `marketplace-onboarding.provisioning`), for the vendor's own rules.
 * The functions whose `access` lists `provisioning:call` get read on that secret and PutEvents on that bus only
 * (infra/access.ts), and the PROVISIONING_* environment.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { OnboardingConfig } from './config.js';

export interface VendorProvisioningProps {
  readonly config: OnboardingConfig['provisioning'];
  /** 7-2 through the vendor's OpenID provider: the client secret is kept here. */
  readonly buyerOidc?: OnboardingConfig['buyerOidc'];
  /** Prefix of the bus name (the stack name). */
  readonly namePrefix: string;
}

export class VendorProvisioning extends Construct {
  readonly config: OnboardingConfig['provisioning'];
  /** webhook mode only. */
  readonly signingSecret?: secretsmanager.Secret;
  /** events on only. */
  readonly eventBus?: events.EventBus;
  /** buyerOidc only: the client secret the vendor's IdP issued for the buyer pages (the vendor puts it here). */
  readonly oidcClientSecret?: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: VendorProvisioningProps) {
    super(scope, id);
    this.config = props.config;
    if (props.config.mode === 'webhook') {
      this.signingSecret = new secretsmanager.Secret(this, 'SigningSecret', {
        description:
          "HMAC-SHA256 key signing the provisioning API requests to the vendor's SaaS (X-Onboarding-Signature); PROVISIONING_SECRET holds its ARN",
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
      });
    }
    if (props.buyerOidc) {
      this.oidcClientSecret = new secretsmanager.Secret(this, 'OidcClientSecret', {
        description: `Client secret of the onboarding's buyer pages at the vendor's OpenID provider (${props.buyerOidc.issuer}); put the value the provider issued with put-secret-value. BUYER_OIDC_CLIENT_SECRET holds its ARN`,
        // a placeholder until the vendor puts the provider's value (a provider that accepts a given secret may use it)
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
      });
    }
    if (props.config.events) {
      this.eventBus = new events.EventBus(this, 'Bus', {
        eventBusName: `${props.namePrefix}-provisioning`,
        description:
          'Provisioning decisions (source marketplace-onboarding.provisioning), docs/vendor-saas.md',
      });
    }
  }
}
