/** asl-validator 4 ships no type declarations; this is the part of its API the tests use. */
import { createRequire } from 'node:module';

export interface AslValidation {
  readonly isValid: boolean;
  readonly errors: readonly { message?: string }[] | null;
  errorsText(separator?: string): string;
}

export const validateAsl = createRequire(import.meta.url)('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => AslValidation;
