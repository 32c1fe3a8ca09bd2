/** Identifiers shaped like AWS Marketplace's own. */
import { randomBytes, randomInt } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** AWS Marketplace's account, issuer of the licenses and owner of the SNS topics. */
export const MARKETPLACE_LICENSE_ISSUER = '294406891311';
export const MARKETPLACE_SNS_ACCOUNT = '287250355862';

export const newChangeSetId = () => pick(LOWER_ALNUM, 25);
export const newOfferId = () => `offer-${pick(LOWER_ALNUM, 13)}`;
export const newAgreementId = () => `agmt-${pick(LOWER_ALNUM, 25)}`;
export const newCancellationRequestId = () => `acr-${pick(LOWER_ALNUM, 25)}`;
export const newTermId = () => `term-${randomBytes(32).toString('hex')}`;
export const newCustomerIdentifier = () => pick(ALNUM, 11);
export const newLicenseArn = () =>
  `arn:aws:license-manager::${MARKETPLACE_LICENSE_ISSUER}:license:l-${randomBytes(16).toString('hex')}`;
/** Opaque, long, standard base64 (with + / =), so form encoding is exercised like AWS's tokens do. */
export const newRegistrationToken = () => randomBytes(96).toString('base64');
