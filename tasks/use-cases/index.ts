/** Every use case: `useCase(ports, input)`. See /work/coord/tasks.md for the contract. */
export { toCsv, toJson } from '../domain/audit.js';
export { describeActor, timelineCsv } from '../domain/timeline.js';
export { builtInUser, listTenantsFor, listUserAccounts, selectAccount } from './account-selection.js';
export type * from './agreement-cancellation.js';
export {
  applyCancellationSignal,
  refreshAgreementCancellation,
  requestAgreementCancellation,
  withdrawAgreementCancellation,
} from './agreement-cancellation.js';
export { dealOf } from './agreement-lifecycle.js';
export type * from './audit.js';
export {
  archiveHistory,
  exportHistories,
  exportTimelines,
  getAuditTrail,
  getExecutionHistory,
  getTimeline,
} from './audit.js';
export type * from './close-onboarding.js';
export { closeOnboarding } from './close-onboarding.js';
export { closeOnboardingRecord } from './close-onboarding-record.js';
export type * from './complete-human-stage.js';
export { completeHumanStage } from './complete-human-stage.js';
export { advanceDeal, runAgreementEpisode } from './deal-episodes.js';
export { deliverToTask } from './deliver.js';
export type * from './extend-offer-while-waiting.js';
export {
  expiryIssue,
  extendOfferWhileWaiting,
  LATEST_EXPIRY_DAYS,
  latestOfferExpiry,
  offerExpiryFromDate,
} from './extend-offer-while-waiting.js';
export {
  checkInvitation,
  SET_PASSWORD_PATH,
  setPasswordWithInvitation,
} from './invitations.js';
export type * from './marketplace-signals.js';
export {
  handleMarketplaceEvent,
  handleMarketplaceSignal,
  handleSnsSubscriptionMessage,
} from './marketplace-signals.js';
export {
  checkOffer,
  createOffer,
  extendOffer,
  OfferRejectedError,
  reportExtensionFailed,
  sendOfferNotice,
} from './offers.js';
export { openHumanTask } from './open-human-task.js';
export type * from './read-side.js';
export { getOnboarding, listOnboardings } from './read-side.js';
export type * from './reconcile-agreements.js';
export { reconcileAgreements } from './reconcile-agreements.js';
export { recordInquiry } from './record-inquiry.js';
export type * from './registration.js';
export { loginExistingUser, registerNewAccount, signInWithIdentity } from './registration.js';
export type * from './resend-offer-notice.js';
export { RESEND_PAUSE_MINUTES, resendOfferNotice } from './resend-offer-notice.js';
export type * from './resolve-buyer-arrival.js';
export { resolveBuyerArrival } from './resolve-buyer-arrival.js';
export { activatePaidPlan, createAccount, notifyCompletion, seedAccounts } from './saas-accounts.js';
export {
  closeStaffSession,
  isStaffSessionOpen,
  openStaffSession,
  revokeStaffSessions,
} from './staff-sessions.js';
export type * from './start-onboarding.js';
export { startOnboarding } from './start-onboarding.js';
