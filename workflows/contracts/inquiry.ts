/** Step 1: the buyer's inquiry, and the execution input it starts. */
import * as z from 'zod';
import { Actor } from './actor.js';

export const LOCALES = ['ja', 'en'] as const;
export const Locale = z.enum(LOCALES, { message: 'locale must be ja or en' });
export type Locale = z.infer<typeof Locale>;

/** A 12-digit AWS account id; `field` is the name the messages use. */
export const awsAccountIdField = (field: string) =>
  z.string({ message: `${field} is required` }).regex(/^\d{12}$/, `${field} must be exactly 12 digits`);
export const AwsAccountId = awsAccountIdField('awsAccountId');

export const OnboardingId = z
  .string({ message: 'onboardingId is required' })
  .regex(/^onb-[0-9a-z]{10,40}$/, 'onboardingId must look like onb-<lowercase letters and digits>');
export type OnboardingId = z.infer<typeof OnboardingId>;

export const Inquiry = z.object({
  company: z.string({ message: 'company is required' }).trim().min(1, 'company is required').max(200),
  contactName: z
    .string({ message: 'contactName is required' })
    .trim()
    .min(1, 'contactName is required')
    .max(200),
  email: z.email({ message: 'email must be a valid e-mail address' }),
  awsAccountId: AwsAccountId,
  plan: z.string({ message: 'plan is required' }).trim().min(1, 'plan is required').max(100),
  message: z.string().trim().max(4000, 'message must be at most 4000 characters').optional(),
  locale: Locale.default('ja'),
});
export type Inquiry = z.infer<typeof Inquiry>;

/** The input of StartExecution; the execution's name is the onboarding id. */
export const OnboardingStart = z.object({
  onboardingId: OnboardingId,
  inquiry: Inquiry,
  actor: Actor,
  receivedAt: z.iso.datetime({ message: 'receivedAt must be an ISO-8601 date-time' }),
});
export type OnboardingStart = z.infer<typeof OnboardingStart>;
