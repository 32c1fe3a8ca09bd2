/** The buyer's side of AWS Marketplace: offer page, Subscribe, agreement page with "アカウントを設定", cancel. */
import type { ServerResponse } from 'node:http';
import {
  acceptCancellationRequest,
  CancellationError,
  cancellationRequestsOf,
  pendingCancellationRequest,
  rejectCancellationRequest,
} from '../agreement/cancellation.js';
import { InvalidSelectionError, type Selection } from '../agreement/terms.js';
import { isExpired, isTargetedTo } from '../catalog/offer-view.js';
import type { SimulatorContext } from '../core.js';
import { redirect, sendHtml } from '../http/wire.js';
import type { AgreementRecord, CancellationRequestRecord, OfferRecord } from '../model.js';
import { agreementPage } from './agreement-page.js';
import { cancellationRequestPage } from './cancellation-page.js';
import { indexPage } from './index-page.js';
import { accountPromptPage, messagePage, offerPage } from './offer-page.js';
import {
  activeAgreementFor,
  BuyerError,
  endAgreement,
  issueRegistrationToken,
  offerForBuyer,
  subscribe,
} from './subscriptions.js';

const ACCOUNT = /^\d{12}$/;
const OFFER_PATH = /^\/offers\/(offer-[a-z0-9]+)(\/subscribe)?$/;
const AGREEMENT_PATH = /^\/agreements\/(agmt-[a-z0-9]+)(\/cancel)?$/;
const CANCELLATION_PATH =
  /^\/agreements\/(agmt-[a-z0-9]+)\/cancellation-requests\/(acr-[a-z0-9]+)(\/accept|\/reject)?$/;

export interface BuyerRequest {
  readonly method: string;
  readonly url: URL;
  readonly form: URLSearchParams;
  /** The raw Cookie header: the buyer's AWS account is remembered like a console sign-in. */
  readonly cookie?: string;
}

const ACCOUNT_COOKIE = 'mp-account';

function cookieAccount(cookie: string | undefined): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${ACCOUNT_COOKIE}=(\\d{12})(?:;|$)`).exec(cookie ?? '');
  return m?.[1];
}

const STATUS: Record<BuyerError['code'], number> = {
  NOT_FOUND: 404,
  NOT_TARGETED: 403,
  EXPIRED: 410,
  INVALID_SELECTION: 400,
  NOT_ACTIVE: 409,
};

const TITLES: Record<BuyerError['code'], string> = {
  NOT_FOUND: 'オファーが見つかりません (Offer not found)',
  NOT_TARGETED: 'このオファーは利用できません (Offer not available)',
  EXPIRED: 'オファーの有効期限切れ (Offer expired)',
  INVALID_SELECTION: '入力内容を確認してください (Check your selection)',
  NOT_ACTIVE: '契約は有効ではありません (Agreement not active)',
};

/** Returns false when the request is not for a buyer page. */
export function handleBuyer(req: BuyerRequest, res: ServerResponse, ctx: SimulatorContext): boolean {
  const path = req.url.pathname;
  const given =
    (req.method === 'POST' ? req.form.get('account') : req.url.searchParams.get('account')) ?? undefined;
  if (given !== undefined && ACCOUNT.test(given)) {
    res.setHeader('set-cookie', `${ACCOUNT_COOKIE}=${given}; Path=/; HttpOnly; SameSite=Lax`);
  }
  const signOut = path === '/' && req.url.searchParams.has('signout');
  if (signOut) res.setHeader('set-cookie', `${ACCOUNT_COOKIE}=; Path=/; Max-Age=0`);
  const account = given ?? (signOut ? undefined : cookieAccount(req.cookie));
  try {
    if (path === '/marketplace/pp/procurement' && req.method === 'GET') {
      // The AWS offer link shape (…/procurement?productId=…&offerId=…) lands on the offer page.
      const offerId = req.url.searchParams.get('offerId') ?? '';
      redirect(
        res,
        `/offers/${encodeURIComponent(offerId)}${given ? `?account=${encodeURIComponent(given)}` : ''}`,
      );
      return true;
    }
    if (path === '/' && req.method === 'GET') {
      const valid = account !== undefined && ACCOUNT.test(account) ? account : undefined;
      const offers = valid
        ? ctx.store.list<OfferRecord>('offer').filter((o) => o.state === 'Released' && isTargetedTo(o, valid))
        : [];
      const agreements = valid
        ? ctx.store.list<AgreementRecord>('agreement').filter((a) => a.acceptorAccountId === valid)
        : [];
      const pending = new Map<string, CancellationRequestRecord>();
      for (const a of agreements) {
        const r = pendingCancellationRequest(ctx, a.agreementId);
        if (r) pending.set(a.agreementId, r);
      }
      const travelled = req.url.searchParams.get('travelled') ?? '';
      sendHtml(
        res,
        200,
        indexPage(valid, offers, agreements, {
          pending,
          now: ctx.now(),
          ...(!Number.isNaN(Date.parse(travelled)) && { travelled: new Date(travelled).toISOString() }),
        }),
      );
      return true;
    }
    const offerMatch = OFFER_PATH.exec(path);
    if (offerMatch) {
      const offerId = offerMatch[1] as string;
      if (!offerMatch[2] && req.method === 'GET') {
        showOffer(res, ctx, offerId, account);
        return true;
      }
      if (offerMatch[2] && req.method === 'POST') {
        postSubscribe(res, ctx, offerId, account, req.form);
        return true;
      }
    }
    const agreementMatch = AGREEMENT_PATH.exec(path);
    if (agreementMatch) {
      const agreementId = agreementMatch[1] as string;
      if (!agreementMatch[2] && req.method === 'GET') {
        showAgreement(res, ctx, agreementId, account, req.url.searchParams.has('subscribed'));
        return true;
      }
      if (agreementMatch[2] && req.method === 'POST') {
        const agreement = agreementOf(ctx, agreementId, account);
        endAgreement(ctx, agreement.agreementId, 'CANCELLED');
        redirect(
          res,
          `/agreements/${agreementId}?account=${encodeURIComponent(agreement.acceptorAccountId)}`,
        );
        return true;
      }
    }
    const cancellationMatch = CANCELLATION_PATH.exec(path);
    if (cancellationMatch) {
      const [, agreementId = '', requestId = '', answer] = cancellationMatch;
      if (!answer && req.method === 'GET') {
        if (!requireAccount(res, account, '契約 (Agreement)', path)) return true;
        showCancellationRequest(res, ctx, agreementId, requestId, account);
        return true;
      }
      if (answer && req.method === 'POST') {
        postCancellationAnswer(res, ctx, agreementId, requestId, account, answer, req.form);
        return true;
      }
    }
    return false;
  } catch (err) {
    if (err instanceof CancellationError) {
      sendHtml(
        res,
        err.code === 'NOT_FOUND' ? 404 : 409,
        messagePage('キャンセルリクエスト (Cancellation request)', err.message),
      );
      return true;
    }
    if (err instanceof BuyerError) {
      // an offer for another account: the way on is to switch accounts, so the page asks for one again
      const offerPage = OFFER_PATH.exec(path);
      const page =
        err.code === 'NOT_TARGETED' && offerPage
          ? accountPromptPage(TITLES[err.code], `/offers/${offerPage[1]}`, explain(err, account))
          : messagePage(TITLES[err.code], explain(err, account));
      sendHtml(res, STATUS[err.code], page);
      return true;
    }
    if (err instanceof InvalidSelectionError) {
      sendHtml(res, 400, messagePage(TITLES.INVALID_SELECTION, err.message));
      return true;
    }
    throw err;
  }
}

function explain(err: BuyerError, account: string | undefined): string {
  switch (err.code) {
    case 'NOT_TARGETED':
      return `このオファーはお使いの AWS アカウント (${account ?? '?'}) では利用できません。オファーを受け取ったアカウントでサインインしてください。(This offer isn't available to your AWS account.)`;
    case 'EXPIRED':
      return 'このオファーは有効期限が切れているため、サブスクライブできません。販売者にお問い合わせください。(This offer has expired.)';
    default:
      return err.message;
  }
}

function requireAccount(
  res: ServerResponse,
  account: string | undefined,
  title: string,
  action: string,
): account is string {
  if (account !== undefined && ACCOUNT.test(account)) return true;
  const message =
    account === undefined ? undefined : 'AWS アカウント ID は12桁の数字です (An AWS account ID is 12 digits)';
  sendHtml(res, account === undefined ? 200 : 400, accountPromptPage(title, action, message));
  return false;
}

function showOffer(
  res: ServerResponse,
  ctx: SimulatorContext,
  offerId: string,
  account: string | undefined,
): void {
  if (!requireAccount(res, account, 'プライベートオファー (Private offer)', `/offers/${offerId}`)) return;
  const offer = offerForBuyer(ctx, offerId, account);
  const expired = isExpired(offer, ctx.now());
  const existing = activeAgreementFor(ctx, offerId, account);
  sendHtml(
    res,
    expired && !existing ? 410 : 200,
    offerPage({ offer, accountId: account, config: ctx.config, expired, ...(existing && { existing }) }),
  );
}

function postSubscribe(
  res: ServerResponse,
  ctx: SimulatorContext,
  offerId: string,
  account: string | undefined,
  form: URLSearchParams,
): void {
  if (!requireAccount(res, account, 'プライベートオファー (Private offer)', `/offers/${offerId}`)) return;
  const quantities: Record<string, number> = {};
  for (const [key, value] of form) {
    if (key.startsWith('qty_') && value.trim() !== '') quantities[key.slice(4)] = Number(value);
  }
  const dimension = form.get('dimension');
  if (dimension) quantities[dimension] = Number(form.get('quantity') ?? 1);
  const selector = form.get('selector') ?? undefined;
  const selection: Selection = { ...(selector !== undefined && { selector }), quantities };
  const outcome = subscribe(ctx, offerId, account, selection);
  if (outcome.kind === 'failed' && outcome.agreement === undefined) {
    sendHtml(
      res,
      402,
      messagePage(
        'サブスクリプションに失敗しました (Subscription failed)',
        'お支払い情報を確認できなかったため、サブスクリプションを完了できませんでした。(We could not complete your subscription.)',
      ),
    );
    return;
  }
  const agreement = outcome.agreement as AgreementRecord;
  redirect(res, `/agreements/${agreement.agreementId}?account=${encodeURIComponent(account)}&subscribed=1`);
}

function agreementOf(
  ctx: SimulatorContext,
  agreementId: string,
  account: string | undefined,
): AgreementRecord {
  const agreement = ctx.store.get<AgreementRecord>('agreement', agreementId);
  if (!agreement || agreement.acceptorAccountId !== account) {
    throw new BuyerError('NOT_FOUND', `Agreement ${agreementId} was not found for this account.`);
  }
  return agreement;
}

function showAgreement(
  res: ServerResponse,
  ctx: SimulatorContext,
  agreementId: string,
  account: string | undefined,
  justSubscribed: boolean,
): void {
  if (!requireAccount(res, account, '契約 (Agreement)', `/agreements/${agreementId}`)) return;
  const agreement = agreementOf(ctx, agreementId, account);
  const setup =
    agreement.setupOffered && (agreement.status === 'ACTIVE' || agreement.status === 'ROLLED_BACK');
  const token = setup ? issueRegistrationToken(ctx, agreementId).token : undefined;
  sendHtml(
    res,
    200,
    agreementPage({
      agreement,
      offer: ctx.store.get<OfferRecord>('offer', agreement.offerId),
      productTitle: ctx.config.productTitle,
      fulfillmentUrl: ctx.config.fulfillmentUrl,
      ...(token !== undefined && { token }),
      justSubscribed,
      cancellationRequest: latestCancellationRequest(ctx, agreementId),
    }),
  );
}

function requestFor(
  ctx: SimulatorContext,
  agreement: AgreementRecord,
  requestId: string,
): CancellationRequestRecord {
  const request = ctx.store.get<CancellationRequestRecord>('cancellationRequest', requestId);
  if (!request || request.agreementId !== agreement.agreementId)
    throw new CancellationError('NOT_FOUND', `Cancellation request ${requestId} was not found.`);
  return request;
}

function showCancellationRequest(
  res: ServerResponse,
  ctx: SimulatorContext,
  agreementId: string,
  requestId: string,
  account: string,
  notice?: { kind: 'ok' | 'error'; text: string },
  status = 200,
): void {
  const agreement = agreementOf(ctx, agreementId, account);
  const request = requestFor(ctx, agreement, requestId);
  sendHtml(
    res,
    status,
    cancellationRequestPage({
      agreement,
      request,
      productTitle: ctx.config.productTitle,
      sellerName: ctx.config.sellerName,
      ...(notice && { notice }),
    }),
  );
}

function postCancellationAnswer(
  res: ServerResponse,
  ctx: SimulatorContext,
  agreementId: string,
  requestId: string,
  account: string | undefined,
  answer: string,
  form: URLSearchParams,
): void {
  const agreement = agreementOf(ctx, agreementId, account);
  requestFor(ctx, agreement, requestId);
  const back = `/agreements/${agreementId}/cancellation-requests/${requestId}?account=${encodeURIComponent(agreement.acceptorAccountId)}`;
  if (answer === '/accept') {
    acceptCancellationRequest(ctx, agreementId, requestId);
    redirect(res, back);
    return;
  }
  const reason = (form.get('reason') ?? '').trim();
  if (!reason) {
    showCancellationRequest(
      res,
      ctx,
      agreementId,
      requestId,
      agreement.acceptorAccountId,
      {
        kind: 'error',
        text: '拒否の理由を入力してください。(Enter a reason for rejecting: the seller reads it.)',
      },
      400,
    );
    return;
  }
  rejectCancellationRequest(ctx, agreementId, requestId, reason.slice(0, 2000));
  redirect(res, back);
}

/** The agreement's latest cancellation request, for its page. */
export function latestCancellationRequest(
  ctx: SimulatorContext,
  agreementId: string,
): CancellationRequestRecord | undefined {
  return cancellationRequestsOf(ctx, agreementId)[0];
}
