import { act, render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { App } from "../../../src/taskpane/app.js";
import { createFakeOffice, sampleItem } from "../../support/fake-office.js";

describe("task pane shell", () => {
  it("shows the current message's subject, sender and date", () => {
    const { runtime } = createFakeOffice({ item: sampleItem() });
    render(<App runtime={runtime} language="en" theme="light" />);
    expect(screen.getByTestId("message-subject").textContent).toBe(
      "RFI-014: Level 4 slab penetrations",
    );
    expect(screen.getByTestId("message-from").textContent).toBe(
      "Priya Shah <priya.shah@fabrikam-arch.example>",
    );
    expect(screen.getByTestId("message-date").querySelector("time")?.getAttribute("dateTime")).toBe(
      "2026-10-14T15:32:00.000Z",
    );
    expect(screen.getByTestId("message-attachments").textContent).toBe("1 attachment(s)");
  });

  it("follows ItemChanged when the user selects another message in a pinned pane", async () => {
    const fake = createFakeOffice({ item: sampleItem() });
    render(<App runtime={fake.runtime} language="en" theme="light" />);
    await act(async () => {
      await Promise.resolve();
    });
    act(() => fake.selectItem(sampleItem({ subject: "Steel delivery schedule, week 46" })));
    expect(screen.getByTestId("message-subject").textContent).toBe(
      "Steel delivery schedule, week 46",
    );
    act(() => fake.selectItem(null));
    expect(screen.getByTestId("message-empty").textContent).toMatch(/Select a message/);
  });

  it("speaks French when Office's display language is French", () => {
    const { runtime } = createFakeOffice({ item: sampleItem({ subject: "" }) });
    render(<App runtime={runtime} language="fr" theme="dark" />);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("SEPT pour Outlook");
    expect(screen.getByTestId("message-subject").textContent).toBe("(sans objet)");
    expect(screen.getByText("De")).toBeTruthy();
  });

  it("renders hostile subjects as text, never as markup", () => {
    const subject = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const { runtime } = createFakeOffice({ item: sampleItem({ subject }) });
    const { container } = render(<App runtime={runtime} language="en" theme="light" />);
    expect(screen.getByTestId("message-subject").textContent).toBe(subject);
    expect(container.querySelector("img, script")).toBeNull();
  });

  it("explains that drafts cannot be saved", () => {
    const { runtime } = createFakeOffice({ item: { subject: {}, itemId: undefined } });
    render(<App runtime={runtime} language="en" theme="light" />);
    expect(screen.getByTestId("message-empty").textContent).toMatch(/Drafts/);
  });
});
