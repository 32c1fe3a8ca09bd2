/**
 * A local AWS Marketplace: Catalog API, Metering ResolveCustomer, Entitlement GetEntitlements, Agreement API,
 * the buyer's offer/subscribe/"アカウントを設定" pages, agreement events (EventBridge) and SNS notifications,
 * all on one HTTP server. The AWS SDK v3 clients work against it with only an endpoint override.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin, type MarketplaceAdmin } from './admin.js';
import { ChangeSets } from './catalog/change-sets.js';
import { SimulatorClock } from './clock.js';
import { parseOptions, SILENT_LOGGER, type SimulatorOptions } from './config.js';
import type { SimulatorContext } from './core.js';
import { createRequestHandler } from './http/server.js';
import { Outbox } from './notify/outbox.js';
import { DocStore } from './store.js';

export type { MarketplaceAdmin, SimulatorState } from './admin.js';
export type { Selection } from './agreement/terms.js';
export type { SubscribeOutcome } from './buyer/subscriptions.js';
export type { SimulatorLogger, SimulatorOptions } from './config.js';
export type * from './model.js';
export { type SnsNotification, snsLambdaEvent } from './notify/sns.js';
export type { TimeTravel } from './time-travel.js';

export interface MarketplaceSimulator {
  /** Endpoint for the SDK clients and base URL of the buyer pages. */
  readonly url: string;
  readonly port: number;
  readonly admin: MarketplaceAdmin;
  close(): Promise<void>;
}

export async function startMarketplaceSimulator(options: SimulatorOptions): Promise<MarketplaceSimulator> {
  const config = parseOptions(options);
  const log = config.logger ?? SILENT_LOGGER;
  const store = new DocStore(config.dataDir);
  const clock = new SimulatorClock(store);
  const now = () => clock.now();
  const outbox = new Outbox(store, config, log, now);
  const ctx: SimulatorContext = {
    config,
    store,
    switches: {
      throttle: new Map(),
      changeSetFailures: [],
      subscriptionFailures: [],
      cancellationFailures: [],
    },
    notify: outbox,
    log,
    now,
    url: '',
  };
  const changeSets = new ChangeSets(ctx);
  const admin = createAdmin(ctx, changeSets, outbox, clock);
  const handler = createRequestHandler(ctx, changeSets, admin);
  const server = createServer((req, res) => void handler(req, res));
  server.on('error', () => {});
  server.listen(config.port, config.host);
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([err]) => {
        throw err;
      }),
    ]);
  } catch (err) {
    store.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `marketplace simulator: port ${config.port} on ${config.host} is already in use`
        : `marketplace simulator: cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  ctx.url = url;
  outbox.baseUrl = url;
  changeSets.resume();
  outbox.start();
  log.info('marketplace simulator listening', { url });

  let closed = false;
  return {
    url,
    port,
    admin,
    close: async () => {
      if (closed) return;
      closed = true;
      changeSets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await outbox.close();
      store.close();
    },
  };
}
