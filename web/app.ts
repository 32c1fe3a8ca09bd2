/**
 * createApp(deps): the one Hono app of the web surfaces (inquiry form, buyer pages, staff console, audit view).
 * The same app runs in Lambda (web/lambda.ts, behind the HTTP API) and in Node (web/server.ts, local stack).
 */

import { bodyLimit } from 'hono/body-limit';
import { html } from 'hono/html';
import { Hono } from 'hono/tiny';
import * as uc from '../tasks/use-cases/index.js';
import { isSecure } from './config.js';
import type { AppEnv, WebDeps } from './env.js';
import { publicPage, staffPage } from './html/layout.js';
import { pickLocale, t } from './i18n.js';
import { accountRoutes } from './routes/account.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { buyerRoutes } from './routes/buyer.js';
import { consoleRoutes } from './routes/console.js';
import { dealRoutes } from './routes/deal.js';
import { inquiryRoutes } from './routes/inquiry.js';
import { securityHeaders } from './security/headers.js';
import { readStaffSession } from './sessions.js';
import { ASSETS } from './static/index.js';

export type { WebDeps } from './env.js';

export interface AppLogger {
  error(message: string, extra?: Record<string, unknown>): void;
}

export function createApp(
  deps: WebDeps,
  logger: AppLogger = { error: (m, e) => console.error(m, e) },
): Hono<AppEnv> {
  const { config } = deps;
  const now = () => deps.ports.clock.now();
  const app = new Hono<AppEnv>();

  app.use('*', ...securityHeaders({ https: isSecure(config) }));
  app.use(
    '*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: (c) => c.text('Request body too large (64 KB at most).', 413),
    }),
  );
  app.use('*', async (c, next) => {
    c.set('locale', pickLocale(c, isSecure(config)));
    // a verified cookie is a staff session only while the server keeps it open (signed out or revoked: not)
    const staff = readStaffSession(c, config, now());
    if (staff && (await uc.isStaffSessionOpen(deps.ports, staff, deps.staffAuth.currentRole)))
      c.set('staff', staff);
    return next();
  });

  for (const asset of ASSETS) {
    app.get(asset.path, (c) => {
      c.header('content-type', asset.type);
      c.header('cache-control', 'public, max-age=31536000, immutable');
      return c.body(asset.body);
    });
  }

  app.get('/', (c) => c.redirect('/inquiry', 302));
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.route('/inquiry', inquiryRoutes(deps));
  const buyer = buyerRoutes(deps);
  app.route('/marketplace/fulfillment', buyer.fulfillment);
  app.route('/buyer', buyer.buyer);
  app.route('/account', accountRoutes(deps));
  app.route('/auth', authRoutes(deps));
  app.route('/console/deal', dealRoutes(deps));
  app.route('/console', consoleRoutes(deps));
  app.route('/audit', auditRoutes(deps));

  app.notFound((c) => {
    const path = c.req.path;
    if (path.startsWith('/console') || path.startsWith('/audit') || path.startsWith('/auth')) {
      return c.html(
        staffPage({
          title: 'Not found',
          body: html`<h1>404 Not found</h1><p><a href="/console">Console</a></p>`,
        }),
        404,
      );
    }
    const locale = c.get('locale') ?? 'ja';
    return c.html(
      publicPage({
        locale,
        path: '/inquiry',
        title: t(locale, 'error.notFound'),
        body: html`<h1>${t(locale, 'error.notFound')}</h1>
<p>${t(locale, 'error.notFound.body')} <a href="/inquiry">${t(locale, 'error.notFound.toInquiry')}</a></p>`,
      }),
      404,
    );
  });

  app.onError((err, c) => {
    logger.error('web: unhandled error', {
      path: c.req.path,
      method: c.req.method,
      error: err.name,
      message: err.message,
    });
    return c.html(
      '<!doctype html><meta charset="utf-8"><title>Error</title><h1>Something went wrong</h1><p>Please try again in a moment.</p>',
      500,
    );
  });

  return app;
}
