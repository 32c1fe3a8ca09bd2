/** The deal view: every agreement of an onboarding's customer with its episodes, readable by every staff role. */
import { describe, expect, it } from 'vitest';
import { newAgreement, withEpisode } from '../../tasks/domain/agreement.js';
import { Client, harness, seedOnboarding } from './support/harness.js';

describe('deal view', () => {
  it('shows each agreement with its episodes to an auditor, and 404 for an unknown onboarding', async () => {
    // Prepare
    const { app, flow, ports } = await harness();
    const id = await seedOnboarding(flow, { company: 'Deal View KK' });
    const first = withEpisode(
      newAgreement(
        { agreementId: 'agmt-first000000000000000001', onboardingId: id, tenantId: 'tnt-1' },
        '2026-01-01T00:00:00Z',
      ),
      { at: '2026-01-01T00:00:00Z', kind: 'created', summary: 'Agreement created (NEW)', eventId: 'e1' },
      { nextAgreementId: 'agmt-second00000000000000001', status: 'RENEWED' },
    );
    await ports.agreementRecords.save(first);
    const c = new Client(app);
    await c.signIn('auditor');
    // Act
    const page = await c.get(`/console/deal/${id}`);
    const missing = await c.get('/console/deal/onb-doesnotexist00');
    // Assess
    expect(page.status).toBe(200);
    expect(page.text).toContain('Deal View KK');
    expect(page.text).toContain('agmt-first000000000000000001');
    expect(page.text).toContain('Agreement created (NEW)');
    expect(page.text).toContain('href="#agreement-agmt-second00000000000000001"');
    expect(missing.status).toBe(404);
    const ja = await c.get(`/console/deal/${id}?lang=ja`);
    expect(ja.text).toContain('契約の経過');
    expect(ja.text).toContain('次の契約');
    expect(ja.text).toContain('契約の成立');
  });

  it('sends a visitor without a staff session to sign in', async () => {
    // Prepare
    const { app, flow } = await harness();
    const id = await seedOnboarding(flow);
    // Act
    const r = await app.request(`/console/deal/${id}`, { redirect: 'manual' });
    // Assess
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toMatch(/^\/auth\/login/);
  });
});
