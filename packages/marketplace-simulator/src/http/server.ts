/**
 * One HTTP server for everything: JSON-RPC APIs by `X-Amz-Target`, Catalog REST routes, admin, buyer pages.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdminInputError, type MarketplaceAdmin, runAdminCommand } from '../admin.js';
import { handleAgreementOperation } from '../agreement/api.js';
import { CancellationError, settleCancellationRequests } from '../agreement/cancellation.js';
import { LifecycleError } from '../agreement/lifecycle.js';
import { handleBuyer } from '../buyer/routes.js';
import { BuyerError } from '../buyer/subscriptions.js';
import { handleCatalog } from '../catalog/api.js';
import type { ChangeSets } from '../catalog/change-sets.js';
import { ISO_DURATION } from '../catalog/details-schemas.js';
import type { SimulatorContext } from '../core.js';
import { getEntitlements } from '../entitlement.js';
import { resolveCustomer } from '../metering.js';
import {
  ApiError,
  parseJson,
  readBody,
  redirect,
  sendHtml,
  sendJson,
  sendRestError,
  sendRpcError,
} from './wire.js';

interface RpcService {
  readonly contentType: string;
  readonly handle: (operation: string, body: Record<string, unknown>, ctx: SimulatorContext) => unknown;
}

const RPC_SERVICES: Record<string, RpcService> = {
  AWSMPMeteringService: {
    contentType: 'application/x-amz-json-1.1',
    handle: (op, body, ctx) => {
      if (op === 'ResolveCustomer') return resolveCustomer(body, ctx);
      throw new ApiError(400, 'UnknownOperationException', `The local simulator does not implement ${op}.`);
    },
  },
  AWSMPEntitlementService: {
    contentType: 'application/x-amz-json-1.1',
    handle: (op, body, ctx) => {
      if (op === 'GetEntitlements') return getEntitlements(body, ctx);
      throw new ApiError(400, 'UnknownOperationException', `The local simulator does not implement ${op}.`);
    },
  },
  AWSMPCommerceService_v20200301: {
    contentType: 'application/x-amz-json-1.0',
    handle: handleAgreementOperation,
  },
};

export function createRequestHandler(ctx: SimulatorContext, changeSets: ChangeSets, admin: MarketplaceAdmin) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const target = req.headers['x-amz-target'];
    try {
      if (typeof target === 'string') return await rpc(req, res, target, ctx);
      if (url.pathname.startsWith('/_admin/') || url.pathname.startsWith('/_sns/'))
        return await adminRoute(req, res, url, admin);
      if (
        /^\/(StartChangeSet|DescribeChangeSet|CancelChangeSet|ListChangeSets|DescribeEntity)$/.test(
          url.pathname,
        )
      ) {
        return await catalog(req, res, url, ctx, changeSets);
      }
      const body = method === 'POST' ? await readBody(req) : Buffer.alloc(0);
      const form = new URLSearchParams(body.toString('utf8'));
      changeSets.settleDue();
      settleCancellationRequests(ctx);
      if (url.pathname === '/clock' && method === 'POST') {
        // the simulator's own time-travel form (home page): the same as POST /_admin/advance-clock
        const duration = form.get('duration') ?? '';
        if (!ISO_DURATION.test(duration))
          return sendHtml(
            res,
            400,
            '<!doctype html><title>Bad duration</title><p>duration: an ISO 8601 duration such as P7D</p>',
          );
        const travelled = admin.advanceClock(duration);
        return redirect(res, `/?travelled=${encodeURIComponent(travelled.to)}`);
      }
      const cookie = req.headers.cookie;
      if (handleBuyer({ method, url, form, ...(cookie !== undefined && { cookie }) }, res, ctx)) return;
      sendHtml(res, 404, '<!doctype html><title>Not found</title><p>Not found</p>');
    } catch (err) {
      ctx.log.error('request failed', {
        method,
        path: url.pathname,
        error: err instanceof Error ? err.stack : String(err),
      });
      if (!res.headersSent) sendJson(res, 500, { message: 'Internal simulator error' });
    }
  };
}

async function rpc(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  ctx: SimulatorContext,
): Promise<void> {
  const [prefix = '', operation = ''] = target.split('.');
  const service = RPC_SERVICES[prefix];
  if (!service) {
    return sendRpcError(
      res,
      new ApiError(400, 'UnknownOperationException', `Unknown target ${target}`),
      'application/x-amz-json-1.1',
    );
  }
  try {
    const body = parseJson(await readBody(req));
    sendJson(res, 200, service.handle(operation, body, ctx), service.contentType);
  } catch (err) {
    if (err instanceof ApiError) return sendRpcError(res, err, service.contentType);
    throw err;
  }
}

async function catalog(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: SimulatorContext,
  changeSets: ChangeSets,
): Promise<void> {
  try {
    const body = parseJson(await readBody(req));
    const out = handleCatalog(
      { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body },
      ctx,
      changeSets,
    );
    if (out === undefined)
      throw new ApiError(404, 'ResourceNotFoundException', `No route for ${req.method} ${url.pathname}`);
    sendJson(res, 200, out);
  } catch (err) {
    if (err instanceof ApiError) return sendRestError(res, err);
    throw err;
  }
}

async function adminRoute(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  admin: MarketplaceAdmin,
): Promise<void> {
  if (url.pathname.startsWith('/_sns/')) {
    return sendJson(res, 200, { message: 'SNS endpoints are placeholders in the local simulator.' });
  }
  const name = url.pathname.slice('/_admin/'.length);
  try {
    if (req.method === 'GET' && name === 'state') return sendJson(res, 200, admin.state());
    if (req.method !== 'POST') throw new AdminInputError(`Use POST /_admin/${name}`);
    const raw = await readBody(req);
    sendJson(
      res,
      200,
      await runAdminCommand(admin, name, raw.length ? JSON.parse(raw.toString('utf8')) : {}),
    );
  } catch (err) {
    if (err instanceof AdminInputError || err instanceof SyntaxError)
      return sendJson(res, 400, { message: err.message });
    if (err instanceof BuyerError)
      return sendJson(res, err.code === 'NOT_FOUND' ? 404 : 409, { message: err.message, code: err.code });
    if (err instanceof LifecycleError) return sendJson(res, 409, { message: err.message });
    if (err instanceof CancellationError)
      return sendJson(res, err.code === 'NOT_FOUND' ? 404 : 409, { message: err.message, code: err.code });
    if (err instanceof RangeError) return sendJson(res, 400, { message: err.message });
    throw err;
  }
}
