// The admin guide promises what the code does: the documented CSP is the one scripts/csp.ts builds
// for production, the documented headers are the ones the servers send, and every link resolves.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "../../../dev/static-server.js";
import { contentSecurityPolicy, productionConnectSources } from "../../../scripts/csp.js";
import { REPO_ROOT } from "../../../scripts/validate-manifest.js";
import { GRAPH_SCOPES } from "../../../src/core/ports/auth.js";

const DOCS = join(REPO_ROOT, "docs/admin");
const read = (name: string) => readFileSync(join(DOCS, name), "utf8");

describe("the admin guide", () => {
  it("documents exactly the production Content-Security-Policy", () => {
    const csp = contentSecurityPolicy({
      connect: productionConnectSources("https://graph.microsoft.com/v1.0"),
    });
    expect(read("hosting.md")).toContain(`Content-Security-Policy: ${csp}`);
    expect(csp).toMatch(/frame-ancestors [^;]*https:\/\/outlook\.office\.com/);
  });

  it("documents every header the servers send, and warns against X-Frame-Options", () => {
    const hosting = read("hosting.md");
    for (const [name, value] of Object.entries(securityHeaders("x"))) {
      if (name === "Content-Security-Policy") continue;
      expect(hosting).toContain(`${name}: ${value}`);
    }
    expect(Object.keys(securityHeaders("x"))).not.toContain("X-Frame-Options");
    expect(hosting).toContain("Do not send `X-Frame-Options`");
  });

  it("names the redirect URIs and exactly the three Graph permissions", () => {
    const registration = read("app-registration.md");
    expect(registration).toContain("brk-multihub://<host>");
    expect(registration).toContain("<base>/auth.html");
    for (const scope of Object.values(GRAPH_SCOPES)) expect(registration).toContain(`\`${scope}\``);
    expect(registration).toContain("/adminconsent?client_id=");
  });

  it("has no broken relative links", () => {
    const broken: string[] = [];
    for (const file of readdirSync(DOCS).filter((f) => f.endsWith(".md"))) {
      for (const [, target] of read(file).matchAll(/\]\(([^)#\s]+\.md)(#[^)]*)?\)/g)) {
        if (
          target &&
          !/^https?:/.test(target) &&
          !existsSync(join(dirname(join(DOCS, file)), target))
        ) {
          broken.push(`${file} → ${target}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
