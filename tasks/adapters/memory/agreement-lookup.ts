import type { AgreementInfo, AgreementLookup } from '../../ports/agreement-lookup.js';
import { clone } from './cursor.js';

export class MemoryAgreementLookup implements AgreementLookup {
  readonly agreements = new Map<string, AgreementInfo>();

  add(info: AgreementInfo) {
    this.agreements.set(info.agreementId, clone(info));
  }

  async describeAgreement(agreementId: string) {
    const a = this.agreements.get(agreementId);
    return a ? clone(a) : undefined;
  }

  async searchAgreements(query: { productId: string; nextToken?: string }) {
    const all = [...this.agreements.values()];
    const start = query.nextToken ? Number(query.nextToken) : 0;
    const items = all.slice(start, start + 50).map(clone);
    return { items, ...(start + 50 < all.length ? { nextToken: String(start + 50) } : {}) };
  }
}
