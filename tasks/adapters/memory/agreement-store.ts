import type { Agreement } from '../../domain/agreement.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { AgreementStore } from '../../ports/agreement-store.js';
import { clone } from './cursor.js';

export class MemoryAgreementStore implements AgreementStore {
  readonly items = new Map<string, Agreement>();

  async get(onboardingId: string, agreementId: string) {
    const a = this.items.get(`${onboardingId}#${agreementId}`);
    return a ? clone(a) : undefined;
  }

  async save(agreement: Agreement) {
    const key = `${agreement.onboardingId}#${agreement.agreementId}`;
    const stored = this.items.get(key);
    if ((stored?.version ?? 0) !== agreement.version)
      throw new ConcurrentUpdateError(`agreement ${agreement.agreementId}`);
    const saved = { ...agreement, version: agreement.version + 1 };
    this.items.set(key, clone(saved));
    return clone(saved);
  }

  async listForOnboarding(onboardingId: string) {
    return [...this.items.values()].filter((a) => a.onboardingId === onboardingId).map(clone);
  }
}
