import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "../../../src/taskpane/app.js";
import { createFakeOffice, sampleItem } from "../../support/fake-office.js";
import { memoryPaneServices } from "../../support/pane-services.js";

/** Services whose consent is already granted, so the shell shows the message. */
async function grantedServices() {
  const s = memoryPaneServices();
  await s.consent.grant(["email_metadata"]);
  return s.services;
}

const text = async (testId: string) => (await screen.findByTestId(testId)).textContent;

describe("task pane shell", () => {
  it("shows the current message's subject, sender and date", async () => {
    const { runtime } = createFakeOffice({ item: sampleItem() });
    render(
      <App runtime={runtime} services={await grantedServices()} language="en" theme="light" />,
    );
    expect(await text("message-subject")).toBe("RFI-014: Level 4 slab penetrations");
    expect(await text("message-from")).toBe("Priya Shah <priya.shah@fabrikam-arch.example>");
    const date = await screen.findByTestId("message-date");
    expect(date.querySelector("time")?.getAttribute("dateTime")).toBe("2026-10-14T15:32:00.000Z");
    expect(await text("message-attachments")).toBe("1 attachment");
  });

  it("follows ItemChanged when the user selects another message in a pinned pane", async () => {
    const fake = createFakeOffice({ item: sampleItem() });
    render(
      <App runtime={fake.runtime} services={await grantedServices()} language="en" theme="light" />,
    );
    await screen.findByTestId("message-subject");
    act(() => fake.selectItem(sampleItem({ subject: "Steel delivery schedule, week 46" })));
    expect(await text("message-subject")).toBe("Steel delivery schedule, week 46");
    act(() => fake.selectItem(null));
    expect(await text("message-empty")).toMatch(/Select a message/);
  });

  it("speaks French when Office's display language is French", async () => {
    const { runtime } = createFakeOffice({ item: sampleItem({ subject: "" }) });
    render(<App runtime={runtime} services={await grantedServices()} language="fr" theme="dark" />);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("SEPT pour Outlook");
    expect(await text("message-subject")).toBe("(sans objet)");
    expect(screen.getByText("De")).toBeTruthy();
  });

  it("renders hostile subjects as text, never as markup", async () => {
    const subject = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const { runtime } = createFakeOffice({ item: sampleItem({ subject }) });
    const { container } = render(
      <App runtime={runtime} services={await grantedServices()} language="en" theme="light" />,
    );
    expect(await text("message-subject")).toBe(subject);
    expect(container.querySelector("img, script")).toBeNull();
  });

  it("explains that drafts cannot be saved", async () => {
    const { runtime } = createFakeOffice({ item: { subject: {}, itemId: undefined } });
    render(
      <App runtime={runtime} services={await grantedServices()} language="en" theme="light" />,
    );
    expect(await text("message-empty")).toMatch(/Drafts/);
  });
});
