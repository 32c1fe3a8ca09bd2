/**
 * Stage 3: the private offer through the Marketplace Catalog API (create-offer, check-offer, extend-offer) and the
 * offer notice to the buyer (send-offer-notice).
 */

import { OfferId } from '../../workflows/contracts/callbacks.js';
import {
  type ChangeSetStatus,
  CheckOfferInput,
  CreateOfferInput,
  ExtendOfferInput,
  ExtensionFailedInput,
  SendOfferNoticeInput,
} from '../../workflows/contracts/task-io.js';
import { WORKFLOW_ERRORS } from '../../workflows/contracts/workflow-errors.js';
import { buyerMailContext, offerNoticeEmail } from '../domain/emails/index.js';
import { DomainError, InvalidTaskInputError, OnboardingNotFoundError } from '../domain/errors.js';
import {
  bareOfferId,
  buildCreateOfferChangeSet,
  buildExtendOfferChangeSet,
  clientRequestToken,
} from '../domain/offer-change-set.js';
import { moveTo, noteSent, type OfferFailure, recordOffer, withTerms } from '../domain/onboarding.js';
import { said } from '../domain/timeline-texts.js';
import { offerUrl } from '../ports/config.js';
import type { Ports } from '../ports/index.js';
import { CatalogError, type ChangeSetDescription } from '../ports/offer-catalog.js';
import { note, nowIso, parseTaskInput, SYSTEM, sendMail, updateOnboarding } from './shared.js';

/** Thrown when the Catalog refuses the change set synchronously: the workflow takes the OfferFailed path. */
export class OfferRejectedError extends DomainError {
  override readonly name = 'OfferRejectedError';
  override readonly workflowError = WORKFLOW_ERRORS.offerFailed;
  constructor(
    readonly failure: OfferFailure,
    options?: { cause?: unknown },
  ) {
    super(JSON.stringify({ code: failure.code, details: failure.details }), options);
  }
}

/** Keeps the failure of the offer's change set on the onboarding (a refused start or a FAILED/CANCELLED change set). */
async function keepOfferFailure(
  ports: Pick<Ports, 'onboardings'>,
  onboardingId: string,
  failure: OfferFailure,
) {
  await updateOnboarding(ports, onboardingId, (o) => ({
    ...o,
    offerFailure: failure,
    updatedAt: failure.at,
  }));
}

/**
 * Starts a change set and keeps its id on the onboarding (CheckOffer polls it); a refused one is recorded as the
 * offer's failure and thrown as OfferRejectedError. Returns the task's result.
 */
async function startChangeSet(
  ports: Pick<Ports, 'catalog' | 'onboardings' | 'clock' | 'log'>,
  onboardingId: string,
  request: Parameters<Ports['catalog']['startChangeSet']>[0],
): Promise<{ changeSetId: string; changeSetArn?: string }> {
  let started: Awaited<ReturnType<Ports['catalog']['startChangeSet']>>;
  try {
    started = await ports.catalog.startChangeSet(request);
  } catch (err) {
    // A run of this task that died after StartChangeSet left its change set (name and token are the attempt's):
    // a re-run refused because of it finds it by name and goes on with it, rather than failing the offer.
    const own =
      err instanceof CatalogError && err.kind === 'rejected'
        ? await ports.catalog.findChangeSet(request.changeSetName)
        : undefined;
    if (own) {
      ports.log.warn('StartChangeSet refused a re-run; going on with the change set an earlier run started', {
        onboardingId,
        changeSetId: own.changeSetId,
        code: (err as CatalogError).code,
      });
      started = own;
    } else if (err instanceof CatalogError && err.kind !== 'busy') {
      const failure: OfferFailure = {
        changeSetId: '',
        code: err.code,
        details: [{ code: err.code, message: err.message }],
        at: nowIso(ports),
      };
      await keepOfferFailure(ports, onboardingId, failure);
      throw new OfferRejectedError(failure, { cause: err });
    } else throw err;
  }
  const { changeSetId, changeSetArn } = started;
  await updateOnboarding(ports, onboardingId, (o) =>
    o.changeSetId === changeSetId ? o : { ...o, changeSetId, updatedAt: nowIso(ports) },
  );
  return changeSetArn ? { changeSetId, changeSetArn } : { changeSetId };
}

export async function createOffer(
  ports: Pick<Ports, 'onboardings' | 'catalog' | 'clock' | 'config' | 'log'>,
  input: unknown,
): Promise<{ changeSetId: string; changeSetArn?: string }> {
  const { onboardingId, buyerAwsAccountId, terms, attempt } = parseTaskInput(
    'create-offer',
    CreateOfferInput,
    input,
  );
  if (!ports.config.productId) throw new Error('MARKETPLACE_PRODUCT_ID is not set: cannot create an offer');
  const at = nowIso(ports);
  const onboarding = await updateOnboarding(ports, onboardingId, (o) => {
    const moved = withTerms(moveTo(o, 'CreateOffer', at), terms, at);
    return { ...moved, offerAttempts: Math.max(o.offerAttempts, attempt) };
  });
  const changes = buildCreateOfferChangeSet({
    productId: ports.config.productId,
    buyerAwsAccountId,
    terms,
    onboardingId,
    company: onboarding.inquiry.company,
  });
  const started = await startChangeSet(ports, onboardingId, {
    changes,
    clientRequestToken: clientRequestToken(onboardingId, 'create', attempt),
    changeSetName: `Onboarding ${onboardingId} offer attempt ${attempt}`,
  });
  await note(
    ports,
    onboardingId,
    SYSTEM('create-offer'),
    'CreateOffer',
    'offer-requested',
    said('offer-requested', { changeSetId: started.changeSetId, attempt }),
    {
      changeSetId: started.changeSetId,
      attempt,
    },
  );
  return started;
}

export async function extendOffer(
  ports: Pick<Ports, 'onboardings' | 'catalog' | 'clock' | 'log'>,
  input: unknown,
): Promise<{ changeSetId: string; changeSetArn?: string }> {
  const { onboardingId, offerId, offerExpiresAt, attempt } = parseTaskInput(
    'extend-offer',
    ExtendOfferInput,
    input,
  );
  const onboarding = await ports.onboardings.get(onboardingId);
  if (!onboarding) throw new OnboardingNotFoundError(onboardingId);
  // OfferExpired → extend, or sales extended the offer while AwaitAcceptance waited (the record is still there)
  const from = onboarding.stage === 'AwaitAcceptance' ? 'AwaitAcceptance' : 'OfferExpired';
  const started = await startChangeSet(ports, onboardingId, {
    changes: buildExtendOfferChangeSet(offerId, offerExpiresAt),
    clientRequestToken: clientRequestToken(onboardingId, 'extend', attempt),
    changeSetName: `Onboarding ${onboardingId} extend ${offerId} attempt ${attempt}`,
  });
  await note(
    ports,
    onboardingId,
    SYSTEM('extend-offer'),
    from,
    'offer-extension-requested',
    said('offer-extension-requested', { offerId, offerExpiresAt }),
    {
      changeSetId: started.changeSetId,
      offerExpiresAt,
    },
  );
  return started;
}

/** The extend-offer function: ExtendOffer's change set, or ExtensionFailed's report (the payload says which). */
export function extendOfferTask(
  ports: Pick<Ports, 'onboardings' | 'catalog' | 'clock' | 'log'>,
  input: unknown,
): Promise<{ changeSetId: string; changeSetArn?: string } | { offerExpiresAt: string }> {
  return (input as { report?: unknown } | null)?.report === 'failed'
    ? reportExtensionFailed(ports, input)
    : extendOffer(ports, input);
}

/**
 * An extension asked while the buyer was waiting failed: the offer is still live with its old expiry and the workflow
 * waits for the buyer again until then. Sales reads it on the timeline (why, and which expiry the offer keeps).
 */
export async function reportExtensionFailed(
  ports: Pick<Ports, 'onboardings' | 'clock' | 'log'>,
  input: unknown,
): Promise<{ offerExpiresAt: string }> {
  const { onboardingId, offerId, offerExpiresAt, requestedExpiresAt, error, cause } = parseTaskInput(
    'extend-offer',
    ExtensionFailedInput,
    input,
  );
  await note(
    ports,
    onboardingId,
    SYSTEM('extend-offer'),
    'AwaitAcceptance',
    'offer-extension-failed',
    said('offer-extension-failed', { offerId, requested: requestedExpiresAt, kept: offerExpiresAt, error }),
    { offerId, offerExpiresAt, requestedExpiresAt, error, cause: cause.slice(0, 1000) },
  );
  ports.log.warn('offer extension failed; waiting for the buyer until the old expiry', {
    onboardingId,
    offerId,
    error,
  });
  return { offerExpiresAt };
}

/** The offer a finished change set created or changed: the CreateOffer change's entity, else the first offer entity. */
function offerIdOf(d: ChangeSetDescription): string | undefined {
  const create = d.changes.find((c) => c.changeType === 'CreateOffer' && c.entityId);
  const any = create ?? d.changes.find((c) => c.entityId?.startsWith('offer-'));
  return any?.entityId ? bareOfferId(any.entityId) : undefined;
}

export async function checkOffer(
  ports: Pick<Ports, 'onboardings' | 'catalog' | 'clock' | 'log'>,
  input: unknown,
): Promise<ChangeSetStatus> {
  const { onboardingId, changeSetId } = parseTaskInput('check-offer', CheckOfferInput, input);
  const d = await ports.catalog.describeChangeSet(changeSetId);
  if (d.status === 'SUCCEEDED') {
    const offerId = offerIdOf(d);
    const valid = OfferId.safeParse(offerId);
    if (!valid.success) {
      throw new InvalidTaskInputError('check-offer', [
        {
          path: 'offerId',
          message: `the change set succeeded but names no usable offer id (${String(offerId)})`,
        },
      ]);
    }
    await note(
      ports,
      onboardingId,
      SYSTEM('check-offer'),
      'CreateOffer',
      'offer-ready',
      said('offer-ready', { offerId: valid.data }),
      {
        changeSetId,
        offerId: valid.data,
      },
    );
    return { status: 'SUCCEEDED', offerId: valid.data };
  }
  if (d.status === 'FAILED' || d.status === 'CANCELLED') {
    const details = d.changes.flatMap((c) =>
      c.errors.map((e) => ({ change: c.changeType, code: e.code, message: e.message })),
    );
    if (!details.length)
      details.push({
        change: '',
        code: d.failureCode ?? d.status,
        message: d.failureDescription ?? d.status,
      });
    const failure: OfferFailure = {
      changeSetId,
      code: d.failureCode ?? d.status,
      details,
      at: nowIso(ports),
    };
    await keepOfferFailure(ports, onboardingId, failure);
    await note(
      ports,
      onboardingId,
      SYSTEM('check-offer'),
      'CreateOffer',
      'offer-failed',
      said('offer-failed', { changeSetId, status: d.status, code: failure.code }),
      {
        changeSetId,
        failure,
      },
    );
    ports.log.warn('change set did not succeed', {
      onboardingId,
      changeSetId,
      status: d.status,
      code: failure.code,
    });
    return {
      status: d.status,
      failure: {
        code: failure.code,
        details: failure.details.map((x) => (x.change ? x : { code: x.code, message: x.message })),
      },
    };
  }
  return { status: d.status };
}

export async function sendOfferNotice(
  ports: Pick<Ports, 'onboardings' | 'mailer' | 'clock' | 'config' | 'log'>,
  input: unknown,
): Promise<{ offerId: string; offerUrl: string; notifiedAt: string }> {
  const { onboardingId, offerId, offerExpiresAt, source } = parseTaskInput(
    'send-offer-notice',
    SendOfferNoticeInput,
    input,
  );
  const url = offerUrl(ports.config, offerId);
  const at = nowIso(ports);
  const before = await ports.onboardings.get(onboardingId);
  if (!before) throw new OnboardingNotFoundError(onboardingId);
  const alreadySent =
    before.offer?.offerId === offerId &&
    before.offer.expiresAt === offerExpiresAt &&
    before.notices.offer !== undefined;

  const onboarding = await updateOnboarding(
    ports,
    onboardingId,
    (o) => {
      // the same offer and expiry (a re-run of this task): the record as it is, with what its notice must say
      if (o.offer?.offerId === offerId && o.offer.expiresAt === offerExpiresAt)
        return recordOffer(moveTo(o, 'SendOfferNotice', at), o.offer, at);
      // the same offer, told before with another expiry: it was extended (OfferExpired, or while waiting); kept on
      // the record, so a re-run after a crash between this update and the mail still says so
      const extendedFrom =
        o.offer?.offerId === offerId && o.notices.offer !== undefined ? o.offer.expiresAt : undefined;
      const moved = recordOffer(
        moveTo(o, 'SendOfferNotice', at),
        { offerId, expiresAt: offerExpiresAt, source, url, ...(extendedFrom ? { extendedFrom } : {}) },
        at,
      );
      // another offer or expiry (re-created, extended): its notice is still to be sent, also by a re-run of this
      // task that died after this update and before the mail
      const { offer: _told, ...notices } = moved.notices;
      return { ...moved, notices };
    },
    before,
  );
  if (alreadySent) return { offerId, offerUrl: url, notifiedAt: before.notices.offer as string };
  const extendedFrom = onboarding.offer?.extendedFrom;

  await sendMail(ports, {
    to: [onboarding.inquiry.email],
    ...offerNoticeEmail({
      ...buyerMailContext(onboarding),
      offerUrl: url,
      offerName: onboarding.terms?.offerName ?? onboarding.plan,
      expiresAt: offerExpiresAt,
      // the same offer, told before with another expiry: it was extended (OfferExpired, or while waiting)
      ...(extendedFrom ? { extendedFrom } : {}),
    }),
    tag: 'offer-notice',
  });
  await updateOnboarding(ports, onboardingId, (o) => noteSent(o, 'offer', at), onboarding);
  await note(
    ports,
    onboardingId,
    SYSTEM('send-offer-notice'),
    'SendOfferNotice',
    'offer-notified',
    said('offer-notified', { offerId, source }),
    {
      offerId,
      offerExpiresAt,
      source,
    },
  );
  return { offerId, offerUrl: url, notifiedAt: at };
}
