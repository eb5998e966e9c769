import { describe, expect, it } from "vitest";
import {
  emailDomain,
  suggestProject,
  type MessageForSuggestion,
  type Project,
  type SavedForSuggestion,
} from "../../../src/core/projects.js";

const project = (id: string, name: string, archived = false): Project => ({
  id,
  name,
  archived,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

const tower = project("tower", "Tower B");
const bridge = project("bridge", "Bridge");
const depot = project("depot", "Depot");
const projects = [tower, bridge, depot];

const SELF = "alex.martin@contoso-build.example";

function saved(projectId: string, extra: Partial<SavedForSuggestion> = {}): SavedForSuggestion {
  return { projectId, conversationId: null, fromAddress: null, toAddresses: [], ...extra };
}

function message(extra: Partial<MessageForSuggestion> = {}): MessageForSuggestion {
  return { conversationId: null, from: null, to: [], cc: [], ...extra };
}

describe("suggestProject", () => {
  it("suggests nothing without saves", () => {
    expect(suggestProject([], message({ conversationId: "c1", from: "a@x.com" }), projects)).toBe(
      null,
    );
  });

  it("first follows the conversation: the project with most saves from the same thread", () => {
    const history = [
      saved("tower", { conversationId: "c1" }),
      saved("bridge", { conversationId: "c1" }),
      saved("bridge", { conversationId: "c1" }),
      // More saves from the sender's domain elsewhere: the thread still wins.
      saved("depot", { fromAddress: "x@client.com" }),
      saved("depot", { fromAddress: "y@client.com" }),
      saved("depot", { fromAddress: "z@client.com" }),
    ];
    expect(
      suggestProject(history, message({ conversationId: "c1", from: "w@client.com" }), projects),
    ).toEqual({ projectId: "bridge", reason: "conversation", count: 2 });
  });

  it("else takes the project most saved from the sender's domain, case-insensitively", () => {
    const history = [
      saved("tower", { fromAddress: "anne@Client.com" }),
      saved("tower", { fromAddress: "Bob <bob@client.com>" }),
      saved("bridge", { fromAddress: "carl@client.com" }),
      saved("depot", { fromAddress: "dan@other.org", conversationId: "c9" }),
    ];
    expect(
      suggestProject(history, message({ conversationId: "c1", from: "eve@CLIENT.com" }), projects),
    ).toEqual({ projectId: "tower", reason: "sender_domain", count: 2 });
  });

  it("else takes the project most saved to the message's recipient domains (To and Cc)", () => {
    const history = [
      saved("depot", { toAddresses: ["p@supplier.net"] }),
      saved("bridge", { toAddresses: ["q@city.gov", "someone@else.org"] }),
      saved("bridge", { toAddresses: ["r@city.gov"] }),
      saved("bridge", { fromAddress: "s@unrelated.io" }),
    ];
    expect(
      suggestProject(
        history,
        message({ from: "me@nobody-saved-this.com", to: ["t@supplier.net"], cc: ["u@city.gov"] }),
        projects,
      ),
    ).toEqual({ projectId: "bridge", reason: "recipient_domain", count: 2 });
  });

  it("ignores the user's own domain as sender and as recipient", () => {
    const history = [
      saved("tower", { fromAddress: "colleague@contoso-build.example" }),
      saved("tower", { toAddresses: ["boss@contoso-build.example"] }),
      saved("bridge", { toAddresses: ["x@client.com"] }),
    ];
    const mail = message({
      from: "colleague2@contoso-build.example",
      to: [SELF],
      cc: ["x2@client.com", "boss@contoso-build.example"],
    });
    expect(suggestProject(history, mail, projects, SELF)).toEqual({
      projectId: "bridge",
      reason: "recipient_domain",
      count: 1,
    });
    // Without knowing who the user is, the colleague's domain counts like any other.
    expect(suggestProject(history, mail, projects)?.reason).toBe("sender_domain");
  });

  it("suggests nothing when only the user's own domain matches", () => {
    const history = [saved("tower", { fromAddress: "colleague@contoso-build.example" })];
    const mail = message({ from: "other@contoso-build.example", to: [SELF] });
    expect(suggestProject(history, mail, projects, SELF)).toBeNull();
  });

  it("never suggests an archived project, and falls to the next best", () => {
    const archivedTower = project("tower", "Tower B", true);
    const history = [
      saved("tower", { conversationId: "c1" }),
      saved("tower", { conversationId: "c1" }),
      saved("bridge", { conversationId: "c1" }),
    ];
    expect(
      suggestProject(history, message({ conversationId: "c1" }), [archivedTower, bridge, depot]),
    ).toEqual({ projectId: "bridge", reason: "conversation", count: 1 });
  });

  it("moves to the next rule when the only matches are archived or unknown projects", () => {
    const history = [
      saved("tower", { conversationId: "c1" }),
      saved("deleted-project", { conversationId: "c1" }),
      saved("depot", { fromAddress: "x@client.com" }),
    ];
    const catalogue = [project("tower", "Tower B", true), bridge, depot];
    expect(
      suggestProject(history, message({ conversationId: "c1", from: "y@client.com" }), catalogue),
    ).toEqual({ projectId: "depot", reason: "sender_domain", count: 1 });
  });

  it("breaks a tie in favour of the project saved to most recently", () => {
    const history = [
      saved("tower", { conversationId: "c1", savedAt: "2026-03-01T10:00:00.000Z" }),
      saved("bridge", { conversationId: "c1", savedAt: "2026-02-01T10:00:00.000Z" }),
      saved("bridge", { conversationId: "c2", savedAt: "2026-04-01T10:00:00.000Z" }),
    ];
    expect(suggestProject(history, message({ conversationId: "c1" }), projects)?.projectId).toBe(
      "tower",
    );
  });

  it("breaks a tie without dates by project name, whatever the order of the saves", () => {
    const history = [
      saved("tower", { conversationId: "c1" }),
      saved("depot", { conversationId: "c1" }),
      saved("bridge", { conversationId: "c1" }),
    ];
    for (const order of [history, [...history].reverse()]) {
      expect(suggestProject(order, message({ conversationId: "c1" }), projects)).toEqual({
        projectId: "bridge",
        reason: "conversation",
        count: 1,
      });
    }
  });
});

describe("emailDomain", () => {
  it("reads the lower-cased domain of plain and display-name addresses", () => {
    expect(emailDomain("Anne@Client.COM")).toBe("client.com");
    expect(emailDomain("Anne Client <anne@client.com>")).toBe("client.com");
    expect(emailDomain("anne@client.com.")).toBe("client.com");
  });

  it("answers null for what is not an address", () => {
    expect(emailDomain(null)).toBeNull();
    expect(emailDomain("")).toBeNull();
    expect(emailDomain("undisclosed-recipients")).toBeNull();
  });
});
