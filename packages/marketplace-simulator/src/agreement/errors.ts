/** The Agreement API's modelled errors (ValidationException with a reason, ResourceNotFound, Conflict). */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../http/wire.js';

export function validation(
  reason: string,
  message: string,
  fields: Array<{ name: string; message: string }> = [],
): ApiError {
  return new ApiError(400, 'ValidationException', message, {
    requestId: randomUUID(),
    reason,
    ...(fields.length && { fields }),
  });
}

export function notFound(
  resourceId: string,
  resourceType: 'Agreement' | 'AgreementCancellationRequest' = 'Agreement',
): ApiError {
  const what = resourceType === 'Agreement' ? 'Agreement' : 'Agreement cancellation request';
  return new ApiError(404, 'ResourceNotFoundException', `${what} ${resourceId} was not found.`, {
    requestId: randomUUID(),
    resourceId,
    resourceType,
  });
}

export function conflict(message: string, resourceId: string): ApiError {
  return new ApiError(409, 'ConflictException', message, {
    requestId: randomUUID(),
    resourceId,
    resourceType: 'AgreementCancellationRequest',
  });
}
