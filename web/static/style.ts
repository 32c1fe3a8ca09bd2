/** The one stylesheet of the web app (served at /static/style.<hash>.css). */
export const STYLE_CSS = `
:root{--fg:#1b1f24;--muted:#5b6470;--line:#d6dbe1;--bg:#f6f7f9;--card:#fff;--accent:#1f5fbf;--ok:#1d7a46;--warn:#9a5b00;--bad:#b3261e;font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",sans-serif;color:var(--fg);background:var(--bg)}
*{box-sizing:border-box}body{margin:0;line-height:1.5}
a{color:var(--accent)}
header.top{display:flex;gap:1rem;align-items:center;justify-content:space-between;padding:.6rem 1.2rem;background:#14213d;color:#fff}
header.top a{color:#fff}header.top nav{display:flex;gap:1rem;align-items:center}header.top .badge{color:#14213d}
header.top form{margin:0}header.top button{background:none;border:1px solid #fff6;color:#fff;padding:.2rem .6rem}
header.top{flex-wrap:wrap}header.top nav{flex-wrap:wrap;gap:.4rem 1rem}header.top button{white-space:nowrap}
main{max-width:64rem;margin:1.5rem auto;padding:0 1rem}
main.narrow{max-width:36rem}
.slim{max-width:28rem}
h1{font-size:1.5rem;margin:.2rem 0 1rem;word-break:keep-all;overflow-wrap:anywhere}h2{font-size:1.15rem;margin:1.5rem 0 .6rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1.2rem;margin-bottom:1rem}
label{display:block;font-weight:600;margin:.8rem 0 .25rem}
label small{font-weight:400;color:var(--muted)}
input,select,textarea{width:100%;padding:.5rem;border:1px solid var(--line);border-radius:6px;font:inherit;background:#fff}
textarea{min-height:6rem}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--bad)}
.err{color:var(--bad);font-size:.9rem;margin:.2rem 0 0}
.notice{border-left:4px solid var(--accent);background:#eef3fb;padding:.7rem 1rem;margin:1rem 0;border-radius:4px}
.notice.bad{border-color:var(--bad);background:#fbeeed}.notice.ok{border-color:var(--ok);background:#edf7f1}.notice.warn{border-color:var(--warn);background:#fbf4e8}
.notice.question{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.5rem .8rem;align-items:start;margin-top:0}.notice.question::before{content:"?";grid-row:span 2;display:flex;align-items:center;justify-content:center;width:1.7rem;height:1.7rem;border-radius:50%;background:var(--accent);color:#fff;font-weight:700}.notice.question p{margin:0}.notice.question label.check{font-weight:600}
button,.button{display:inline-block;margin-top:1rem;padding:.55rem 1.1rem;border:0;border-radius:6px;background:var(--accent);color:#fff;font:inherit;cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}
button.danger{background:var(--bad)}
button[disabled]{opacity:.6;cursor:progress}
table{width:100%;border-collapse:collapse;background:var(--card)}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
.stages{display:flex;flex-wrap:wrap;gap:.4rem;margin:0 0 1rem;padding:0;list-style:none}
.stages a{display:inline-block;padding:.2rem .6rem;border:1px solid var(--line);border-radius:999px;background:#fff;text-decoration:none;font-size:.9rem}
.stages a[aria-current=true]{background:var(--accent);color:#fff;border-color:var(--accent)}
.stages .count{display:inline-block;min-width:1.5em;padding:0 .35em;border-radius:999px;background:#e8ecf1;color:var(--fg);font-size:.8rem;text-align:center}
.stages a[aria-current=true] .count{background:#fff;color:#14213d;font-weight:700}
td.overdue{color:var(--bad)}.sort{margin:.4rem 0;font-size:.9rem}.sort [aria-current]{font-weight:700}
.table-wrap{overflow-x:auto}
.search{display:flex;gap:.5rem;align-items:end}.search input{flex:1}.search button{margin:0}
.pager{display:flex;justify-content:space-between;margin:1rem 0}
ol.stepper{list-style:none;padding:0;margin:0;display:grid;gap:.35rem}
ol.stepper li{display:grid;grid-template-columns:1.6rem 14rem 1fr;gap:.5rem;align-items:baseline}
ol.stepper .dot{width:1rem;height:1rem;border-radius:50%;border:2px solid var(--line);display:inline-block}
ol.stepper .done .dot{background:var(--ok);border-color:var(--ok)}
ol.stepper .current .dot{background:var(--accent);border-color:var(--accent)}
ol.stepper .current{font-weight:700}ol.stepper .meta{color:var(--muted);font-size:.9rem}
ol.stepper .failed .dot{background:var(--bad);border-color:var(--bad)}ol.stepper .failed{color:var(--bad)}
ol.stepper .skipped .dot{border-style:dashed}ol.stepper .skipped,ol.stepper .unreached{color:var(--muted)}
ol.stepper li.side{padding-left:1.2rem}
dl.facts{display:grid;grid-template-columns:12rem 1fr;gap:.3rem 1rem;margin:0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.row{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem}
.dims{display:grid;grid-template-columns:2fr 1fr;gap:.4rem 1rem}
fieldset{border:1px solid var(--line);border-radius:6px;margin:.8rem 0;padding:.4rem .9rem}
fieldset label.inline{display:inline-flex;gap:.3rem;font-weight:400;margin-right:1rem}fieldset label.inline input{width:auto}
label.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}label.check input{width:auto;margin-top:.25rem}
.actions{display:grid;gap:1rem}
.timeline td.time{white-space:nowrap;font-variant-numeric:tabular-nums}@media (min-width:40.01rem){table.timeline td:last-child{min-width:16rem}}
details pre{white-space:pre-wrap;word-break:break-all;background:#f0f2f5;padding:.5rem;border-radius:4px;max-height:20rem;overflow:auto;font-size:.8rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:4px;background:#e8ecf1;font-size:.8rem}
.badge.archive{background:#f3e8fb}
.muted{color:var(--muted)}
.accounts{list-style:none;padding:0;display:grid;gap:.8rem}.accounts li{display:flex;justify-content:space-between;align-items:center}.accounts button{margin:0}
footer{color:var(--muted);font-size:.85rem;text-align:center;margin:2rem 0}
@media (max-width:40rem){.row,dl.facts{grid-template-columns:1fr}ol.stepper li{grid-template-columns:1.6rem 1fr}ol.stepper .meta{grid-column:2}
header.top{padding:.5rem .8rem}main{padding:0 .7rem}
table:is(.list,.timeline) thead{display:none}table:is(.list,.timeline) tr{display:block;border-bottom:1px solid var(--line);padding:.4rem 0}table:is(.list,.timeline) td{display:grid;grid-template-columns:7rem minmax(0,1fr);gap:.5rem;border:0;padding:.1rem .6rem;overflow-wrap:anywhere;min-width:0}table:is(.list,.timeline) td::before{content:attr(data-label);color:var(--muted);font-size:.85rem}table:is(.list,.timeline) td[colspan]{display:block}}
`.trim();
