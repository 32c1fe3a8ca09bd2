/**
 * Tags of state machines and activities with AWS's limits: keys of 1-128 characters, values of 0-256, at most 50
 * tags on a resource (TooManyTags), keys starting with `aws:` reserved
 * (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#concepts-tagging,
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_Tag.html).
 */
import type * as sfn from '@aws-sdk/client-sfn';
import { apiError, validationError } from './context.js';

export const MAX_TAGS = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Checks a TagList and returns it as a map (a later duplicate key wins). */
export function tagMap(tags: readonly sfn.Tag[] | undefined, field = 'tags'): Record<string, string> {
  const out: Record<string, string> = {};
  (tags ?? []).forEach((t, i) => {
    const key = t.key ?? '';
    const value = t.value ?? '';
    if (key.length < 1 || key.length > 128) {
      throw validationError(
        `Value '${key}' at '${field}.${i + 1}.member.key' failed to satisfy constraint: Member must have length between 1 and 128`,
      );
    }
    if (value.length > 256) {
      throw validationError(
        `Value at '${field}.${i + 1}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256`,
      );
    }
    if (!TAG_CHARS.test(key) || !TAG_CHARS.test(value)) {
      throw validationError(
        `Value at '${field}.${i + 1}.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$`,
      );
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw validationError(`Tag keys starting with 'aws:' are reserved for AWS use: '${key}'`);
    }
    out[key] = value;
  });
  return out;
}

export function checkTagCount(tags: Record<string, string>, resourceArn: string): void {
  if (Object.keys(tags).length > MAX_TAGS) {
    throw apiError('TooManyTags', `Too many tags: '${resourceArn}' may have at most ${MAX_TAGS} tags`);
  }
}

export function tagList(tags: Record<string, string>): sfn.Tag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}
