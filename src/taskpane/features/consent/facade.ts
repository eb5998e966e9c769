import type { ConsentService } from "../../../services/consent/consent-service.js";

/**
 * Consent as the gate needs it: read it (and follow changes), grant it, what the organisation
 * allows, who withdrew, and retrying a withdrawal the ledger does not hold yet.
 */
export type ConsentFacade = Pick<
  ConsentService,
  | "start"
  | "refresh"
  | "subscribe"
  | "grant"
  | "policy"
  | "contentAllowed"
  | "isOwnRecord"
  | "retryPending"
>;
