import type { Agreement } from '../domain/agreement.js';

/** The agreement records (tasks/domain/agreement.ts), kept with the onboarding each customer came through. */
export interface AgreementStore {
  get(onboardingId: string, agreementId: string): Promise<Agreement | undefined>;
  /**
   * Saves when the stored version is still `agreement.version` (0: not stored yet); stores version + 1 and returns
   * the saved record. Throws ConcurrentUpdateError otherwise.
   */
  save(agreement: Agreement): Promise<Agreement>;
  /** Every agreement of the onboarding's customer (the deal), in no particular order. */
  listForOnboarding(onboardingId: string): Promise<Agreement[]>;
}
