/** The Catalog API (REST-JSON) as @aws-sdk/client-marketplace-catalog calls it. */
import type { SimulatorContext } from '../core.js';
import { ApiError } from '../http/wire.js';
import type { ChangeSetRecord, OfferRecord } from '../model.js';
import type { ChangeSets } from './change-sets.js';
import { OFFER_ENTITY_TYPE, offerArn, offerDetails, PRODUCT_ENTITY_TYPE } from './offer-view.js';
import { parseStartChangeSet } from './start-request.js';

export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Record<string, unknown>;
}

/** Returns the response body, or undefined when the route is not a Catalog API route. */
export function handleCatalog(req: RestRequest, ctx: SimulatorContext, changeSets: ChangeSets): unknown {
  const route = `${req.method} ${req.path}`;
  switch (route) {
    case 'POST /StartChangeSet':
      return changeSets.start(parseStartChangeSet(req.body, ctx));
    case 'GET /DescribeChangeSet': {
      requireCatalog(req.query.get('catalog'));
      const id = required(req.query.get('changeSetId'), 'changeSetId');
      const cs = changeSets.get(id);
      if (!cs) throw new ApiError(404, 'ResourceNotFoundException', `Change set ${id} was not found.`);
      return describeChangeSet(cs);
    }
    case 'PATCH /CancelChangeSet': {
      requireCatalog(req.query.get('catalog'));
      const cs = changeSets.cancel(required(req.query.get('changeSetId'), 'changeSetId'));
      return { ChangeSetId: cs.id, ChangeSetArn: cs.arn };
    }
    case 'POST /ListChangeSets':
      requireCatalog(req.body.Catalog);
      return listChangeSets(req.body, changeSets);
    case 'GET /DescribeEntity': {
      requireCatalog(req.query.get('catalog'));
      return describeEntity(required(req.query.get('entityId'), 'entityId'), ctx, changeSets);
    }
    default:
      return undefined;
  }
}

function requireCatalog(value: unknown): void {
  if (value !== 'AWSMarketplace') {
    throw new ApiError(
      422,
      'ValidationException',
      `Catalog must be AWSMarketplace, got ${JSON.stringify(value)}.`,
    );
  }
}

function required(value: string | null, name: string): string {
  if (!value) throw new ApiError(422, 'ValidationException', `${name} is required.`);
  return value;
}

function describeChangeSet(cs: ChangeSetRecord): Record<string, unknown> {
  const shown = cs.status === 'SUCCEEDED';
  return {
    ChangeSetId: cs.id,
    ChangeSetArn: cs.arn,
    ...(cs.name !== undefined && { ChangeSetName: cs.name }),
    Intent: cs.intent,
    StartTime: cs.startTime,
    ...(cs.endTime !== undefined && { EndTime: cs.endTime }),
    Status: cs.status,
    ...(cs.failureCode !== undefined && { FailureCode: cs.failureCode }),
    ...(cs.failureDescription !== undefined && { FailureDescription: cs.failureDescription }),
    ChangeSet: cs.changes.map((c, i) => {
      const id = shown ? cs.entityIds[i] : c.Entity.Identifier?.startsWith('$') ? undefined : cs.entityIds[i];
      return {
        ChangeType: c.ChangeType,
        Entity: {
          Type: c.Entity.Type,
          ...(id !== undefined
            ? { Identifier: id }
            : c.Entity.Identifier
              ? { Identifier: c.Entity.Identifier }
              : {}),
        },
        Details: c.Details,
        DetailsDocument: c.DetailsDocument,
        ErrorDetailList: c.ErrorDetailList,
        ...(c.ChangeName !== undefined && { ChangeName: c.ChangeName }),
      };
    }),
  };
}

function listChangeSets(body: Record<string, unknown>, changeSets: ChangeSets): Record<string, unknown> {
  const filters = Array.isArray(body.FilterList)
    ? (body.FilterList as Array<{ Name?: string; ValueList?: string[] }>)
    : [];
  let items = changeSets.list();
  for (const f of filters) {
    const values = f.ValueList ?? [];
    if (f.Name === 'EntityId')
      items = items.filter((cs) => cs.entityIds.some((id) => id !== undefined && values.includes(id)));
    else if (f.Name === 'Status') items = items.filter((cs) => values.includes(cs.status));
    else if (f.Name === 'ChangeSetName')
      items = items.filter((cs) => cs.name !== undefined && values.includes(cs.name));
    else
      throw new ApiError(
        422,
        'ValidationException',
        `Filter ${String(f.Name)} is not supported by the local simulator.`,
      );
  }
  const sort = body.Sort as { SortBy?: string; SortOrder?: string } | undefined;
  const key = sort?.SortBy === 'EndTime' ? 'endTime' : 'startTime';
  items.sort((a, b) => String(a[key] ?? '').localeCompare(String(b[key] ?? '')));
  if (sort?.SortOrder === 'DESCENDING') items.reverse();
  const start =
    typeof body.NextToken === 'string'
      ? Number.parseInt(Buffer.from(body.NextToken, 'base64').toString(), 10) || 0
      : 0;
  const max = typeof body.MaxResults === 'number' ? body.MaxResults : 20;
  const page = items.slice(start, start + max);
  return {
    ChangeSetSummaryList: page.map((cs) => ({
      ChangeSetId: cs.id,
      ChangeSetArn: cs.arn,
      ...(cs.name !== undefined && { ChangeSetName: cs.name }),
      StartTime: cs.startTime,
      ...(cs.endTime !== undefined && { EndTime: cs.endTime }),
      Status: cs.status,
      EntityIdList: cs.entityIds.filter((id): id is string => id !== undefined),
      ...(cs.failureCode !== undefined && { FailureCode: cs.failureCode }),
    })),
    ...(start + max < items.length && { NextToken: Buffer.from(String(start + max)).toString('base64') }),
  };
}

function describeEntity(
  entityId: string,
  ctx: SimulatorContext,
  changeSets: ChangeSets,
): Record<string, unknown> {
  changeSets.settleDue();
  const { config } = ctx;
  if (entityId === config.productId) {
    const details = {
      Description: { ProductTitle: config.productTitle, Visibility: 'Limited' },
      Dimensions: (config.dimensions ?? []).map((d) => ({
        Key: d.key,
        Name: d.name ?? d.key,
        Unit: d.unit ?? 'Units',
        Types: ['Entitled'],
      })),
    };
    return {
      EntityType: PRODUCT_ENTITY_TYPE,
      EntityIdentifier: `${entityId}@1`,
      EntityArn: `arn:aws:aws-marketplace:${config.region}:${config.sellerAccountId}:AWSMarketplace/SaaSProduct/${entityId}`,
      LastModifiedDate: '2024-01-01T00:00:00Z',
      Details: JSON.stringify(details),
      DetailsDocument: details,
    };
  }
  const offer = ctx.store.get<OfferRecord>('offer', entityId.split('@')[0] as string);
  if (!offer)
    throw new ApiError(404, 'ResourceNotFoundException', `Requested entity ${entityId} was not found.`);
  const details = offerDetails(offer);
  return {
    EntityType: OFFER_ENTITY_TYPE,
    EntityIdentifier: `${offer.id}@${offer.revision}`,
    EntityArn: offerArn(config.region, config.sellerAccountId, offer.id),
    LastModifiedDate: `${offer.lastModifiedDate.slice(0, 19)}Z`,
    Details: JSON.stringify(details),
    DetailsDocument: details,
  };
}
