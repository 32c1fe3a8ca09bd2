/**
 * The stage registry (workflows/contracts/stage-registry.ts): every entry names things that exist (its handler, use
 * cases, form and test), and the views derived from it are the ones the domain, the web and the CLI rely on. Its
 * edges are checked against the rendered state machine in graph.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import * as uc from '../../tasks/use-cases/index.js';
import {
  BUYER_ARRIVAL_STAGES,
  HUMAN_STAGES,
  humanStage,
  STAFF_STAGES,
  STAGES,
  STOPPED_BY_SUBSCRIPTION_FAILURE,
  stageEntry,
  stagesAfterBuyerSteps,
  stagesCompletedBy,
} from '../../workflows/contracts/index.js';
import { INITIAL_VARIABLES } from '../../workflows/variables.js';
import { harness } from '../web/support/harness.js';

const root = new URL('../../', import.meta.url);
const fileOf = (path: string) => new URL(path, root);

describe('each registry entry names what a newcomer looks for', () => {
  it.each(STAGES)('%s: its handler, use cases and test exist, and the test names the stage', (stage) => {
    // Prepare
    const entry = stageEntry(stage);

    // Act
    const handlerExists = entry.handler ? existsSync(fileOf(`tasks/handlers/${entry.handler}.ts`)) : true;
    const missingUseCases = entry.useCases.filter(
      (name) => typeof (uc as Record<string, unknown>)[name] !== 'function',
    );
    const testText = readFileSync(fileOf(entry.test), 'utf8');

    // Assess
    expect(handlerExists, `tasks/handlers/${entry.handler}.ts`).toBe(true);
    expect(missingUseCases).toEqual([]);
    expect(testText).toContain(stage);
  });

  it('gives every stage a label in Japanese and in English, each used once', () => {
    // Prepare
    const labels = STAGES.map((s) => stageEntry(s).label);

    // Act
    const blank = labels.filter((l) => l.ja.trim() === '' || l.en.trim() === '');

    // Assess
    expect(blank).toEqual([]);
    expect(new Set(labels.map((l) => l.ja)).size).toBe(STAGES.length);
    expect(new Set(labels.map((l) => l.en)).size).toBe(STAGES.length);
  });

  it.each(HUMAN_STAGES)(
    '%s: a zod callback, a workflow variable, a timeout and a consistent early path',
    (stage) => {
      // Prepare
      const entry = humanStage(stage);

      // Act
      const early = entry.earlySubmission;

      // Assess
      expect(entry.callback).toBeInstanceOf(z.ZodType);
      expect(Object.keys(INITIAL_VARIABLES)).toContain(entry.resultVariable);
      expect(entry.resultVariable).not.toBe('reason');
      expect(typeof entry.defaultTimeout === 'string' || entry.defaultTimeout.days > 0).toBe(true);
      expect(early === undefined || (entry.earlyFacts ?? []).includes(early.fact)).toBe(true);
      expect(entry.assignee === 'buyer' || early === undefined).toBe(true);
    },
  );

  it('serves every form the registry names from the web app', async () => {
    // Prepare
    const { app } = await harness();
    const routes = app.routes.map((r) => new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`));
    const forms = STAGES.flatMap((s) => stageEntry(s).form ?? []).map((f) =>
      f.replace(':id', 'onb-0123456789'),
    );

    // Act
    const unserved = forms.filter((path) => !routes.some((route) => route.test(path)));

    // Assess
    expect(forms.length).toBeGreaterThan(5);
    expect(unserved).toEqual([]);
  });
});

describe('views derived from the registry', () => {
  it('staff complete the sales and support stages from the console, at their registry form', () => {
    // Act
    const forms = STAFF_STAGES.map((s) => humanStage(s).form);

    // Assess
    expect([...STAFF_STAGES].sort()).toEqual([
      'AdvisoryReview',
      'Consultation',
      'OfferExpired',
      'OfferFailed',
      'Renewal',
      'StageTimedOut',
    ]);
    expect(forms).toEqual(STAFF_STAGES.map((s) => `/console/onboardings/:id/stages/${s}`));
  });

  it('a subscription failure stops the buyer side, and the buyer arrival completes acceptance and setup', () => {
    // Act
    const stopped = [...STOPPED_BY_SUBSCRIPTION_FAILURE];
    const byArrival = [...stagesCompletedBy('buyer-arrived')];

    // Assess
    expect(stopped).toEqual(['AwaitAcceptance', 'AccountSetup', 'Registration', 'AccountSelection']);
    expect(byArrival).toEqual(['AwaitAcceptance', 'AccountSetup']);
  });

  it('the buyer may arrive while the offer is out, and has nothing left to do once the account is chosen', () => {
    // Act
    const arrival = [...BUYER_ARRIVAL_STAGES].sort();
    const done = stagesAfterBuyerSteps();

    // Assess
    expect(arrival).toEqual(['AccountSetup', 'AwaitAcceptance', 'OfferExpired', 'SendOfferNotice']);
    expect(done).toEqual(['CreateAccount', 'ActivatePaidPlan', 'NotifyCompletion', 'Completed']);
  });
});
