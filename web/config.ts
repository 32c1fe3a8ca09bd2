/** Configuration of the web app (createApp), validated once at start. */
import * as z from 'zod';

export const WebConfig = z.object({
  /** HMAC secret for sessions and CSRF tokens (at least 32 characters). In AWS it comes from SESSION_SECRET. */
  sessionSecret: z.string().min(32, 'sessionSecret must be at least 32 characters'),
  /** Public base URL (e.g. https://onboarding.example.com); https turns on Secure cookies and HSTS. */
  baseUrl: z.url({ message: 'baseUrl must be a URL' }).optional(),
  /** Buyer sessions (steps 6-7) expire after this many seconds. */
  buyerSessionTtlSeconds: z.number().int().min(60).max(86_400).default(3_600),
  /** Staff sessions expire after this many seconds: 8 h by default, at most 12 h (infra/nag.ts says so). */
  staffSessionTtlSeconds: z
    .number()
    .int()
    .min(300)
    .max(12 * 3_600)
    .default(8 * 3_600),
  /** Rows per console page. */
  pageSize: z.number().int().min(5).max(200).default(50),
  /** Plans offered on the inquiry form. */
  plans: z.array(z.string().min(1)).min(1).default(['Standard', 'Business', 'Enterprise']),
});
export type WebConfig = z.infer<typeof WebConfig>;
export type WebConfigInput = z.input<typeof WebConfig>;

export function parseWebConfig(input: WebConfigInput): WebConfig {
  const parsed = WebConfig.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid web config: ${detail}`);
  }
  return parsed.data;
}

export const isSecure = (config: WebConfig): boolean => config.baseUrl?.startsWith('https://') ?? false;
