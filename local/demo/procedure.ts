/**
 * Drives the onboarding procedure from the outside, as its people do: the buyer's inquiry form, staff in the
 * console, the buyer on AWS Marketplace (the simulator) and on our registration pages, the e-mails in the SES inbox.
 * Progress is observed through the Step Functions API, as an operator would. Used by `npm run demo`, the end-to-end
 * tests and the load benchmark; it knows URLs and page shapes, never the application's internals.
 */
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { localClientConfig } from '../stack/aws.js';
import { Browser, type Page } from './browser.js';

export interface ProcedureUrls {
  readonly web: string;
  readonly states: string;
  readonly ses: string;
  readonly marketplace: string;
}

export interface InquiryInput {
  readonly company: string;
  readonly contactName: string;
  readonly email: string;
  readonly awsAccountId: string;
  readonly plan: string;
  readonly message?: string;
  readonly locale?: 'ja' | 'en';
}

export interface TermsInput {
  readonly plan: string;
  readonly offerName: string;
  readonly durationMonths: number;
  /** YYYY-MM-DD (the console's date field). */
  readonly offerExpiresOn: string;
  readonly dimensions: readonly { key: string; price: string }[];
  readonly offerCreation?: 'automatic' | 'manual';
  readonly manualOfferId?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value, or fails after `timeoutMs` with `what` in the message. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
}

export class Procedure {
  readonly sfn: SFNClient;
  private readonly staffBrowsers = new Map<string, Promise<Browser>>();

  constructor(
    readonly urls: ProcedureUrls,
    readonly stateMachineArn: string,
    private readonly staffPasswords: Readonly<Record<string, string>>,
    /** How long a wait for the workflow may take before it counts as a failure (longer under load). @default 30 s */
    readonly patienceMs = 30_000,
  ) {
    this.sfn = new SFNClient({ ...localClientConfig(urls.states), maxAttempts: 1 });
  }

  executionArn(onboardingId: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${onboardingId}`;
  }

  // --- step 1: the inquiry form ------------------------------------------------------------------------------
  async inquiry(input: InquiryInput): Promise<string> {
    const browser = new Browser({ acceptLanguage: input.locale ?? 'ja' });
    const form = await browser.get(`${this.urls.web}/inquiry?lang=${input.locale ?? 'ja'}`);
    const thanks = await browser.submit(
      form,
      { action: '/inquiry' },
      {
        company: input.company,
        contactName: input.contactName,
        email: input.email,
        awsAccountId: input.awsAccountId,
        plan: input.plan,
        message: input.message ?? '',
        locale: input.locale ?? 'ja',
      },
    );
    const ref = new URL(thanks.url).searchParams.get('ref');
    if (!ref) throw new Error(`the inquiry form did not confirm an onboarding: ${thanks.url}`);
    return ref;
  }

  // --- staff in the console ----------------------------------------------------------------------------------
  staff(user: string): Promise<Browser> {
    let browser = this.staffBrowsers.get(user);
    if (!browser) {
      browser = (async () => {
        const b = new Browser({ acceptLanguage: 'en' });
        const login = await b.get(`${this.urls.web}/auth/login`);
        const password = this.staffPasswords[user];
        if (!password) throw new Error(`no password for staff user ${user}`);
        const after = await b.submit(login, { action: '/auth/login' }, { username: user, password });
        if (after.url.includes('/auth/login'))
          throw new Error(`staff sign-in failed for ${user}: ${after.text.slice(0, 200)}`);
        return b;
      })();
      this.staffBrowsers.set(user, browser);
    }
    return browser;
  }

  async onboardingPage(user: string, onboardingId: string): Promise<Page> {
    return (await this.staff(user)).get(`${this.urls.web}/console/onboardings/${onboardingId}`);
  }

  /** Submits the form of a human stage on the onboarding's console page (`action` = the form's action field). */
  async completeStage(
    user: string,
    onboardingId: string,
    stage: string,
    action: string,
    fields: Record<string, string>,
  ): Promise<Page> {
    const browser = await this.staff(user);
    const page = await this.onboardingPage(user, onboardingId);
    const result = await browser.submit(
      page,
      { action: `/stages/${stage}`, field: { name: 'action', value: action } },
      fields,
    );
    const refused = result.document.querySelector('.notice.warn, .notice.bad, [role="alert"]');
    // a form that went through redirects to the onboarding's own page (its confirmation is a one-time cookie)
    const redirected = /^\/console\/onboardings\/[^/]+$/.test(new URL(result.url).pathname);
    if (result.status >= 400 || (refused && !redirected)) {
      throw new Error(
        `${stage}/${action} was refused: ${(refused?.textContent ?? result.text).trim().slice(0, 300)}`,
      );
    }
    return result;
  }

  async agreeTerms(user: string, onboardingId: string, terms: TermsInput): Promise<void> {
    const fields: Record<string, string> = {
      plan: terms.plan,
      offerName: terms.offerName,
      durationMonths: String(terms.durationMonths),
      offerExpiresAt: terms.offerExpiresOn,
      offerCreation: terms.offerCreation ?? 'automatic',
      manualOfferId: terms.manualOfferId ?? '',
    };
    terms.dimensions.forEach((d, i) => {
      fields[`dimensions.${i}.key`] = d.key;
      fields[`dimensions.${i}.price`] = d.price;
    });
    await this.completeStage(user, onboardingId, 'Consultation', 'terms', fields);
  }

  async closeOnboarding(user: string, onboardingId: string, reason: string): Promise<void> {
    const browser = await this.staff(user);
    const page = await this.onboardingPage(user, onboardingId);
    await browser.submit(page, { action: '/close' }, { reason });
  }

  // --- the buyer -----------------------------------------------------------------------------------------------
  /** The offer link from the offer e-mail in the SES inbox (what the buyer clicks). */
  async offerLinkFromInbox(email: string, timeoutMs = this.patienceMs): Promise<string> {
    return this.linkFromInbox(
      email,
      'the offer e-mail',
      /https?:\/\/[^\s"'<>]*offer-[0-9a-z]+[^\s"'<>]*/,
      timeoutMs,
    );
  }

  /** The set-password link of the 7-1 completion e-mail (the built-in directory's invitation). */
  async setPasswordLinkFromInbox(email: string, timeoutMs = this.patienceMs): Promise<string> {
    return this.linkFromInbox(
      email,
      'the set-password link of the completion e-mail',
      /https?:\/\/[^\s"'<>]*\/account\/set-password\?invite=[A-Za-z0-9_-]+/,
      timeoutMs,
    );
  }

  /** The newest link matching `pattern` in a mail to `email` in the SES inbox. */
  /** The sample vendor SaaS's invitation to a new owner (7-1 with `--vendor sample`): its set-password link. */
  async vendorInvitationLinkFromInbox(email: string, timeoutMs = this.patienceMs): Promise<string> {
    return this.linkFromInbox(
      email,
      "the vendor SaaS's invitation e-mail",
      /https?:\/\/[^\s"'<>]*\/app\/invitation\?t=[A-Za-z0-9_-]+/,
      timeoutMs,
    );
  }

  /** The newest link matching `pattern` in a mail to `email` in the local SES inbox. */
  async linkFromInbox(email: string, what: string, pattern: RegExp, timeoutMs: number): Promise<string> {
    const since = Math.floor(Date.now() / 1000) - 600;
    return eventually(
      `${what} to ${email}`,
      async () => {
        const store = (await (await fetch(`${this.urls.ses}/store?since=${since}`)).json()) as {
          emails: { destination: { to: string[] }; body: { text?: string; html?: string } }[];
        };
        for (const mail of [...store.emails].reverse()) {
          if (!mail.destination.to.includes(email)) continue;
          const link = `${mail.body.text ?? ''} ${mail.body.html ?? ''}`.match(pattern);
          if (link) return link[0];
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  /** Opens the offer page as the buyer's AWS account and subscribes; returns the agreement page. */
  async subscribe(buyer: Browser, offerLink: string, awsAccountId: string): Promise<Page> {
    const url = new URL(offerLink);
    url.searchParams.set('account', awsAccountId);
    const offer = await buyer.get(url.toString());
    return buyer.submit(offer, { action: /\/subscribe$/ });
  }

  /** Clicks "アカウントを設定" on the agreement page: posts the marketplace token to our fulfillment URL. */
  async setUpAccount(buyer: Browser, agreementPage: Page): Promise<Page> {
    const again = await buyer.get(agreementPage.url); // a fresh token, as a reload would give
    return buyer.submit(again, { field: { name: 'x-amzn-marketplace-token' } });
  }

  /** 7-1: the new-account form. */
  async registerNew(buyer: Browser, page: Page, accountName: string, email: string): Promise<Page> {
    return buyer.submit(page, { action: '/buyer/register' }, { accountName, email });
  }

  /**
   * 7-2: "すでに登録済みでログインする方はこちら", log in (at the vendor's OpenID provider when the stack runs the sample
   * SaaS, its form posting to `/interaction/<uid>/login`; else the built-in form), "このアカウントで利用を開始する".
   */
  async loginAndSelect(buyer: Browser, email: string, password: string, accountId: string): Promise<Page> {
    const login = await buyer.get(`${this.urls.web}/buyer/login`);
    const accounts = await buyer.submit(login, { action: /\/login$/ }, { email, password });
    return buyer.submit(accounts, {
      action: '/buyer/accounts',
      field: { name: 'accountId', value: accountId },
    });
  }

  // --- observing the workflow ----------------------------------------------------------------------------------
  async history(onboardingId: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(
        new GetExecutionHistoryCommand({
          executionArn: this.executionArn(onboardingId),
          maxResults: 1000,
          nextToken,
        }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  /** The newest events of the execution, newest first (one cheap page, as a poller should read). */
  async recentEvents(onboardingId: string, maxResults = 25): Promise<HistoryEvent[]> {
    const page = await this.sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: this.executionArn(onboardingId),
        maxResults,
        reverseOrder: true,
        includeExecutionData: false,
      }),
    );
    return page.events ?? [];
  }

  /** Waits until the workflow waits at `stage`: the state was entered and its task token handed out. */
  async waitForStage(onboardingId: string, stage: string, timeoutMs = this.patienceMs): Promise<void> {
    await eventually(
      `${onboardingId} to wait at ${stage}`,
      async () => {
        const recent = await this.recentEvents(onboardingId).catch(() => []);
        if (recent.some((e) => e.type?.startsWith('Execution') && e.type !== 'ExecutionStarted')) {
          throw new Error(`${onboardingId} ended before waiting at ${stage}`);
        }
        // Newest first: the latest state entered must be `stage`, with its task handed out after it.
        const entered = recent.findIndex((e) => e.type?.endsWith('StateEntered'));
        if (entered < 0 || recent[entered]?.stateEnteredEventDetails?.name !== stage) return undefined;
        return recent.slice(0, entered).some((e) => e.type === 'TaskSubmitted') ? true : undefined;
      },
      timeoutMs,
    );
  }

  async waitForEnd(
    onboardingId: string,
    timeoutMs = this.patienceMs * 2,
  ): Promise<DescribeExecutionCommandOutput> {
    return eventually(
      `${onboardingId} to end`,
      async () => {
        const out = await this.sfn.send(
          new DescribeExecutionCommand({ executionArn: this.executionArn(onboardingId) }),
        );
        return out.status === 'RUNNING' ? undefined : out;
      },
      timeoutMs,
    );
  }

  /** The states the execution went through, in order (a readable summary of its history). */
  async path(onboardingId: string): Promise<string[]> {
    return (await this.history(onboardingId))
      .filter((e) => e.type?.endsWith('StateEntered'))
      .map((e) => e.stateEnteredEventDetails?.name ?? '?');
  }
}
