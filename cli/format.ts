/** Plain-text renderings for the terminal. */
import type { ListOnboardingsResult, OnboardingDetail } from '../tasks/use-cases/index.js';
import { type Stage, stageEntry } from '../workflows/contracts/index.js';

type Listed = Extract<ListOnboardingsResult, { ok: true }>;
type Detail = Extract<OnboardingDetail, { ok: true }>;

/** The stage's name with its label from the stage registry (the console and the e-mails use the same wording). */
const stageText = (stage: Stage): string => {
  const { label } = stageEntry(stage);
  return `${stage} — ${label.ja} / ${label.en}`;
};

const actorText = (a: { kind: string; id: string; role?: string } | undefined): string =>
  a ? `${a.kind}:${a.id}${a.role ? ` (${a.role})` : ''}` : '';

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function renderList(r: Listed): string {
  const counts = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  const rows = [
    ['ID', 'STAGE', 'COMPANY', 'E-MAIL', 'AWS ACCOUNT', 'UPDATED'],
    ...r.items.map((o) => [o.id, o.stage, o.company, o.email, o.buyerAwsAccountId, o.updatedAt]),
  ];
  return [
    `${r.total} onboardings${counts ? ` (${counts})` : ''}`,
    r.items.length ? table(rows) : 'none match',
    r.nextCursor ? `more: --cursor ${r.nextCursor}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function renderDetail(d: Detail): string {
  const o = d.onboarding;
  const lines = [
    `${o.id}  ${o.inquiry.company}`,
    `  stage        ${stageText(o.stage)} (${o.status})`,
    `  contact      ${o.inquiry.contactName} <${o.inquiry.email}>`,
    `  AWS account  ${o.buyerAwsAccountId}`,
    `  plan         ${o.plan}`,
  ];
  if (o.offer)
    lines.push(`  offer        ${o.offer.offerId} (${o.offer.source}), expires ${o.offer.expiresAt}`);
  if (o.accountId) lines.push(`  account      ${o.accountId}`);
  if (o.end) lines.push(`  ended        ${o.end.at} at ${o.end.stage}: ${o.end.reason} (${o.end.outcome})`);
  if (d.openTask) {
    lines.push(
      `  waiting      ${d.openTask.stage} for ${d.openTask.assignee} since ${d.openTask.openedAt}, due ${d.openTask.dueAt}`,
    );
  }
  lines.push('', 'Human tasks:');
  for (const t of d.tasks) {
    lines.push(
      `  ${t.stage.padEnd(18)} ${t.status.padEnd(10)} opened ${t.openedAt}${t.completedAt ? `, ended ${t.completedAt}` : ''} ${actorText(t.completedBy)}`.trimEnd(),
    );
  }
  lines.push('', 'Who did what:');
  for (const e of d.timeline)
    lines.push(`  ${e.at}  ${e.stage.padEnd(18)} ${e.summary} — ${actorText(e.actor)}`);
  return lines.join('\n');
}
