/**
 * StartChangeSet's synchronous checks: request shape, change types, entity references and the Details of each
 * change (HTTP 422 ValidationException with a ValidationExceptionFieldList, 404 for an unknown entity, as AWS).
 */
import type { SimulatorContext } from '../core.js';
import { ApiError } from '../http/wire.js';
import type { AgreementRecord, OfferRecord } from '../model.js';
import { detailsSchemas, fieldPath, OFFER_CHANGE_TYPES, type OfferChangeType } from './details-schemas.js';
import { OFFER_ENTITY_TYPE } from './offer-view.js';

export interface ParsedChange {
  readonly changeType: OfferChangeType;
  readonly entityType: string;
  /** An existing offer id, or `$Name.Entity.Identifier` of an earlier CreateOffer or CreateReplacementOffer change. */
  readonly identifier?: string;
  readonly details: Record<string, unknown>;
  readonly changeName?: string;
}

export interface ParsedStartRequest {
  readonly changes: ParsedChange[];
  readonly name?: string;
  readonly clientRequestToken?: string;
  readonly intent: 'APPLY' | 'VALIDATE';
}

interface FieldError {
  Reason: string;
  EntityType?: string;
  EntityId?: string;
  ChangeType?: string;
  Field?: string;
  Message: string;
}

/** The change types that create an offer (later changes refer to it through `$<ChangeName>.Entity.Identifier`). */
const CREATING: ReadonlySet<OfferChangeType> = new Set<OfferChangeType>([
  'CreateOffer',
  'CreateReplacementOffer',
]);

const REFERENCE = /^\$([A-Za-z0-9_]+)\.Entity\.Identifier$/;

function validationError(message: string, fields: FieldError[] = []): ApiError {
  return new ApiError(
    422,
    'ValidationException',
    message,
    fields.length ? { ValidationExceptionFieldList: fields } : {},
  );
}

export function parseStartChangeSet(
  body: Record<string, unknown>,
  ctx: SimulatorContext,
): ParsedStartRequest {
  if (body.Catalog !== 'AWSMarketplace') {
    throw validationError(`Catalog must be AWSMarketplace, got ${JSON.stringify(body.Catalog)}.`);
  }
  const raw = body.ChangeSet;
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > 20) {
    throw validationError('ChangeSet must hold between 1 and 20 changes.');
  }
  if (body.Intent !== undefined && body.Intent !== 'APPLY' && body.Intent !== 'VALIDATE') {
    throw validationError('Intent must be APPLY or VALIDATE.');
  }
  const names = new Map<string, OfferChangeType>();
  const changes = raw.map((change, index) => {
    const parsed = parseChange(change, index, names, ctx);
    if (parsed.changeName !== undefined) names.set(parsed.changeName, parsed.changeType);
    return parsed;
  });
  return {
    changes,
    ...(typeof body.ChangeSetName === 'string' && { name: body.ChangeSetName }),
    ...(typeof body.ClientRequestToken === 'string' && { clientRequestToken: body.ClientRequestToken }),
    intent: body.Intent === 'VALIDATE' ? 'VALIDATE' : 'APPLY',
  };
}

function parseChange(
  change: unknown,
  index: number,
  names: ReadonlyMap<string, OfferChangeType>,
  ctx: SimulatorContext,
): ParsedChange {
  const where = `ChangeSet[${index}]`;
  if (typeof change !== 'object' || change === null) throw validationError(`${where} must be an object.`);
  const c = change as Record<string, unknown>;
  const changeType = c.ChangeType;
  if (typeof changeType !== 'string' || !OFFER_CHANGE_TYPES.includes(changeType as OfferChangeType)) {
    throw new ApiError(
      422,
      'ValidationException',
      `${where}: ChangeType ${JSON.stringify(changeType)} is not supported by the local simulator (supported: ${OFFER_CHANGE_TYPES.join(', ')}).`,
      {
        ValidationExceptionFieldList: [
          {
            Reason: 'UnknownOperation',
            ChangeType: String(changeType),
            Field: 'ChangeType',
            Message: 'Unsupported change type',
          },
        ],
      },
    );
  }
  const type = changeType as OfferChangeType;
  const entity = (c.Entity ?? {}) as Record<string, unknown>;
  if (entity.Type !== OFFER_ENTITY_TYPE) {
    throw validationError(
      `${where}: Entity.Type must be ${OFFER_ENTITY_TYPE} for ${type}, got ${JSON.stringify(entity.Type)}.`,
    );
  }
  const changeName = c.ChangeName;
  if (
    changeName !== undefined &&
    (typeof changeName !== 'string' || !/^[A-Za-z0-9_]{1,100}$/.test(changeName) || names.has(changeName))
  ) {
    throw validationError(`${where}: ChangeName must be a unique name of letters, digits and underscores.`);
  }

  const identifier = entity.Identifier;
  if (CREATING.has(type)) {
    if (identifier !== undefined) throw validationError(`${where}: ${type} takes no Entity.Identifier.`);
  } else {
    if (typeof identifier !== 'string')
      throw validationError(`${where}: Entity.Identifier is required for ${type}.`);
    const ref = REFERENCE.exec(identifier);
    if (ref) {
      if (!CREATING.has(names.get(ref[1] as string) as OfferChangeType)) {
        throw validationError(
          `${where}: ${identifier} does not refer to an earlier CreateOffer or CreateReplacementOffer change of this change set.`,
        );
      }
    } else {
      const bare = identifier.split('@')[0] as string;
      if (ctx.store.get<OfferRecord>('offer', bare) === undefined) {
        throw new ApiError(404, 'ResourceNotFoundException', `Requested entity ${identifier} was not found.`);
      }
    }
  }

  const details = readDetails(c, where);
  const result = detailsSchemas[type].safeParse(details);
  if (!result.success) {
    const fields: FieldError[] = result.error.issues.map((issue) => ({
      Reason: 'FieldValidationFailed',
      EntityType: OFFER_ENTITY_TYPE,
      ...(typeof identifier === 'string' && { EntityId: identifier }),
      ChangeType: type,
      Field: fieldPath(issue.path) || 'DetailsDocument',
      Message: issue.message,
    }));
    const summary = fields.map((f) => `${f.Field}: ${f.Message}`).join('; ');
    throw validationError(`Invalid details for ${where} (${type}): ${summary}`, fields);
  }
  if (type === 'CreateOffer' && (details as { ProductId?: unknown }).ProductId !== ctx.config.productId) {
    throw new ApiError(
      404,
      'ResourceNotFoundException',
      `Product ${String((details as { ProductId?: unknown }).ProductId)} was not found.`,
    );
  }
  if (type === 'CreateReplacementOffer') {
    const agreementId = (details as { AgreementId: string }).AgreementId;
    const agreement = ctx.store.get<AgreementRecord>('agreement', agreementId);
    if (agreement === undefined || agreement.productId !== ctx.config.productId) {
      throw new ApiError(404, 'ResourceNotFoundException', `Agreement ${agreementId} was not found.`);
    }
  }
  return {
    changeType: type,
    entityType: OFFER_ENTITY_TYPE,
    ...(typeof identifier === 'string' && { identifier }),
    details,
    ...(typeof changeName === 'string' && { changeName }),
  };
}

/** `Details` (JSON text) or `DetailsDocument` (a document): exactly one of them. */
function readDetails(c: Record<string, unknown>, where: string): Record<string, unknown> {
  const hasText = c.Details !== undefined;
  const hasDoc = c.DetailsDocument !== undefined;
  if (hasText === hasDoc)
    throw validationError(`${where}: provide exactly one of Details or DetailsDocument.`);
  let value: unknown = c.DetailsDocument;
  if (hasText) {
    if (typeof c.Details !== 'string') throw validationError(`${where}: Details must be a JSON string.`);
    try {
      value = JSON.parse(c.Details);
    } catch {
      throw new ApiError(422, 'ValidationException', `${where}: Details is not valid JSON.`, {
        ValidationExceptionFieldList: [
          { Reason: 'CannotParse', Field: 'Details', Message: 'Details is not valid JSON' },
        ],
      });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validationError(`${where}: the details must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}
