/** The Inquiry task: store the onboarding, send the acknowledgement (once), return the onboarding's reference. */

import type { OnboardingRef } from '../../workflows/contracts/task-io.js';
import { RecordInquiryInput } from '../../workflows/contracts/task-io.js';
import { acknowledgementEmail, buyerMailContext } from '../domain/emails/index.js';
import { InvalidTaskInputError } from '../domain/errors.js';
import { newOnboarding } from '../domain/onboarding.js';
import { said } from '../domain/timeline-texts.js';
import { issuesOf } from '../domain/validation.js';
import type { Ports } from '../ports/index.js';
import { note, nowIso, sendOnce } from './shared.js';

export async function recordInquiry(
  ports: Pick<Ports, 'onboardings' | 'mailer' | 'clock' | 'log'> & Partial<Pick<Ports, 'history'>>,
  input: unknown,
): Promise<OnboardingRef> {
  const parsed = RecordInquiryInput.safeParse(input);
  if (!parsed.success) throw new InvalidTaskInputError('record-inquiry', issuesOf(parsed.error));
  const { onboardingId, inquiry, actor } = parsed.data;

  const fresh = newOnboarding({
    id: onboardingId,
    inquiry,
    at: nowIso(ports),
    ...(ports.history ? { executionArn: ports.history.executionArnFor(onboardingId) } : {}),
  });
  const created = (await ports.onboardings.create(fresh)) === 'created';
  if (created) {
    await note(
      ports,
      onboardingId,
      actor,
      'Inquiry',
      'inquiry-recorded',
      said('inquiry-recorded', { company: inquiry.company }),
      {
        plan: inquiry.plan,
      },
    );
  }
  const onboarding = (await ports.onboardings.get(onboardingId)) ?? fresh;
  await sendOnce(ports, onboarding, 'acknowledgement', {
    to: [inquiry.email],
    ...acknowledgementEmail({ ...buyerMailContext(onboarding), plan: inquiry.plan }),
    tag: 'acknowledgement',
  });
  return {
    onboardingId,
    locale: inquiry.locale,
    company: inquiry.company,
    email: inquiry.email,
    awsAccountId: inquiry.awsAccountId,
  };
}
