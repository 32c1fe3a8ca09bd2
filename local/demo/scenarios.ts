/**
 * The procedure's two branches end to end, as the demo, the end-to-end tests and the load benchmark run them.
 */
import { Browser, type Page } from './browser.js';
import type { InquiryInput, Procedure, TermsInput } from './procedure.js';

export interface BuyerIdentity {
  readonly company: string;
  readonly contactName: string;
  readonly email: string;
  readonly awsAccountId: string;
}

let sequence = 0;
/** A fresh buyer (unique e-mail and 12-digit AWS account id per call). */
export function newBuyer(label = 'Example'): BuyerIdentity {
  sequence += 1;
  const n = `${Date.now() % 1_000_000}${String(sequence).padStart(6, '0')}`.slice(-12).padStart(12, '1');
  return {
    company: `${label} 株式会社 ${sequence}`,
    contactName: '山田 花子',
    email: `buyer-${n}@example.co.jp`,
    awsAccountId: n,
  };
}

export function defaultTerms(overrides: Partial<TermsInput> = {}): TermsInput {
  const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  return {
    plan: 'Business',
    offerName: 'Business plan, 12 months (private offer)',
    durationMonths: 12,
    offerExpiresOn: expires,
    dimensions: [{ key: 'Users', price: '12000.00' }],
    ...overrides,
  };
}

export interface ScenarioOptions {
  readonly terms?: TermsInput;
  /** The staff user who agrees the terms. @default 'sales' */
  readonly sales?: string;
  readonly locale?: 'ja' | 'en';
  /** Told the onboarding id as soon as the inquiry form confirmed it. */
  readonly onStarted?: (onboardingId: string) => void;
}

export interface ScenarioResult {
  readonly onboardingId: string;
  readonly status: string;
  readonly stepMs: Record<string, number>;
}

/** Inquiry, terms agreed by sales, offer created and mailed, the buyer subscribes and clicks "アカウントを設定". */
export async function throughSetup(
  procedure: Procedure,
  buyer: BuyerIdentity,
  options: ScenarioOptions & { stepMs?: Record<string, number> } = {},
): Promise<{ onboardingId: string; browser: Browser; page: Page }> {
  const stepMs = options.stepMs ?? {};
  const time = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await work();
    stepMs[step] = performance.now() - t0;
    return value;
  };
  const inquiry: InquiryInput = {
    ...buyer,
    plan: 'Business',
    message: 'プライベートオファーを希望します',
    locale: options.locale ?? 'ja',
  };
  const onboardingId = await time('inquiry', () => procedure.inquiry(inquiry));
  options.onStarted?.(onboardingId);
  await procedure.waitForStage(onboardingId, 'Consultation');
  await time('consultation', () =>
    procedure.agreeTerms(options.sales ?? 'sales', onboardingId, options.terms ?? defaultTerms()),
  );
  const offerLink = await procedure.offerLinkFromInbox(buyer.email);
  await procedure.waitForStage(onboardingId, 'AwaitAcceptance');
  const browser = new Browser({ acceptLanguage: options.locale ?? 'ja' });
  const agreement = await time('subscribe', () =>
    procedure.subscribe(browser, offerLink, buyer.awsAccountId),
  );
  const page = await time('setup', () => procedure.setUpAccount(browser, agreement));
  return { onboardingId, browser, page };
}

/** Branch 7-1: a new account. */
export async function newAccountScenario(
  procedure: Procedure,
  buyer = newBuyer(),
  options: ScenarioOptions = {},
): Promise<ScenarioResult> {
  const stepMs: Record<string, number> = {};
  const { onboardingId, browser, page } = await throughSetup(procedure, buyer, { ...options, stepMs });
  const t0 = performance.now();
  await procedure.registerNew(browser, page, `${buyer.company} 本番`, buyer.email);
  stepMs.registration = performance.now() - t0;
  const end = await procedure.waitForEnd(onboardingId);
  return { onboardingId, status: end.status ?? 'UNKNOWN', stepMs };
}

/** Branch 7-2: an existing user logs in and picks the account to upgrade. */
export async function existingAccountScenario(
  procedure: Procedure,
  user: { email: string; password: string; accountId: string },
  buyer = newBuyer('Existing'),
  options: ScenarioOptions = {},
): Promise<ScenarioResult> {
  const stepMs: Record<string, number> = {};
  const { onboardingId, browser } = await throughSetup(procedure, buyer, { ...options, stepMs });
  const t0 = performance.now();
  await procedure.loginAndSelect(browser, user.email, user.password, user.accountId);
  stepMs.selection = performance.now() - t0;
  const end = await procedure.waitForEnd(onboardingId);
  return { onboardingId, status: end.status ?? 'UNKNOWN', stepMs };
}

/**
 * Up to the buyer's subscription, headless: returns the `x-amzn-marketplace-token` the agreement page's
 * "アカウントを設定" would post (for bursts of one token and other races).
 */
export async function subscribedToken(
  procedure: Procedure,
  buyer: BuyerIdentity,
): Promise<{ onboardingId: string; token: string }> {
  const onboardingId = await procedure.inquiry({ ...buyer, plan: 'Business' });
  await procedure.waitForStage(onboardingId, 'Consultation');
  await procedure.agreeTerms('sales', onboardingId, defaultTerms());
  const link = await procedure.offerLinkFromInbox(buyer.email);
  await procedure.waitForStage(onboardingId, 'AwaitAcceptance');
  const agreement = await procedure.subscribe(new Browser(), link, buyer.awsAccountId);
  const token = /name="x-amzn-marketplace-token" value="([^"]+)"/.exec(agreement.html)?.[1];
  if (!token) throw new Error('the agreement page has no x-amzn-marketplace-token field');
  return { onboardingId, token };
}

/** The fulfillment POST of one token, as the agreement page's form sends it; the answer's status and redirect. */
export async function postMarketplaceToken(
  webUrl: string,
  token: string,
  origin: string,
): Promise<{ status: number; location: string | null }> {
  const r = await fetch(`${webUrl}/marketplace/fulfillment`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ 'x-amzn-marketplace-token': token }).toString(),
  });
  await r.body?.cancel();
  return { status: r.status, location: r.headers.get('location') };
}
