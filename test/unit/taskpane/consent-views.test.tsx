import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "../../../src/taskpane/app.js";
import { createFakeOffice, sampleItem } from "../../support/fake-office.js";
import { memoryPaneServices } from "../../support/pane-services.js";

function renderPane(services = memoryPaneServices(), language: "en" | "fr" = "en") {
  const { runtime } = createFakeOffice({ item: sampleItem() });
  render(<App runtime={runtime} services={services.services} language={language} theme="light" />);
  return services;
}

const storedUnder = (s: ReturnType<typeof memoryPaneServices>, folder: string) =>
  [...s.storage.files.keys()].filter((p) => p.startsWith(`${folder}/`));

describe("the consent view", () => {
  it("comes first, with both choices unticked and Allow disabled", async () => {
    renderPane();
    await screen.findByTestId("consent-view");
    const [metadata, content] = screen.getAllByRole("checkbox");
    expect((metadata as HTMLInputElement).checked).toBe(false);
    expect((content as HTMLInputElement).checked).toBe(false);
    expect((content as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByTestId("consent-allow") as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByTestId("message-card")).toBeNull();
    expect(screen.getByTestId("policy-link").getAttribute("href")).toBe(
      "https://septsoftware.com/privacy-policy",
    );
  });

  it("records a metadata-only grant and a consent event, then shows the message", async () => {
    const user = userEvent.setup();
    const s = renderPane();
    await user.click(await screen.findByLabelText("Email details (metadata)"));
    expect((screen.getByTestId("consent-allow") as HTMLInputElement).disabled).toBe(false);
    await user.click(screen.getByTestId("consent-allow"));
    await screen.findByTestId("message-card");
    // "Allow" is gone: focus moves to the message that took its place, not to the page.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("message-subject")));
    const [grant] = await s.consent.refresh().then(() => s.consent.history());
    expect(grant).toMatchObject({
      kind: "grant",
      purposes: ["email_metadata"],
      policyVersion: "2024-02-14",
    });
    // The grant shows once its record is written; its event follows the record (with retry).
    const events = await vi.waitFor(async () => {
      const listed = await s.activity.list();
      expect(listed.map((e) => e.kind)).toEqual(["consent_granted"]);
      return listed;
    });
    expect(events[0]?.refs.consentRecordId).toBe(grant?.id);
  });

  it("lets content be chosen only with metadata, and unticks it when metadata is unticked", async () => {
    const user = userEvent.setup();
    renderPane();
    const metadata = await screen.findByLabelText("Email details (metadata)");
    const content = screen.getByLabelText("Email content");
    await user.click(metadata);
    await user.click(content);
    expect((content as HTMLInputElement).checked).toBe(true);
    await user.click(metadata);
    expect((content as HTMLInputElement).checked).toBe(false);
    expect((content as HTMLInputElement).disabled).toBe(true);
  });

  it("stores nothing on Not now, and keeps the policy readable", async () => {
    const user = userEvent.setup();
    const s = renderPane();
    await user.click(await screen.findByTestId("consent-not-now"));
    expect(await screen.findByTestId("consent-declined")).toBeTruthy();
    expect(s.storage.writes).toEqual([]);
    expect(screen.getByRole("link", { name: /privacy policy/i })).toBeTruthy();
    await user.click(screen.getByTestId("consent-review"));
    expect(await screen.findByTestId("consent-view")).toBeTruthy();
  });

  it("asks again under a new policy version and shows what changed", async () => {
    const earlier = memoryPaneServices("2024-02-14");
    await earlier.consent.grant(["email_metadata", "email_content"]);
    const later = memoryPaneServices("2026-12-01");
    for (const [path, bytes] of earlier.storage.files) await later.storage.write(path, bytes);
    renderPane(later);
    expect(await screen.findByTestId("consent-outdated")).toBeTruthy();
    expect(screen.getByTestId("policy-changes").textContent).toContain(
      "Email content is now optional.",
    );
    expect((screen.getByTestId("consent-allow") as HTMLInputElement).disabled).toBe(true);
  });

  it("is in French when Outlook is", async () => {
    renderPane(memoryPaneServices(), "fr");
    expect(await screen.findByText("Avant que SEPT n’enregistre quoi que ce soit")).toBeTruthy();
    expect(screen.getByLabelText("Détails des courriels (métadonnées)")).toBeTruthy();
    expect(screen.getByTestId("consent-allow").textContent).toBe("Autoriser");
  });
});

describe("the privacy view", () => {
  it("withdraws in one confirmed step, says what happens, clears sign-in and brings consent back", async () => {
    const user = userEvent.setup();
    const s = memoryPaneServices();
    await s.consent.grant(["email_metadata"]);
    renderPane(s);
    await screen.findByTestId("message-card");
    await user.click(screen.getByTestId("tab-privacy"));
    expect((await screen.findByTestId("privacy-current")).textContent).toMatch(/email details/);
    await user.click(screen.getByTestId("privacy-withdraw"));
    const dialog = await screen.findByTestId("withdraw-dialog");
    expect(dialog.textContent).toMatch(/Saving stops at once/);
    expect(dialog.textContent).toMatch(/retention period/);
    expect(dialog.textContent).toMatch(/My Apps/);
    await user.click(screen.getByTestId("withdraw-confirm"));
    expect(await screen.findByTestId("withdraw-done")).toBeTruthy();
    expect(s.consent.current().status).toBe("withdrawn");
    expect(s.auth.cleared).toBe(1);
    expect((await s.activity.list()).map((e) => e.kind)).toContain("consent_withdrawn");
    expect(storedUnder(s, "consent")).toHaveLength(2);
    await user.click(screen.getByTestId("tab-message"));
    expect(await screen.findByTestId("consent-withdrawn")).toBeTruthy();
  });

  it("lists grants and withdrawals, newest first, each with a receipt", async () => {
    const user = userEvent.setup();
    const s = memoryPaneServices();
    await s.consent.grant(["email_metadata", "email_content"]);
    await s.consent.withdraw();
    renderPane(s);
    await user.click(await screen.findByTestId("tab-privacy"));
    const entries = await screen.findAllByTestId("consent-history-entry");
    expect(entries.map((e) => e.textContent)).toEqual([
      expect.stringMatching(/^Withdrawn/),
      expect.stringMatching(/^Allowed email details \+ email content/),
    ]);
    expect(screen.getAllByTestId("receipt-download")).toHaveLength(2);
  });

  it("can also delete every stored email when withdrawing", async () => {
    const user = userEvent.setup();
    const s = memoryPaneServices();
    await s.consent.grant(["email_metadata", "email_content"]);
    await s.storage.writeJson("emails/abc.json", { savedId: "abc" });
    await s.storage.write("emails/abc.eml", new Uint8Array([1, 2, 3]));
    renderPane(s);
    await user.click(await screen.findByTestId("tab-privacy"));
    await user.click(await screen.findByTestId("privacy-withdraw"));
    await user.click(await screen.findByLabelText(/Also delete every email I saved/));
    await user.click(screen.getByTestId("withdraw-confirm"));
    await waitFor(() =>
      expect(screen.getByTestId("withdraw-done").textContent).toMatch(/1 saved email/),
    );
    expect(storedUnder(s, "emails")).toEqual([]);
    const kinds = (await s.activity.list()).map((e) => e.kind);
    expect(kinds.filter((k) => k === "email_deleted")).toHaveLength(1);
  });
});
