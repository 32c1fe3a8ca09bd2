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
}
