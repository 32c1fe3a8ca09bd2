/** Settings from the environment (names in tasks/table.ts `ENV`); infra and the local stack set them. */
import * as z from 'zod';
import { type RateLimitOverrides, RateLimitOverridesSchema } from '../../domain/rate-limits.js';
import type { TasksConfig } from '../../ports/config.js';
import { ENV } from '../../table.js';

type Env = Record<string, string | undefined>;

export class MissingSettingError extends Error {
  constructor(variable: string, purpose: string) {
    super(`environment variable ${variable} is not set (needed for ${purpose})`);
    this.name = 'MissingSettingError';
  }
}

/** A required variable, read when first needed (each function only gets the variables its access implies). */
export function required(env: Env, variable: string, purpose: string): () => string {
  return () => {
    const v = env[variable]?.trim();
    if (!v) throw new MissingSettingError(variable, purpose);
    return v;
  };
}

export interface AwsSettings {
  tableName: () => string;
  idempotencyTableName: () => string;
  stateMachineArn: () => string;
  emailFrom: () => string;
  archiveBucket: () => string;
  config: TasksConfig;
}

/** RATE_LIMITS (JSON) as the limits' overrides; a value that does not parse stops the function with its name. */
function rateLimitOverrides(raw: string | undefined): { rateLimits?: RateLimitOverrides } {
  if (!raw?.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error(`${ENV.rateLimits} must be JSON, e.g. {"inquiryPerAddress":{"limit":20}}`);
  }
  const parsed = RateLimitOverridesSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${ENV.rateLimits}: ${z.prettifyError(parsed.error)}`);
  return { rateLimits: parsed.data as RateLimitOverrides };
}

/** PLAN_END_GRACE_HOURS: a whole number of hours, 0 to 720; anything else stops the function with its name. */
function graceHours(raw: string | undefined): { planEndGraceHours?: number } {
  if (!raw?.trim()) return {};
  const hours = Number(raw);
  if (!Number.isInteger(hours) || hours < 0 || hours > 720)
    throw new Error(
      `${ENV.planEndGraceHours} must be a whole number of hours from 0 to 720, not ${JSON.stringify(raw)}`,
    );
  return { planEndGraceHours: hours };
}

export function readSettings(env: Env = process.env): AwsSettings {
  const support = env[ENV.supportEmail]?.trim() || 'support@localhost';
  return {
    tableName: required(env, ENV.tableName, 'the onboarding table'),
    idempotencyTableName: required(env, ENV.idempotencyTableName, 'Powertools idempotency'),
    stateMachineArn: required(env, ENV.stateMachineArn, 'Step Functions calls'),
    emailFrom: required(env, ENV.emailFrom, 'sending e-mail'),
    archiveBucket: required(env, ENV.archiveBucket, 'the history archive'),
    config: {
      supportEmail: support,
      salesEmail: env[ENV.salesEmail]?.trim() || support,
      webBaseUrl: env[ENV.webBaseUrl]?.trim() || 'http://127.0.0.1:3000',
      offerUrlBase: env[ENV.offerUrlBase]?.trim() || 'https://aws.amazon.com/marketplace/pp/procurement',
      productId: env[ENV.productId]?.trim() || '',
      productCode: env[ENV.productCode]?.trim() || '',
      ...rateLimitOverrides(env[ENV.rateLimits]),
      ...graceHours(env[ENV.planEndGraceHours]),
    },
  };
}
