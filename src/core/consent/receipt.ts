import type { ConsentRecord, Purpose } from "./consent.js";

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

const TERMINATION =
  "Withdraw at any time in the SEPT for Outlook task pane (Privacy), or by writing to privacy@septsoftware.com.";

export function consentReceipt(
  record: ConsentRecord,
  subject: { principalId: string; language: string },
): ConsentReceipt {
  const at = record.kind === "grant" ? record.grantedAt : record.withdrawnAt;
  const purposes: Purpose[] = record.kind === "grant" ? record.purposes : [];
  const c = record.collection;
  return {
    version: "KI-CR-v1.1.0",
    jurisdiction: "CA-AB",
    consentTimestamp: Math.floor(Date.parse(at) / 1000),
    collectionMethod: `${record.kind === "grant" ? "Explicit opt-in" : "Withdrawal"} in the SEPT for Outlook task pane (add-in ${c.addinVersion}; ${c.host} ${c.platform} ${c.hostVersion})`,
    consentReceiptID: record.id,
    language: subject.language,
    piiPrincipalId: subject.principalId,
    piiControllers: [
      {
        piiController: "SEPT Software Inc.",
        onBehalf: false,
        contact: "Privacy Office",
        address: { addressLocality: "Calgary", addressRegion: "Alberta", addressCountry: "CA" },
        email: "privacy@septsoftware.com",
        piiControllerUrl: "https://septsoftware.com",
      },
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
