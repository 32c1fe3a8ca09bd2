/** Sending the offer e-mail again while the buyer has not subscribed (issue 12 item 5): who sent it is recorded. */
import { describe, expect, it } from 'vitest';
import { TOKEN_MARK } from '../../local/in-memory/fake-workflow.js';
import { resendOfferNotice } from '../../tasks/use-cases/index.js';
import { Client, changes, harness, offered, SALES_ACTOR, seedOnboarding } from './support/harness.js';

describe('resend the offer e-mail while waiting for the buyer', () => {
  it('sends the same offer e-mail again to the buyer, records who sent it, and refuses a second one at once', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await offered(flow);
    const first = ports.mailer.tagged('offer-notice');
    const c = new Client(app);
    await c.signIn('sales');
    const page = await c.get(`/console/onboardings/${id}`);
    const before = changes(ports);

    // Act
    const sent = await c.post(`/console/onboardings/${id}/resend-offer`, {});
    const after = await c.follow();
    const again = await c.post(`/console/onboardings/${id}/resend-offer`, {});
    const ja = await c.get(`/console/onboardings/${id}?lang=ja`);
    const audit = await c.get(`/audit/onboardings/${id}?lang=en`);

    // Assess
    expect(page.text).toContain('Send the offer e-mail again');
    expect(page.text).toContain(`action="/console/onboardings/${id}/resend-offer"`);
    expect(sent.status).toBe(303);
    const resent = ports.mailer.tagged('offer-notice-resent');
    expect(resent).toHaveLength(1);
    expect(resent[0]?.to).toEqual(first[0]?.to);
    expect(resent[0]?.subject).toBe(first[0]?.subject);
    expect(resent[0]?.text).toBe(first[0]?.text);
    expect(after.text).toContain('The offer e-mail was sent to the buyer again.');
    expect(after.text).toMatch(/Last sent again [^<]* by Sam Sales \(sales\)\./);
    expect(again.status).toBe(409);
    expect(again.text).toContain('less than 10 minutes ago');
    expect(ports.mailer.tagged('offer-notice-resent')).toHaveLength(1);
    expect(ja.text).toContain('オファーのご案内メールを再送する');
    expect(ja.text).toMatch(/前回の再送: [^<]*、Sam Sales（営業）/);
    expect(audit.text).toMatch(/The offer e-mail for offer-[a-z0-9]+ was sent to the buyer again/);
    expect(audit.text).toContain(
      '<span class="badge">offer-notice-resent</span></div></td><td data-label="Actor">Sam Sales (sales)</td>',
    );
    // the workflow is not touched: no callback, the stage still waits
    expect(ports.callbacks.calls.length).toBe(Number(before.split('/')[0]));
    expect((await ports.onboardings.get(id))?.stage).toBe('AwaitAcceptance');
    for (const text of [page.text, after.text, again.text, ja.text, audit.text, JSON.stringify(resent)]) {
      expect(text).not.toContain(TOKEN_MARK);
    }
  });

  it('sends again after the pause; refuses before the buyer is offered anything, after the expiry, and to an auditor', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const waiting = await offered(flow);
    const early = await seedOnboarding(flow);
    const c = new Client(app);
    await c.signIn('sales');
    await c.get(`/console/onboardings/${waiting}`);
    await c.post(`/console/onboardings/${waiting}/resend-offer`, {});
    const auditor = new Client(app);
    await auditor.signIn('auditor');
    await auditor.get(`/console/onboardings/${waiting}`);

    // Act
    ports.clock.advance(11 * 60_000);
    await c.get(`/console/onboardings/${waiting}`);
    const later = await c.post(`/console/onboardings/${waiting}/resend-offer`, {});
    await c.get(`/console/onboardings/${early}`);
    const notYet = await c.post(`/console/onboardings/${early}/resend-offer`, {});
    const byAuditor = await auditor.post(`/console/onboardings/${waiting}/resend-offer`, {});
    ports.clock.advance(200 * 86_400_000); // past the offer's expiry (2025-06-30), the workflow not yet told
    const expired = await resendOfferNotice(ports, { onboardingId: waiting, actor: SALES_ACTOR });
    const forged = await resendOfferNotice(ports, {
      onboardingId: waiting,
      actor: { kind: 'staff', id: 'ann', role: 'auditor' } as never,
    });

    // Assess
    expect(later.status).toBe(303);
    expect(ports.mailer.tagged('offer-notice-resent')).toHaveLength(2);
    expect(notYet.status).toBe(409);
    expect(notYet.text).toContain('no longer waits for the buyer to subscribe');
    expect(byAuditor.status).toBe(403);
    expect(expired).toEqual({ ok: false, error: 'offer-expired' });
    expect(forged).toMatchObject({ ok: false, error: 'invalid-input' });
    expect(ports.mailer.tagged('offer-notice-resent')).toHaveLength(2);
  });
});
