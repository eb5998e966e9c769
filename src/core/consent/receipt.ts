import type { ConsentRecord, Purpose } from "./consent.js";

/** A party named on a receipt: who decides (controller) or who processes on its behalf. */
export interface ReceiptParty {
  name: string;
  contact: string;
  email: string;
  url: string;
  address: { locality: string; region: string; country: string; street?: string };
}

/**
 * Who the receipt names, from the organisation's policy. The defaults are SEPT's own privacy
 * policy (§1: "SEPT SOFTWARE Inc, Calgary, Alberta, Canada"; §7: privacy@septsoftware.com).
 */
export interface ReceiptParties {
  controller: ReceiptParty;
  /** Processing on the controller's behalf (e.g. SEPT when the customer is the controller). */
  processor: ReceiptParty | null;
  /** Where the controller is established, e.g. "CA-AB" (Alberta, Canada). */
  jurisdiction: string;
}

export const SEPT_PARTIES: ReceiptParties = {
  controller: {
    name: "SEPT SOFTWARE Inc",
    contact: "Privacy Office",
    email: "privacy@septsoftware.com",
    url: "https://septsoftware.com/",
    address: { locality: "Calgary", region: "Alberta", country: "CA" },
  },
  processor: null,
  jurisdiction: "CA-AB",
};

/** A consent receipt in the shape of the Kantara Initiative Consent Receipt Specification v1.1. */
export interface ConsentReceipt {
  version: "KI-CR-v1.1.0";
  jurisdiction: string;
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language: string;
  piiPrincipalId: string;
  piiControllers: Array<{
    piiController: string;
    onBehalf: boolean;
    contact: string;
    address: {
      streetAddress?: string;
      addressLocality: string;
      addressRegion: string;
      addressCountry: string;
    };
    email: string;
    piiControllerUrl: string;
  }>;
  policyUrl: string;
  services: Array<{
    service: string;
    purposes: Array<{
      purpose: string;
      purposeCategory: string[];
      consentType: "EXPLICIT";
      piiCategory: string[];
      primaryPurpose: boolean;
      termination: string;
      thirdPartyDisclosure: boolean;
    }>;
  }>;
  sensitive: boolean;
  spiCat: string[];
  /** SEPT extensions: which policy version, and whether this receipt records a grant or its end. */
  "sept:policyVersion": string;
  "sept:recordKind": ConsentRecord["kind"];
  "sept:grantId"?: string | null;
}

const PURPOSE_TEXT: Record<Purpose, { purpose: string; pii: string[] }> = {
  email_metadata: {
    purpose: "Store the details of emails the user saves and link them to SEPT projects",
    pii: ["Email metadata: sender, recipients, subject, dates, message identifiers"],
  },
  email_content: {
    purpose: "Store the content of emails the user saves (body and attachments, as .eml)",
    pii: ["Email content: body and attachments"],
  },
};

const termination = (controller: ReceiptParty): string =>
  `Withdraw at any time in the SEPT for Outlook task pane (Privacy), or by writing to ${controller.email}.`;

function collectionMethod(record: ConsentRecord): string {
  const c = record.collection;
  if (c.method === "privacy_office") {
    return `Withdrawal requested from the privacy office on ${c.requestedAt}, recorded by ${c.recordedBy}${c.reference ? ` (ref. ${c.reference})` : ""}`;
  }
  const act = record.kind === "grant" ? "Explicit opt-in" : "Withdrawal";
  return `${act} in the SEPT for Outlook task pane (add-in ${c.addinVersion}; ${c.host} ${c.platform} ${c.hostVersion})`;
}

const controllerEntry = (party: ReceiptParty, onBehalf: boolean) => ({
  piiController: party.name,
  onBehalf,
  contact: party.contact,
  address: {
    ...(party.address.street ? { streetAddress: party.address.street } : {}),
    addressLocality: party.address.locality,
    addressRegion: party.address.region,
    addressCountry: party.address.country,
  },
  email: party.email,
  piiControllerUrl: party.url,
});

export function consentReceipt(
  record: ConsentRecord,
  subject: { principalId: string; language: string },
  parties: ReceiptParties = SEPT_PARTIES,
): ConsentReceipt {
  const at = record.kind === "grant" ? record.grantedAt : record.withdrawnAt;
  const purposes: Purpose[] = record.kind === "grant" ? record.purposes : [];
  const TERMINATION = termination(parties.controller);
  return {
    version: "KI-CR-v1.1.0",
    jurisdiction: parties.jurisdiction,
    consentTimestamp: Math.floor(Date.parse(at) / 1000),
    collectionMethod: collectionMethod(record),
    consentReceiptID: record.id,
    language: subject.language,
    piiPrincipalId: subject.principalId,
    // Kantara lists a processor as a controller acting on another's behalf (onBehalf: true).
    piiControllers: [
      controllerEntry(parties.controller, false),
      ...(parties.processor ? [controllerEntry(parties.processor, true)] : []),
    ],
    policyUrl:
      record.kind === "grant" ? record.policyUrl : "https://septsoftware.com/privacy-policy",
    services: [
      {
        service: "SEPT Email Plugin (SEPT for Outlook)",
        purposes: purposes.map((p) => ({
          purpose: PURPOSE_TEXT[p].purpose,
          purposeCategory: ["Core function"],
          consentType: "EXPLICIT" as const,
          piiCategory: PURPOSE_TEXT[p].pii,
          primaryPurpose: p === "email_metadata",
          termination: TERMINATION,
          thirdPartyDisclosure: false,
        })),
      },
    ],
    sensitive: false,
    spiCat: [],
    "sept:policyVersion": record.policyVersion,
    "sept:recordKind": record.kind,
    ...(record.kind === "withdrawal" ? { "sept:grantId": record.grantId } : {}),
  };
}
