// App-only sign-in through MSAL for Node's confidential client against the local token stand-in:
// the secret and the certificate flows, refusals, and MSAL's own token cache.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppTokenProvider } from "../../../src/adapters/auth/app-token-provider.js";
import { SeptError } from "../../../src/core/errors.js";
import { certificateFromPem } from "../../../src/tenant/config.js";
import { testCertificate, trustCertificateGlobally } from "../../support/graph-fake.js";
import { startTokenEndpoint, type TokenEndpoint } from "../../support/token-endpoint.js";

const TENANT = "7d3c1f6e-2b1a-4c8e-9f0d-5a6b7c8d9e0f";
const CLIENT = "6f1c3a52-5e0b-4c39-9d8e-2b7a1f0c9e41";
let endpoint: TokenEndpoint;
let pem: string;
let minted = 0;

beforeAll(async () => {
  const tls = await testCertificate();
  trustCertificateGlobally(tls.ca);
  // The test certificate doubles as the app's credential: key and certificate in one PEM.
  pem = `${tls.key}\n${tls.cert}`;
  endpoint = await startTokenEndpoint({
    tls,
    tenantId: TENANT,
    apps: [{ clientId: CLIENT, secret: "s3cret-value", certificatePem: tls.cert }],
    mint: () => `app-token-${++minted}`,
  });
});
afterAll(() => endpoint.close());

describe("app-only sign-in (MSAL for Node, client credentials)", () => {
  it("gets a token with a client secret, and MSAL serves the second call from its cache", async () => {
    const auth = createAppTokenProvider({
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: "s3cret-value",
      authorityHost: endpoint.authorityHost,
    });
    const before = endpoint.issued();
    const first = await auth.getAccessToken(["Files.ReadWrite.AppFolder"]);
    const second = await auth.getAccessToken(["Files.ReadWrite.AppFolder"]);
    expect(first).toMatch(/^app-token-\d+$/);
    expect(second).toBe(first);
    expect(endpoint.issued() - before).toBe(1);
    // Graph refused the token (401): a new one, not the cached one.
    const forced = await auth.getAccessToken([], { forceRefresh: true });
    expect(forced).not.toBe(first);
    expect(endpoint.issued() - before).toBe(2);
  });

  it("gets a token with a certificate: the assertion is signed with its key", async () => {
    const auth = createAppTokenProvider({
      tenantId: TENANT,
      clientId: CLIENT,
      certificate: certificateFromPem(pem),
      authorityHost: endpoint.authorityHost,
    });
    const refusedBefore = endpoint.refusals().length;
    await expect(auth.getAccessToken([])).resolves.toMatch(/^app-token-/);
    expect(endpoint.refusals().length).toBe(refusedBefore);
  });

  it("reports a wrong secret as a sign-in failure, not worth retrying", async () => {
    const auth = createAppTokenProvider({
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: "wrong",
      authorityHost: endpoint.authorityHost,
    });
    const error = await auth.getAccessToken([]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeptError);
    expect(error).toMatchObject({ code: "auth_required", retryable: false });
    expect(endpoint.refusals()).toContain("AADSTS7000215");
  });

  it("refuses configurations that cannot work before any request", () => {
    expect(() =>
      createAppTokenProvider({ tenantId: "common", clientId: CLIENT, clientSecret: "x" }),
    ).toThrow(/tenant/);
    expect(() => createAppTokenProvider({ tenantId: TENANT, clientId: CLIENT })).toThrow(
      /exactly one credential/,
    );
  });
});
