import { describe, expect, it } from "vitest";
import {
  onItemChanged,
  readCurrentItem,
  toRestId,
  hostInfo,
} from "../../../src/adapters/office/mailbox.js";
import { createFakeOffice, sampleItem } from "../../support/fake-office.js";

describe("readCurrentItem", () => {
  it("parses a read-mode message into the domain type", () => {
    const { runtime } = createFakeOffice({ item: sampleItem() });
    const current = readCurrentItem(runtime);
    expect(current.status).toBe("message");
    if (current.status !== "message") return;
    expect(current.message.subject).toBe("RFI-014: Level 4 slab penetrations");
    expect(current.message.from).toEqual({
      name: "Priya Shah",
      address: "priya.shah@fabrikam-arch.example",
    });
    expect(current.message.to).toHaveLength(1);
    expect(current.message.date).toBe("2026-10-14T15:32:00.000Z");
    expect(current.message.attachments[0]?.name).toBe("RFI-014.pdf");
  });

  it("reports no item when nothing is selected", () => {
    const { runtime } = createFakeOffice({ item: null });
    expect(readCurrentItem(runtime)).toEqual({ status: "none" });
  });

  it("reports compose mode for a draft, whose subject is an object and which has no id", () => {
    const { runtime } = createFakeOffice({
      item: { subject: { getAsync: () => undefined }, itemId: undefined },
    });
    expect(readCurrentItem(runtime)).toEqual({ status: "compose" });
  });

  it("drops malformed recipients instead of crashing on them", () => {
    const { runtime } = createFakeOffice({
      item: sampleItem({
        to: [null, { displayName: 3 }, { emailAddress: "a@b.example" }],
        from: undefined,
      }),
    });
    const current = readCurrentItem(runtime);
    if (current.status !== "message") throw new Error("expected a message");
    expect(current.message.to).toEqual([{ name: "", address: "a@b.example" }]);
    expect(current.message.from).toBeNull();
  });
});

describe("onItemChanged", () => {
  it("delivers the newly selected message and stops after removal", async () => {
    const fake = createFakeOffice({ item: sampleItem() });
    const seen: string[] = [];
    const off = await onItemChanged(fake.runtime, (item) =>
      seen.push(item.status === "message" ? item.message.subject : item.status),
    );
    fake.selectItem(sampleItem({ subject: "Steel delivery schedule" }));
    fake.selectItem(null);
    await off();
    fake.selectItem(sampleItem({ subject: "after removal" }));
    expect(seen).toEqual(["Steel delivery schedule", "none"]);
  });

  it("registers nothing on a host without pinning (Mailbox < 1.5)", async () => {
    const fake = createFakeOffice({ item: sampleItem(), requirements: { Mailbox: "1.3" } });
    await onItemChanged(fake.runtime, () => undefined);
    expect(fake.handlerCount()).toBe(0);
  });
});

describe("ids and host", () => {
  it("converts an EWS id to a REST id through the runtime", () => {
    const { runtime } = createFakeOffice();
    expect(toRestId(runtime, "AAMk/abc+def=")).toBe("AAMk-abc_def=");
  });

  it("reads host and platform from Office diagnostics", () => {
    const { runtime } = createFakeOffice();
    expect(hostInfo(runtime)).toEqual({
      host: "Outlook",
      platform: "OfficeOnline",
      version: "16.0",
    });
  });
});
