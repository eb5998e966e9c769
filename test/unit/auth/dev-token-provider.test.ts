import { describe, expect, it } from "vitest";
import { createDevTokenProvider } from "../../../src/adapters/auth/dev-token-provider.js";

const user = { id: "u-1", username: "alex.martin@contoso-build.example", name: "Alex Martin" };

function claims(token: string) {
  expect(token.startsWith("dev.")).toBe(true);
  const json = Buffer.from(token.slice(4), "base64url").toString("utf8");
  return JSON.parse(json) as { sub: string; upn: string; scp: string; exp: number };
}

describe("development token provider", () => {
  it("mints a token naming the user and the requested scopes", async () => {
    const auth = createDevTokenProvider(user, { now: () => 1_800_000_000_000 });
    const token = await auth.getAccessToken(["Mail.Read", "User.Read"]);
    expect(claims(token)).toMatchObject({
      sub: "u-1",
      upn: user.username,
      scp: "Mail.Read User.Read",
      exp: 1_800_003_600,
    });
  });

  it("reuses a cached token until it nears expiry, and forgets it on clearCache", async () => {
    let now = 1_800_000_000_000;
    const auth = createDevTokenProvider(user, { now: () => now, lifetimeSeconds: 600 });
    const first = await auth.getAccessToken(["User.Read"]);
    now += 1000;
    expect(await auth.getAccessToken(["User.Read"])).toBe(first);
    now += 550_000;
    expect(await auth.getAccessToken(["User.Read"])).not.toBe(first);
    const third = await auth.getAccessToken(["User.Read"]);
    await auth.clearCache();
    now += 1000;
    expect(await auth.getAccessToken(["User.Read"])).not.toBe(third);
  });
});
