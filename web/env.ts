/** The Hono environment of the web app: what every handler can read from the context. */
import type { Locale } from '../workflows/contracts/index.js';
import type { StaffAuth } from './auth/port.js';
import type { WebConfig } from './config.js';
import type { WebServices } from './services.js';
import type { BuyerSession, StaffSession } from './sessions.js';

/** What createApp needs: the use cases (port-shaped), staff authentication and configuration. */
export interface WebDeps {
  readonly services: WebServices;
  readonly staffAuth: StaffAuth;
  readonly config: WebConfig;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export interface AppEnv {
  Variables: {
    staff?: StaffSession;
    buyer?: BuyerSession;
    locale: Locale;
    /** Set when this request created the CSRF seed cookie. */
    csrfSeed?: string;
  };
}
