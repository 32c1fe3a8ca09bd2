/** Static assets, addressed by content hash so they can be cached for a year. */
import { createHash } from 'node:crypto';
import { APP_JS } from './script.js';
import { STYLE_CSS } from './style.js';

const hash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 10);

export interface Asset {
  readonly path: string;
  readonly type: string;
  readonly body: string;
}

export const STYLE: Asset = {
  path: `/static/style.${hash(STYLE_CSS)}.css`,
  type: 'text/css; charset=utf-8',
  body: STYLE_CSS,
};
export const SCRIPT: Asset = {
  path: `/static/app.${hash(APP_JS)}.js`,
  type: 'text/javascript; charset=utf-8',
  body: APP_JS,
};
export const ASSETS: readonly Asset[] = [STYLE, SCRIPT];
