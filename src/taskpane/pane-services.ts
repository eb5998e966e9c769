import type { ConsentService } from "../services/consent-service.js";

/** What the views need, wired once by the composition root (index.tsx). */
export interface PaneServices {
  consent: ConsentService;
  /** Who the receipts are about: the mailbox owner's address. */
  principalId: string;
  deleteAllStoredEmails(): Promise<number>;
}
