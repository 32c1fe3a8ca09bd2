/** The buyer pages' frame and labels; markup is made with hono/html's `html` tag (interpolations escaped). */
import { html } from 'hono/html';

/** Markup from `html` (a promise only if something interpolated is one: these pages interpolate none). */
export type Html = ReturnType<typeof html>;

/** Japanese label with the English label AWS shows, e.g. `オファーの有効期限 (Offer expiration date)`. */
export const label = (ja: string, en: string) => html`${ja} <span class="en">(${en})</span>`;

export function layout(title: string, body: Html): string {
  const page = html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | AWS Marketplace</title>
<style>
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;margin:0;color:#16191f;background:#f2f3f3}
header{background:#232f3e;color:#fff;padding:.7rem 1.5rem;font-weight:600}
header small{font-weight:400;color:#d5dbdb;margin-left:.5rem}
main{max-width:56rem;margin:1.5rem auto;background:#fff;padding:1.5rem 2rem;border:1px solid #d5dbdb}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border-bottom:1px solid #eaeded;padding:.45rem;text-align:left;vertical-align:top}
th{width:16rem;color:#545b64;font-weight:600}
.en{color:#687078;font-size:.85em;font-weight:400}
.notice{padding:.8rem 1rem;border-left:4px solid #0073bb;background:#f1faff;margin:1rem 0}
.error{border-left-color:#d13212;background:#fdf3f1}
.ok{border-left-color:#1d8102;background:#f2f8f0}
button{background:#ff9900;border:1px solid #e88b01;border-radius:2px;padding:.55rem 1.2rem;font-size:1rem;cursor:pointer}
button.secondary{background:#fff;border-color:#545b64}
input[type=number]{width:5rem}input[type=text]{width:12rem}
form.inline{display:inline}
td{overflow-wrap:anywhere}
@media (max-width:40rem){main{margin:.5rem;padding:1rem}th{width:7.5rem}}
details.clock{margin-top:2rem;border-top:1px solid #eaeded;padding-top:.8rem}
</style>
</head>
<body>
<header>AWS Marketplace<small>ローカルシミュレーター (local simulator)</small></header>
<main>${body}</main>
</body>
</html>
`;
  if (page instanceof Promise) throw new TypeError('layout: the page has a part rendered asynchronously');
  return page.toString();
}

export const formatDate = (iso: string | undefined): string =>
  iso === undefined ? '—' : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
