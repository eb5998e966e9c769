// @vitest-environment node
// package.json "engines" must be honest: every locked package that declares the Node versions it
// supports accepts every Node line we claim, so `npm ci` prints no EBADENGINE warning there.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../scripts/validate-manifest.js";

// semver is the range logic npm itself uses. It is not a direct dependency: it is resolved from
// the installed tree (hoisted from eslint, babel and others), so fail clearly if it ever is not.
interface Comparator {
  value: string;
}
interface Semver {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  Range: new (range: string) => { set: Comparator[][] };
}

function loadSemver(): Semver {
  try {
    return createRequire(join(REPO_ROOT, "package.json"))("semver") as Semver;
  } catch (error) {
    throw new Error(`the semver package is not resolvable from ${REPO_ROOT}: ${String(error)}`);
  }
}

interface LockedPackage {
  version?: string;
  engines?: unknown;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(join(REPO_ROOT, file), "utf8")) as T;
}

/** engines.node when declared the way npm checks it (an object with a string `node`). */
function nodeRange(engines: unknown): string | undefined {
  if (typeof engines !== "object" || engines === null || Array.isArray(engines)) return undefined;
  const node = (engines as { node?: unknown }).node;
  return typeof node === "string" ? node : undefined;
}

/** The lowest version of each alternative of a range: "^20.19.0 || >=22.13" gives 20.19.0, 22.13.0. */
function lowestOfEachLine(semver: Semver, range: string): string[] {
  return new semver.Range(range).set.map((comparators) => {
    const branch = comparators.map((c) => c.value).join(" ");
    const lowest = semver.minVersion(branch);
    if (!lowest) throw new Error(`"${branch}" admits no version`);
    return lowest.version;
  });
}

const semver = loadSemver();
const ourRange = readJson<{ engines: { node: string } }>("package.json").engines.node;
const lock = readJson<{ packages: Record<string, LockedPackage> }>("package-lock.json");

describe("Node versions (package.json engines)", () => {
  it("claims Node 20.19 and 22 and the lock file agrees", () => {
    expect(semver.satisfies("20.19.0", ourRange)).toBe(true);
    expect(lowestOfEachLine(semver, ourRange).some((v) => v.startsWith("22."))).toBe(true);
    expect(nodeRange(lock.packages[""]?.engines)).toBe(ourRange);
  });

  it("is accepted by every locked package that declares engines.node", () => {
    const versions = [...lowestOfEachLine(semver, ourRange), process.versions.node];
    const declared = Object.entries(lock.packages).filter(
      ([path, pkg]) => path !== "" && nodeRange(pkg.engines) !== undefined,
    );
    expect(declared.length).toBeGreaterThan(100); // the lock file really was read
    const refusals = declared.flatMap(([path, pkg]) => {
      const range = nodeRange(pkg.engines) ?? "";
      return versions
        .filter((version) => !semver.satisfies(version, range))
        .map((version) => `${path}@${pkg.version ?? "?"} (node ${range}) refuses Node ${version}`);
    });
    expect(refusals).toEqual([]);
  });

  it("tells users the same in the README", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    for (const version of lowestOfEachLine(semver, ourRange)) {
      expect(readme).toContain(version.replace(/(\.0)+$/, ""));
    }
  });
});
