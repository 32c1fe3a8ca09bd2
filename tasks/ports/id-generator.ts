import { randomBytes } from 'node:crypto';

export interface IdGenerator {
  /** `onb-` + 10..40 lowercase letters and digits (OnboardingId). */
  onboardingId(): string;
  /** `<prefix>-` + lowercase letters and digits. */
  id(prefix: string): string;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

function randomPart(length: number): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}

/** Time-ordered (base36 milliseconds) plus 12 random characters. */
export const randomIds: IdGenerator = {
  onboardingId: () => `onb-${Date.now().toString(36)}${randomPart(12)}`,
  id: (prefix) => `${prefix}-${Date.now().toString(36)}${randomPart(12)}`,
};
