import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { privacyOfficeWithdrawal } from "../../../src/core/consent/consent.js";
import { currentPolicy } from "../../../src/core/consent/policy.js";
import { SeptError } from "../../../src/core/errors.js";
import { defaultOrgPolicy, restrictiveOrgPolicy } from "../../../src/core/org-policy.js";
import type { ConsentLedgerPort } from "../../../src/core/ports/consent-ledger.js";
import { createStorageActivityLog } from "../../../src/services/storage/activity-log.js";
import { createStorageConsentLedger } from "../../../src/services/storage/consent-ledger.js";
import { ConsentService } from "../../../src/services/consent/consent-service.js";
import type { LoadedOrgPolicy } from "../../../src/services/consent/org-policy.js";
import { ConsentForm } from "../../../src/taskpane/features/consent/consent-form.js";
import { I18nProvider } from "../../../src/taskpane/shared/i18n.js";
import { createMemoryStorage } from "../../support/memory-storage.js";
import { fakeAuth } from "../../support/pane-services.js";
import { testCollection } from "../../support/consent-collection.js";

const V1 = "2024-02-14";
const DEFAULTS = defaultOrgPolicy({
  privacyPolicyUrl: "https://septsoftware.com/privacy-policy",
  privacyPolicyVersion: V1,
});
const metadataOnly: LoadedOrgPolicy = {
  policy: restrictiveOrgPolicy(DEFAULTS),
  problems: [],
  issues: [],
  source: "defaults",
  fallback: "missing",
};

function service(options: { org?: LoadedOrgPolicy; ledger?: ConsentLedgerPort } = {}) {
  const storage = createMemoryStorage();
  const ledger = options.ledger ?? createStorageConsentLedger(storage);
  const consent = new ConsentService({
    ledger,
    activity: createStorageActivityLog(storage),
    auth: fakeAuth(),
    policy: currentPolicy(V1, "https://septsoftware.com/privacy-policy"),
    retryDelayMs: () => null,
    ...(options.org ? { org: options.org } : {}),
    collection: () => testCollection(),
  });
  return { consent, storage, ledger };
}

function show(consent: ConsentService, language: "en" | "fr" = "en") {
  return render(
    <I18nProvider language={language}>
      <ConsentForm
        state={consent.current()}
        policy={consent.policy}
        consent={consent}
        onAllow={async (p) => {
          await consent.grant(p);
        }}
        onNotNow={() => undefined}
      />
    </I18nProvider>,
  );
}

describe("the consent form", () => {
  it("does not offer email content where the organisation forbids it", () => {
    const { consent } = service({ org: metadataOnly });
    show(consent);
    expect(screen.queryByTestId("consent-content")).toBeNull();
    expect(screen.getByTestId("consent-content-forbidden").textContent).toMatch(
      /email details only/,
    );
  });

  it("says a withdrawal is not recorded yet, why, and retries it", async () => {
    let refuse = true;
    const real = createStorageConsentLedger(createMemoryStorage());
    const { consent: flaky } = service({
      ledger: {
        list: real.list,
        append: async (record) => {
          if (refuse && record.kind === "withdrawal") throw new SeptError("quota_full");
          return real.append(record);
        },
      },
    });
    await flaky.grant(["email_metadata"]);
    await flaky.withdraw().catch(() => undefined);
    expect(flaky.current().status).toBe("withdrawing");
    show(flaky);
    const notice = screen.getByTestId("consent-withdrawing");
    expect(notice.textContent).toMatch(/not recorded yet/);
    expect(notice.textContent).toMatch(/storage is full|full/i);
    refuse = false;
    await userEvent.click(screen.getByTestId("consent-withdrawing-retry"));
    expect(flaky.current().status).toBe("withdrawn");
  });

  it("says when the privacy office recorded the withdrawal (in French too)", async () => {
    const { consent, ledger } = service();
    await consent.grant(["email_metadata"]);
    await ledger.append(
      privacyOfficeWithdrawal({
        id: "po-1",
        at: new Date().toISOString(),
        requestedAt: "2026-11-30T15:00:00Z",
        recordedBy: "privacy@septsoftware.com",
        policyVersion: V1,
      }),
    );
    await consent.refresh();
    const { unmount } = show(consent);
    expect(screen.getByTestId("consent-withdrawn").textContent).toMatch(/privacy office/);
    unmount();
    show(consent, "fr");
    expect(screen.getByTestId("consent-withdrawn").textContent).toMatch(/bureau de la protection/);
  });
});
