/** Support sees an onboarding the buyer confirmed as another request marked in the console, with the other one. */
import { describe, expect, it } from 'vitest';
import { Client, harness, sampleInquiry } from './support/harness.js';

describe('a confirmed duplicate in the console', () => {
  it("names the live onboarding it matched, with a link, in the reader's language; others carry no mark", async () => {
    // Prepare: the same buyer sends twice and confirms the second
    const { app, ports, flow } = await harness();
    const buyer = new Client(app);
    await buyer.get('/inquiry');
    await buyer.post('/inquiry', sampleInquiry());
    await flow.idle();
    await buyer.get('/inquiry');
    await buyer.post('/inquiry', sampleInquiry({ company: 'Example KK 2' }));
    await buyer.post('/inquiry', sampleInquiry({ company: 'Example KK 2', confirmDuplicate: 'yes' }));
    await flow.idle();
    const [first, second] = [...ports.callbacks.executions.keys()].map((arn) => arn.split(':').at(-1) ?? '');
    const support = new Client(app);
    await support.signIn('support');

    // Act
    const marked = await support.get(`/console/onboardings/${second}?lang=en`);
    const markedJa = await support.get(`/console/onboardings/${second}?lang=ja`);
    const original = await support.get(`/console/onboardings/${first}?lang=en`);

    // Assess
    expect(marked.text).toContain(
      `Possible duplicate of <a href="/console/onboardings/${first}" data-duplicate-of="${first}">${first}</a>.`,
    );
    expect(marked.text).toContain('Close this one as a duplicate');
    expect(markedJa.text).toContain('重複の可能性があります:');
    expect(markedJa.text).toContain('重複として理由を添えて終了するか');
    expect(original.text).not.toContain('data-duplicate-of');
  });
});
