// The message list the pane uses to offer other messages, answered as Graph documents it
// (user-list-messages.md; concepts/search-query-parameter.md), and refused where Graph refuses.
import { beforeAll, describe, expect, it } from "vitest";
import type { OfficeItemView } from "../../../dev/graph-fake/types.js";
import { useTestFake } from "../../support/use-test-fake.js";

const t = useTestFake({ resetEachTest: false });
let views: OfficeItemView[];

beforeAll(() => {
  views = t.fake.mailbox();
});

type Listed = { id: string; conversationId?: string; receivedDateTime?: string };

async function list(query: Record<string, string>): Promise<Response> {
  return t.fetch(`/me/messages?${new URLSearchParams(query).toString()}`);
}

async function ids(query: Record<string, string>): Promise<Listed[]> {
  const res = await list(query);
  expect(res.status).toBe(200);
  return ((await res.json()) as { value: Listed[] }).value;
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

const steel = () => {
  const root = views.find((v) => v.subject.startsWith("Tower B - Structural steel"));
  if (!root) throw new Error("the steel thread is not seeded");
  return root;
};

describe("listing messages", () => {
  it("lists the messages of a conversation with $filter on conversationId", async () => {
    const root = steel();
    const found = await ids({
      $filter: `conversationId eq '${root.conversationId}'`,
      $select: "conversationId,subject",
    });
    const expected = views.filter((v) => v.conversationId === root.conversationId);
    expect(found.length).toBe(expected.length);
    expect(found.length).toBeGreaterThan(1);
    expect(found.every((m) => m.conversationId === root.conversationId)).toBe(true);
  });

  it("refuses $orderby on a property that is not first in $filter (InefficientFilter)", async () => {
    const res = await list({
      $filter: `conversationId eq '${steel().conversationId}'`,
      $orderby: "receivedDateTime desc",
    });
    expect(res.status).toBe(400);
    expect(await errorCode(res)).toBe("InefficientFilter");
  });

  it("takes the sender filter ordered by date when the date comes first in $filter", async () => {
    const sender = steel().from.address;
    const found = await ids({
      $filter: `receivedDateTime ge 2020-01-01T00:00:00Z and from/emailAddress/address eq '${sender.toUpperCase()}'`,
      $orderby: "receivedDateTime desc",
      $select: "receivedDateTime",
    });
    const expected = views.filter((v) => v.from.address === sender);
    expect(found.length).toBe(Math.min(expected.length, 10));
    const dates = found.map((m) => m.receivedDateTime ?? "");
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it("searches with $search, and refuses $search with $filter or $orderby", async () => {
    const found = await ids({ $search: '"steel delivery"' });
    expect(found.length).toBeGreaterThan(0);
    const withFilter = await list({ $search: '"steel"', $filter: "conversationId eq 'x'" });
    expect(withFilter.status).toBe(400);
    const withOrder = await list({ $search: '"steel"', $orderby: "receivedDateTime desc" });
    expect(withOrder.status).toBe(400);
  });

  it("refuses a $filter it does not know rather than guessing", async () => {
    const res = await list({ $filter: "contains(subject,'steel')" });
    expect(res.status).toBe(400);
  });

  it("needs Mail.Read: a token without it is refused", async () => {
    const { makeDevToken } = await import("../../../dev/graph-fake/auth.js");
    const token = makeDevToken({ scp: "User.Read Files.ReadWrite.AppFolder" });
    const res = await t.fetch("/me/messages?$top=1", { auth: token });
    expect(res.status).toBe(403);
  });
});
