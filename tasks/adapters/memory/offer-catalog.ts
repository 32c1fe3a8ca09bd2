import type { CatalogChange } from '../../domain/offer-change-set.js';
import type { ChangeSetDescription, ChangeSetState, OfferCatalog } from '../../ports/offer-catalog.js';
import { clone } from './cursor.js';

interface StoredChangeSet {
  changeSetId: string;
  clientRequestToken: string;
  changeSetName: string;
  changes: CatalogChange[];
  /** States returned by successive DescribeChangeSet calls; the last one repeats. */
  script: ChangeSetDescription[];
  described: number;
}

/**
 * Marketplace Catalog in memory. By default every change set goes PREPARING → APPLYING → SUCCEEDED and a
 * CreateOffer change gets a new offer id. `failNextWith` makes the next change set end FAILED with those errors.
 * The same ClientRequestToken returns the same change set (idempotency, as the real API does).
 */
export class MemoryOfferCatalog implements OfferCatalog {
  readonly changeSets: StoredChangeSet[] = [];
  readonly offers = new Map<string, { offerId: string; changes: CatalogChange[] }>();
  failNextWith: { code: string; message: string; changeType?: string } | undefined;
  /** Throw this from the next startChangeSet (a synchronous rejection such as ValidationException). */
  rejectNext: Error | undefined;
  private seq = 0;

  async startChangeSet(request: {
    changes: CatalogChange[];
    clientRequestToken: string;
    changeSetName: string;
  }) {
    if (this.rejectNext) {
      const e = this.rejectNext;
      this.rejectNext = undefined;
      throw e;
    }
    const existing = this.changeSets.find((c) => c.clientRequestToken === request.clientRequestToken);
    if (existing) return { changeSetId: existing.changeSetId, changeSetArn: this.arn(existing.changeSetId) };
    this.seq += 1;
    const changeSetId = `cs${String(this.seq).padStart(10, '0')}example`;
    const creates = request.changes.some(
      (c) => c.ChangeType === 'CreateOffer' || c.ChangeType === 'CreateReplacementOffer',
    );
    const offerId = creates
      ? `offer-${String(this.seq).padStart(4, '0')}${Math.random().toString(36).slice(2, 12).padEnd(10, '0')}`
      : request.changes[0]?.Entity.Identifier;
    const entityIdOf = (c: CatalogChange, status: ChangeSetState) =>
      c.Entity.Identifier && !c.Entity.Identifier.startsWith('$')
        ? c.Entity.Identifier
        : status === 'SUCCEEDED'
          ? offerId
          : undefined;
    const summary = (
      status: ChangeSetState,
      errors?: { code: string; message: string; changeType?: string },
    ) => ({
      changeSetId,
      status,
      ...(errors ? { failureCode: 'CLIENT_ERROR', failureDescription: errors.message } : {}),
      changes: request.changes.map((c) => ({
        changeType: c.ChangeType,
        ...(c.ChangeName ? { changeName: c.ChangeName } : {}),
        ...(entityIdOf(c, status) ? { entityId: entityIdOf(c, status) } : {}),
        errors:
          errors && (errors.changeType ?? 'UpdatePricingTerms') === c.ChangeType
            ? [{ code: errors.code, message: errors.message }]
            : [],
      })),
    });
    const failure = this.failNextWith;
    this.failNextWith = undefined;
    const script = failure
      ? [summary('PREPARING'), summary('FAILED', failure)]
      : [summary('PREPARING'), summary('APPLYING'), summary('SUCCEEDED')];
    this.changeSets.push({
      changeSetId,
      clientRequestToken: request.clientRequestToken,
      changeSetName: request.changeSetName,
      changes: clone(request.changes),
      script,
      described: 0,
    });
    if (!failure && creates && offerId)
      this.offers.set(offerId, { offerId, changes: clone(request.changes) });
    return { changeSetId, changeSetArn: this.arn(changeSetId) };
  }

  async findChangeSet(changeSetName: string) {
    const found = this.changeSets.filter((c) => c.changeSetName === changeSetName).at(-1);
    return found ? { changeSetId: found.changeSetId, changeSetArn: this.arn(found.changeSetId) } : undefined;
  }

  async describeChangeSet(changeSetId: string) {
    const cs = this.changeSets.find((c) => c.changeSetId === changeSetId);
    if (!cs) throw new Error(`ResourceNotFoundException: change set ${changeSetId}`);
    const step = cs.script[Math.min(cs.described, cs.script.length - 1)];
    cs.described += 1;
    return clone(step as ChangeSetDescription);
  }

  async describeEntity(entityId: string) {
    const offer = this.offers.get(entityId);
    return offer
      ? { entityId, entityType: 'Offer@1.0', details: { Id: entityId, State: 'Released' } }
      : undefined;
  }

  private arn(id: string) {
    return `arn:aws:aws-marketplace:us-east-1:123456789012:AWSMarketplace/ChangeSet/${id}`;
  }
}
