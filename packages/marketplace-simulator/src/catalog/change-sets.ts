/**
 * Change-set lifecycle: accepted (PREPARING), APPLYING half-way through `changeSetDelayMs`, then settled
 * atomically as SUCCEEDED (all changes applied) or FAILED (nothing applied, ErrorDetailList per change).
 * The status follows the clock, so it survives a restart; a timer settles each change set when it is due.
 */
import { createHash } from 'node:crypto';
import type { SimulatorContext } from '../core.js';
import { isoSeconds } from '../dates.js';
import { ApiError } from '../http/wire.js';
import { newChangeSetId, newOfferId } from '../ids.js';
import type { AgreementRecord, ChangeRecord, ChangeSetRecord, ErrorDetail, OfferRecord } from '../model.js';
import { accountEmail, offerPublishedMail } from '../notify/offer-mail.js';
import { applyChange } from './apply.js';
import type { ParsedStartRequest } from './start-request.js';

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const REFERENCE = /^\$([A-Za-z0-9_]+)\.Entity\.Identifier$/;

export class ChangeSets {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Ids of the change sets not settled yet (the only ones that lock entities or need settling). */
  private readonly open = new Set<string>();

  constructor(private readonly ctx: SimulatorContext) {}

  /** Settles what came due while the simulator was down and arms timers for the rest. */
  resume(): void {
    for (const cs of this.ctx.store.filter<ChangeSetRecord>('changeSet', (c) => !FINAL.has(c.status))) {
      this.open.add(cs.id);
      this.arm(cs);
    }
  }

  start(request: ParsedStartRequest): { ChangeSetId: string; ChangeSetArn: string } {
    const { store, config } = this.ctx;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify({ ...request, clientRequestToken: undefined }))
      .digest('hex');
    const token = request.clientRequestToken;
    if (token !== undefined) {
      const seen = store.get<{ changeSetId: string; fingerprint: string }>('requestToken', token);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          throw new ApiError(
            422,
            'ValidationException',
            `ClientRequestToken ${token} was already used for a different request.`,
          );
        }
        const existing = store.get<ChangeSetRecord>('changeSet', seen.changeSetId);
        if (existing) return { ChangeSetId: existing.id, ChangeSetArn: existing.arn };
      }
    }
    this.settleDue();
    const referenced = request.changes.flatMap((c) =>
      c.identifier && !REFERENCE.test(c.identifier) ? [c.identifier.split('@')[0] as string] : [],
    );
    const lockers = [...this.open].filter((openId) =>
      store
        .peek<ChangeSetRecord>('changeSet', openId)
        ?.entityIds.some((e) => e !== undefined && referenced.includes(e)),
    );
    if (lockers.length > 0) {
      throw new ApiError(
        423,
        'ResourceInUseException',
        `Requested change set has entities locked by change sets - ${lockers.join(', ')}`,
      );
    }

    const now = this.ctx.now();
    const id = newChangeSetId();
    const injected = this.ctx.switches.changeSetFailures.shift();
    const record: ChangeSetRecord = {
      id,
      arn: `arn:aws:aws-marketplace:${config.region}:${config.sellerAccountId}:AWSMarketplace/ChangeSet/${id}`,
      ...(request.name !== undefined && { name: request.name }),
      intent: request.intent,
      clientRequestToken: token ?? id,
      fingerprint,
      startTime: isoSeconds(now),
      dueAt: now.getTime() + config.changeSetDelayMs,
      status: 'PREPARING',
      changes: request.changes.map((c) => ({
        ChangeType: c.changeType,
        Entity: { Type: c.entityType, ...(c.identifier !== undefined && { Identifier: c.identifier }) },
        Details: JSON.stringify(c.details),
        DetailsDocument: c.details,
        ...(c.changeName !== undefined && { ChangeName: c.changeName }),
        ErrorDetailList: [],
      })),
      entityIds: request.changes.map((c) =>
        c.identifier && !REFERENCE.test(c.identifier) ? (c.identifier.split('@')[0] as string) : undefined,
      ),
      ...(injected && {
        injectedFailure: {
          changeIndex: Math.min(injected.changeIndex ?? 0, request.changes.length - 1),
          errors: injected.errors,
        },
      }),
    };
    store.transaction(() => {
      store.put('changeSet', id, record);
      if (token !== undefined) store.put('requestToken', token, { changeSetId: id, fingerprint });
    });
    this.open.add(id);
    this.arm(record);
    return { ChangeSetId: record.id, ChangeSetArn: record.arn };
  }

  /** The change set as DescribeChangeSet shows it now (settling it first if it is due). */
  get(id: string): ChangeSetRecord | undefined {
    const record = this.ctx.store.peek<ChangeSetRecord>('changeSet', id);
    if (record && !FINAL.has(record.status) && record.dueAt <= this.ctx.now().getTime()) this.settle(id);
    const current = this.ctx.store.get<ChangeSetRecord>('changeSet', id);
    if (current && !FINAL.has(current.status)) {
      const half = current.dueAt - this.ctx.config.changeSetDelayMs / 2;
      current.status = this.ctx.now().getTime() >= half ? 'APPLYING' : 'PREPARING';
    }
    return current;
  }

  list(): ChangeSetRecord[] {
    this.settleDue();
    return this.ctx.store.list<ChangeSetRecord>('changeSet').map((cs) => this.get(cs.id) ?? cs);
  }

  cancel(id: string): ChangeSetRecord {
    const cs = this.get(id);
    if (!cs) throw new ApiError(404, 'ResourceNotFoundException', `Change set ${id} was not found.`);
    if (cs.status !== 'PREPARING') {
      throw new ApiError(
        423,
        'ResourceInUseException',
        `Change set ${id} is ${cs.status} and can no longer be cancelled.`,
      );
    }
    const cancelled: ChangeSetRecord = { ...cs, status: 'CANCELLED', endTime: isoSeconds(this.ctx.now()) };
    this.ctx.store.put('changeSet', id, cancelled);
    this.open.delete(id);
    this.disarm(id);
    return cancelled;
  }

  settleDue(): void {
    const now = this.ctx.now().getTime();
    for (const id of [...this.open]) {
      const cs = this.ctx.store.peek<ChangeSetRecord>('changeSet', id);
      if (!cs || FINAL.has(cs.status)) this.open.delete(id);
      else if (cs.dueAt <= now) this.settle(id);
    }
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private arm(cs: ChangeSetRecord): void {
    this.disarm(cs.id);
    const delay = Math.max(0, cs.dueAt - this.ctx.now().getTime());
    const timer = setTimeout(() => {
      this.timers.delete(cs.id);
      try {
        this.settle(cs.id);
      } catch (err) {
        this.ctx.log.error('change set settlement failed', { changeSetId: cs.id, error: String(err) });
      }
    }, delay);
    timer.unref();
    this.timers.set(cs.id, timer);
  }

  private disarm(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  private settle(id: string): void {
    this.settleInTransaction(id);
    const after = this.ctx.store.peek<ChangeSetRecord>('changeSet', id);
    if (!after || FINAL.has(after.status)) this.open.delete(id);
  }

  private settleInTransaction(id: string): void {
    const { store } = this.ctx;
    store.transaction(() => {
      const cs = store.get<ChangeSetRecord>('changeSet', id);
      if (!cs || FINAL.has(cs.status)) return;
      this.disarm(id);
      const now = this.ctx.now();
      const working = new Map<string, OfferRecord>();
      const named = new Map<string, string>();
      const created: Array<string | undefined> = [...cs.entityIds];
      const changes: ChangeRecord[] = cs.changes.map((c) => ({ ...c, ErrorDetailList: [] }));
      let failed = false as boolean;

      for (const [i, change] of changes.entries()) {
        const ref = change.Entity.Identifier ? REFERENCE.exec(change.Entity.Identifier) : null;
        const offerId = ref ? named.get(ref[1] as string) : (cs.entityIds[i] ?? undefined);
        if (ref && offerId === undefined) {
          change.ErrorDetailList = [
            {
              ErrorCode: 'INVALID_REFERENCE',
              ErrorMessage: `${change.Entity.Identifier} could not be resolved.`,
            },
          ];
          failed = true;
          continue;
        }
        const offer =
          offerId === undefined
            ? undefined
            : (working.get(offerId) ?? store.get<OfferRecord>('offer', offerId));
        const result = applyChange(change.ChangeType as never, offer, change.DetailsDocument, {
          now,
          config: this.ctx.config,
          newOfferId,
          agreement: (agreementId) => store.get<AgreementRecord>('agreement', agreementId),
        });
        const injected: ErrorDetail[] =
          cs.injectedFailure?.changeIndex === i ? cs.injectedFailure.errors : [];
        if ('errors' in result || injected.length > 0) {
          change.ErrorDetailList = [...('errors' in result ? result.errors : []), ...injected];
          failed = true;
          continue;
        }
        working.set(result.offer.id, result.offer);
        created[i] = result.offer.id;
        if (change.ChangeName !== undefined) named.set(change.ChangeName, result.offer.id);
      }

      const settled: ChangeSetRecord = {
        ...cs,
        changes,
        status: failed ? 'FAILED' : 'SUCCEEDED',
        endTime: isoSeconds(now),
        entityIds: failed || cs.intent === 'VALIDATE' ? cs.entityIds : created,
        ...(failed && {
          failureCode: 'CLIENT_ERROR' as const,
          failureDescription:
            'The change set failed validation. See the ErrorDetailList of each change for details.',
        }),
      };
      store.put('changeSet', id, settled);
      if (!failed && cs.intent === 'APPLY') {
        for (const offer of working.values()) {
          const before = store.get<OfferRecord>('offer', offer.id);
          store.put('offer', offer.id, {
            ...offer,
            revision: before ? before.revision + 1 : offer.revision,
            lastModifiedDate: now.toISOString(),
          });
          if (offer.state === 'Released' && before?.state !== 'Released') this.mailBuyers(offer);
        }
      }
      this.ctx.log.info('change set settled', { changeSetId: id, status: settled.status });
    });
  }

  /** "You have a new Private Offer" to the root user of each targeted account AWS knows an e-mail for. */
  private mailBuyers(offer: OfferRecord): void {
    const { config, store } = this.ctx;
    if (!config.offerMail) return;
    for (const accountId of offer.positiveTargeting?.BuyerAccounts ?? []) {
      const to = accountEmail(store, config, accountId);
      if (to === undefined) continue;
      this.ctx.notify.mail(
        offerPublishedMail({
          offer,
          accountId,
          to,
          from: config.offerMail.from,
          baseUrl: this.ctx.url,
          productTitle: config.productTitle,
          sellerName: config.sellerName,
        }),
      );
    }
  }
}
