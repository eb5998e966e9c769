import type { ConsentService } from "../../../services/consent/consent-service.js";

export type GraphScope = "User.Read" | "Files.ReadWrite.AppFolder" | "Mail.Read";

/** What the Privacy view shows under "Permissions in use". */
export interface PermissionsInUse {
  /** Graph scopes asked for in this session so far. */
  scopesAsked: GraphScope[];
  /** The host hands over the open message itself (Mailbox 1.14 getAsFileAsync). */
  hostReadsItem: boolean;
}

/** The Privacy view's services: consent and its history, withdrawal, receipts, permissions. */
export interface PrivacyFacade {
  consent: Pick<
    ConsentService,
    | "policy"
    | "org"
    | "current"
    | "history"
    | "withdraw"
    | "retryPending"
    | "contentAllowed"
    | "receiptParties"
  >;
  /** Who the receipts are about: the mailbox owner's address. */
  principalId: string;
  /** Deletes every stored email of the user (with a withdrawal); resolves with how many went. */
  deleteAllStoredEmails(): Promise<number>;
  permissions(): PermissionsInUse;
  /** Signs out of SEPT where the host allows it (MSAL); absent in the local demo. */
  signOut?: () => Promise<unknown>;
}
