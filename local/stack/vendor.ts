/**
 * The vendor's SaaS of the local stack (`--vendor`): `sample` runs local/sample-saas ("Example SaaS") and synthesizes
 * the CDK app as a vendor would configure it (context `provisioning` webhook mode, `buyerOidc`), so the functions
 * call its provisioning API with the signing secret from (local) Secrets Manager and the buyer's 7-2 signs in at its
 * OpenID provider; `built-in` keeps the embedded directory and sign-in. The template holds the vendor's public
 * addresses; environment.ts points them at the sample SaaS.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type SampleSaas, startSampleSaas } from '../sample-saas/server.js';
import { localClientConfig } from './aws.js';
import type { StackVendor } from './config.js';
import type { LocalSecretsManager } from './secrets-manager.js';
import { DEMO_BUYER_USER } from './seed.js';

export const SAMPLE_VENDOR = {
  /** The placeholders the template carries (never called: environment.ts points them at the sample SaaS). */
  webhookUrl: 'https://saas.example.com/marketplace-provisioning',
  issuer: 'https://saas.example.com',
  clientId: 'marketplace-onboarding',
  name: 'Example SaaS',
  mailFrom: 'no-reply@saas.example.com',
} as const;

/** The CDK context of the vendor's SaaS, over cdk.json's (`vendorUrl`: the vendor's own API, built-in sign-in). */
export function vendorContext(vendor: StackVendor, vendorUrl?: string): Record<string, unknown> {
  const webhook = {
    provisioning: { mode: 'webhook', webhookUrl: SAMPLE_VENDOR.webhookUrl, events: false, timeoutMs: 5000 },
  };
  if (vendorUrl) return webhook;
  if (vendor === 'built-in') return {};
  return {
    ...webhook,
    buyerOidc: { issuer: SAMPLE_VENDOR.issuer, clientId: SAMPLE_VENDOR.clientId, name: SAMPLE_VENDOR.name },
  };
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The vendor's invitation, as text and as HTML whose link is a link (the inbox shows the HTML part). */
const invitationHtml = (lang: string, lines: [string, string, string], link: string) =>
  `<!doctype html><html lang="${lang}"><body><div style="font-family:sans-serif;line-height:1.6"><p>${escapeHtml(lines[0])}</p><p><a href="${escapeHtml(link)}" target="_blank" rel="noopener">${escapeHtml(lines[1])}</a></p><p>${escapeHtml(lines[2])}</p></div></body></html>`;

const INVITATION = {
  ja: (tenant: string, link: string) => ({
    subject: `Example SaaS へようこそ: ${tenant}`,
    text: `Example SaaS のアカウント「${tenant}」が AWS Marketplace 経由で作成されました。\n\n次のリンクからパスワードを設定してログインしてください（72時間有効、1回限り）:\n${link}\n\nExample SaaS`,
    html: invitationHtml(
      'ja',
      [
        `Example SaaS のアカウント「${tenant}」が AWS Marketplace 経由で作成されました。`,
        'パスワードを設定してログインする（72時間有効、1回限り）',
        'Example SaaS',
      ],
      link,
    ),
  }),
  en: (tenant: string, link: string) => ({
    subject: `Welcome to Example SaaS: ${tenant}`,
    text: `Your Example SaaS account "${tenant}" was created through AWS Marketplace.\n\nSet your password and sign in with this link (valid 72 hours, once):\n${link}\n\nExample SaaS`,
    html: invitationHtml(
      'en',
      [
        `Your Example SaaS account "${tenant}" was created through AWS Marketplace.`,
        'Set your password and sign in (valid 72 hours, once)',
        'Example SaaS',
      ],
      link,
    ),
  }),
};

/** Starts the sample SaaS with the template's secrets; its invitations go to the local SES inbox. */
export async function startSampleVendor(options: {
  port: number;
  host: string;
  dataDir: string;
  webUrl: string;
  sesUrl: string;
  secrets: LocalSecretsManager;
  signingSecretArn: string;
  clientSecretArn: string;
}): Promise<SampleSaas> {
  const ses = new SESv2Client(localClientConfig(options.sesUrl));
  const secret = (arn: string) => {
    const value = options.secrets.value(arn);
    if (!value) throw new Error(`local Secrets Manager has no value for ${arn}`);
    return value;
  };
  const clientSecret = secret(options.clientSecretArn);
  secret(options.signingSecretArn);
  const saas = await startSampleSaas({
    host: options.host,
    port: options.port,
    dataDir: options.dataDir,
    signingSecret: () => secret(options.signingSecretArn),
    client: {
      clientId: SAMPLE_VENDOR.clientId,
      clientSecret,
      redirectUris: [`${options.webUrl}/buyer/oidc/callback`],
    },
    invite: async ({ email, tenantName, link, locale }) => {
      const mail = INVITATION[locale](tenantName, link);
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: SAMPLE_VENDOR.mailFrom,
          Destination: { ToAddresses: [email] },
          Content: {
            Simple: {
              Subject: { Data: mail.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: mail.text, Charset: 'UTF-8' },
                Html: { Data: mail.html, Charset: 'UTF-8' },
              },
            },
          },
        }),
      );
    },
    demoUsers: [
      {
        email: DEMO_BUYER_USER.email,
        password: DEMO_BUYER_USER.password,
        name: DEMO_BUYER_USER.name,
        tenants: DEMO_BUYER_USER.accounts.map((a) => ({ id: a.id, name: a.name })),
      },
    ],
  });
  const close = saas.close;
  return {
    ...saas,
    close: async () => {
      ses.destroy();
      await close();
    },
  };
}
