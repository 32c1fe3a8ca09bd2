/** Step 1: the buyer's inquiry, and the execution input it starts. */
import * as z from 'zod';
import { Actor } from './actor.js';

export const LOCALES = ['ja', 'en'] as const;
export const Locale = z.enum(LOCALES, { message: 'locale must be ja or en' });
export type Locale = z.infer<typeof Locale>;

/**
 * An AWS account id as people type it: NFKC (full-width digits become plain ones), without the hyphens the AWS
 * console shows between the groups (1234-5678-9012) and without spaces. Used wherever one is read or searched.
 */
export const normalizeAccountId = (v: string): string => v.normalize('NFKC').replace(/[\s\-‐‑‒–—―ー−]/g, '');

/**
 * A 12-digit AWS account id; `field` is the name the messages use. Typed as people copy it, it is accepted: with the
 * hyphens the AWS console shows (1234-5678-9012), spaces, or full-width digits (１２３４…).
 */
export const awsAccountIdField = (field: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? normalizeAccountId(v) : v),
    z.string({ message: `${field} is required` }).regex(/^\d{12}$/, `${field} must be exactly 12 digits`),
  );
export const AwsAccountId = awsAccountIdField('awsAccountId');

/**
 * An e-mail address, bounded as mail systems bound it (RFC 5321 path: 254 characters), so it fits every key, index
 * and header it ends in (DynamoDB keys take 2,048 bytes): the length is checked before the format and before any
 * lookup. `field` is the name the messages use.
 */
export const emailField = (field = 'email') =>
  z
    .string({ message: `${field} is required` })
    .trim()
    .max(254, `${field} must be at most 254 characters`)
    .pipe(z.email({ message: `${field} must be a valid e-mail address` }));
export const Email = emailField();

/** Control characters (CR, LF, tab, ...) as one space: a name or a title may end up in a mail header. */
export const oneLine = (s: string): string => s.replace(/\p{Cc}+/gu, ' ').trim();

/** Free text of one line (a name, a title): trimmed, bounded, control characters folded into a space. */
export const lineField = (field: string, max: number) =>
  z
    .string({ message: `${field} is required` })
    .transform(oneLine)
    .pipe(z.string().min(1, `${field} is required`).max(max, `${field} must be at most ${max} characters`));

export const OnboardingId = z
  .string({ message: 'onboardingId is required' })
  .regex(/^onb-[0-9a-z]{10,40}$/, 'onboardingId must look like onb-<lowercase letters and digits>');
export type OnboardingId = z.infer<typeof OnboardingId>;

/** An IANA time zone name the runtime knows (Asia/Tokyo, Europe/Berlin, UTC). */
export const isTimeZone = (v: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return true;
  } catch {
    return false;
  }
};

export const Inquiry = z.object({
  company: lineField('company', 200),
  contactName: lineField('contactName', 200),
  email: Email,
  awsAccountId: AwsAccountId,
  plan: lineField('plan', 100),
  message: z.string().trim().max(4000, 'message must be at most 4000 characters').optional(),
  locale: Locale.default('ja'),
  /**
   * The buyer's time zone as their browser tells it (the inquiry form's script), for dates in their mails; a value
   * that is not a time zone is dropped rather than refusing the inquiry.
   */
  timeZone: z.string().max(64).refine(isTimeZone).optional().catch(undefined),
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
