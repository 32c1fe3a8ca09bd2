/**
 * Staff sign-in: a Cognito user pool (no self sign-up; admins invite staff), a strong password policy, MFA required
 * (authenticator app; no SMS, so no SMS role), the Plus feature plan with threat protection enforced, the groups
 * sales, support, auditor and admin (web maps `cognito:groups` to a role), and one public app client for the
 * console (authorization code + PKCE on the hosted UI).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { STAFF_ROLES } from '../workflows/contracts/index.js';

export interface StaffAuthProps {
  /** The console's base URL; the hosted UI returns to `<url>/auth/callback` and, on sign-out, to `<url>/`. */
  readonly webBaseUrl: string;
  readonly domainPrefix: string;
  readonly userPoolName: string;
}

const GROUP_DESCRIPTIONS: Record<(typeof STAFF_ROLES)[number], string> = {
  sales: 'Sales: agreed terms, offers, offer decisions',
  support: 'Support: every human stage, escalations, closing',
  auditor: 'Auditors: read-only histories and exports',
  admin: 'Administrators: everything',
};

export class StaffAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: StaffAuthProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: props.userPoolName,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of STAFF_ROLES) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: GROUP_DESCRIPTIONS[role] });
    }
    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
    });
    const base = props.webBaseUrl.replace(/\/+$/, '');
    this.client = this.userPool.addClient('Console', {
      userPoolClientName: 'console',
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${base}/auth/callback`],
        // where web/routes/auth.ts sends the hosted UI's sign-out back to (logout_uri must be registered, or the
        // hosted-UI session survives the sign-out)
        logoutUrls: [`${base}/auth/login`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
  }
}
