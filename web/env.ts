/** The Hono environment of the web app: what createApp needs and what every handler can read from the context. */
import type { Ports } from '../tasks/ports/index.js';
import type { StaffAuth } from '../tasks/ports/staff-auth.js';
import type { Locale } from '../workflows/contracts/index.js';
import type { BuyerOidc } from './auth/buyer-oidc.js';
import type { WebConfig } from './config.js';
import type { BuyerSession, StaffSession } from './sessions.js';

/**
 * What createApp needs: the ports the tasks' use cases run on (in-memory in tests, AWS adapters in Lambda and in
 * the local stack), staff authentication, and configuration. The clock of the ports also times the sessions.
 */
export interface WebDeps {
  readonly ports: Ports;
  readonly staffAuth: StaffAuth;
  readonly config: WebConfig;
  /** 7-2 through the vendor's OpenID provider; absent: the built-in sign-in. */
  readonly buyerOidc?: BuyerOidc;
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
