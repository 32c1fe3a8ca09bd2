export interface AgreementInfo {
  agreementId: string;
  status?: string;
  acceptorAccountId?: string;
  offerId?: string;
  startTime?: string;
  endTime?: string;
}

export interface AgreementPage {
  items: AgreementInfo[];
  nextToken?: string;
}

export interface AgreementLookup {
  describeAgreement(agreementId: string): Promise<AgreementInfo | undefined>;
  /** The seller's purchase agreements for one product (SearchAgreements as Proposer), 50 a page. */
  searchAgreements(query: { productId: string; nextToken?: string }): Promise<AgreementPage>;
}
