import type { CatalogChange } from '../domain/offer-change-set.js';

export type ChangeSetState = 'PREPARING' | 'APPLYING' | 'SUCCEEDED' | 'CANCELLED' | 'FAILED';

export interface ChangeSetDescription {
  changeSetId: string;
  status: ChangeSetState;
  failureCode?: string;
  failureDescription?: string;
  changes: {
    changeType: string;
    changeName?: string;
    entityId?: string;
    errors: { code: string; message: string }[];
  }[];
}

export interface OfferCatalog {
  startChangeSet(request: {
    changes: CatalogChange[];
    clientRequestToken: string;
    changeSetName: string;
  }): Promise<{ changeSetId: string; changeSetArn?: string }>;
  describeChangeSet(changeSetId: string): Promise<ChangeSetDescription>;
  /**
   * The newest change set started under this name (ListChangeSets filtered by ChangeSetName), if any: how a re-run
   * task finds the change set an earlier run of it started before it died.
   */
  findChangeSet(changeSetName: string): Promise<{ changeSetId: string; changeSetArn?: string } | undefined>;
  describeEntity(
    entityId: string,
  ): Promise<{ entityId: string; entityType: string; details: unknown } | undefined>;
}

/**
 * Why StartChangeSet refused. `rejected` (validation, access, quota) needs a person; `busy` (the entity is locked
 * by another change set, throttling, service error) is worth retrying.
 */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  constructor(
    readonly kind: 'rejected' | 'busy' | 'not-found',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}
