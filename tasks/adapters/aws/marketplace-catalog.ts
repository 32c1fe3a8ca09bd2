/**
 * AWS Marketplace Catalog API: StartChangeSet (changes as DetailsDocument), DescribeChangeSet, ListChangeSets (by name),
 * DescribeEntity.
 */
import {
  type Change,
  DescribeChangeSetCommand,
  DescribeEntityCommand,
  ListChangeSetsCommand,
  MarketplaceCatalogClient,
  StartChangeSetCommand,
} from '@aws-sdk/client-marketplace-catalog';
import type { CatalogChange } from '../../domain/offer-change-set.js';
import { CatalogError, type ChangeSetState, type OfferCatalog } from '../../ports/offer-catalog.js';
import { MARKETPLACE_REGION, once } from './sdk-clients.js';

export const CATALOG = 'AWSMarketplace';

const BUSY = new Set(['ThrottlingException', 'ResourceInUseException', 'InternalServiceException']);

function catalogError(err: unknown): unknown {
  if (!(err instanceof Error) || !('$metadata' in err)) return err;
  const kind = BUSY.has(err.name) ? 'busy' : 'rejected';
  return new CatalogError(kind, err.name, err.message);
}

export class MarketplaceOfferCatalog implements OfferCatalog {
  constructor(private readonly catalog: MarketplaceCatalogClient) {}

  async startChangeSet(request: {
    changes: CatalogChange[];
    clientRequestToken: string;
    changeSetName: string;
  }) {
    try {
      const r = await this.catalog.send(
        new StartChangeSetCommand({
          Catalog: CATALOG,
          ChangeSet: request.changes.map((c) => ({
            ChangeType: c.ChangeType,
            Entity: c.Entity,
            ...(c.ChangeName ? { ChangeName: c.ChangeName } : {}),
            DetailsDocument: c.DetailsDocument as NonNullable<Change['DetailsDocument']>,
          })),
          ChangeSetName: request.changeSetName.slice(0, 100),
          ClientRequestToken: request.clientRequestToken,
        }),
      );
      return {
        changeSetId: r.ChangeSetId ?? '',
        ...(r.ChangeSetArn ? { changeSetArn: r.ChangeSetArn } : {}),
      };
    } catch (err) {
      throw catalogError(err);
    }
  }

  async findChangeSet(changeSetName: string) {
    const r = await this.catalog.send(
      new ListChangeSetsCommand({
        Catalog: CATALOG,
        FilterList: [{ Name: 'ChangeSetName', ValueList: [changeSetName.slice(0, 100)] }],
        Sort: { SortBy: 'StartTime', SortOrder: 'DESCENDING' },
        MaxResults: 1,
      }),
    );
    const newest = r.ChangeSetSummaryList?.[0];
    if (!newest?.ChangeSetId) return undefined;
    return {
      changeSetId: newest.ChangeSetId,
      ...(newest.ChangeSetArn ? { changeSetArn: newest.ChangeSetArn } : {}),
    };
  }

  async describeChangeSet(changeSetId: string) {
    const r = await this.catalog.send(
      new DescribeChangeSetCommand({ Catalog: CATALOG, ChangeSetId: changeSetId }),
    );
    return {
      changeSetId: r.ChangeSetId ?? changeSetId,
      status: (r.Status ?? 'PREPARING') as ChangeSetState,
      ...(r.FailureCode ? { failureCode: r.FailureCode } : {}),
      ...(r.FailureDescription ? { failureDescription: r.FailureDescription } : {}),
      changes: (r.ChangeSet ?? []).map((c) => ({
        changeType: c.ChangeType ?? '',
        ...(c.ChangeName ? { changeName: c.ChangeName } : {}),
        ...(c.Entity?.Identifier ? { entityId: c.Entity.Identifier } : {}),
        errors: (c.ErrorDetailList ?? []).map((e) => ({
          code: e.ErrorCode ?? '',
          message: e.ErrorMessage ?? '',
        })),
      })),
    };
  }

  async describeEntity(entityId: string) {
    try {
      const r = await this.catalog.send(new DescribeEntityCommand({ Catalog: CATALOG, EntityId: entityId }));
      const details = r.DetailsDocument ?? (r.Details ? (JSON.parse(r.Details) as unknown) : undefined);
      return { entityId: r.EntityIdentifier ?? entityId, entityType: r.EntityType ?? '', details };
    } catch (err) {
      if (err instanceof Error && err.name === 'ResourceNotFoundException') return undefined;
      throw err;
    }
  }
}

export const catalogClient = once(() => new MarketplaceCatalogClient({ region: MARKETPLACE_REGION }));

export function offerCatalogFromEnv(): MarketplaceOfferCatalog {
  return new MarketplaceOfferCatalog(catalogClient());
}
