export interface AgreementInfo {
  agreementId: string;
  status?: string;
  acceptorAccountId?: string;
  offerId?: string;
  startTime?: string;
  endTime?: string;
}

export interface AgreementLookup {
  describeAgreement(agreementId: string): Promise<AgreementInfo | undefined>;
}
