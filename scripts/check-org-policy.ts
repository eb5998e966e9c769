// `npx tsx scripts/check-org-policy.ts [org-policy.json]`: checks an organisation policy file
// the way the pane will, before an admin uploads it. Exits non-zero when the pane would fall
// back to its restrictive settings.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  defaultOrgPolicy,
  describeOrgPolicyProblem,
  validateOrgPolicy,
  type OrgPolicy,
} from "../src/core/org-policy.js";
import { readBuildConfig } from "./build-config.js";

export function checkOrgPolicyText(
  text: string,
  defaults: OrgPolicy,
): { policy: OrgPolicy | null; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { policy: null, problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  const { policy, problems } = validateOrgPolicy(parsed, defaults);
  return {
    policy: problems.length === 0 ? policy : null,
    problems: problems.map((p) => describeOrgPolicyProblem("en", p)),
  };
}

function isMain(): boolean {
  return (
    process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
  );
}

if (isMain()) {
  const path = process.argv[2] ?? "config/org-policy.example.json";
  const build = readBuildConfig(process.env);
  const { policy, problems } = checkOrgPolicyText(
    readFileSync(path, "utf8"),
    defaultOrgPolicy(build),
  );
  if (policy) {
    console.log(`${path}: valid. SEPT will run with:\n${JSON.stringify(policy, null, 2)}`);
  } else {
    console.log(
      `${path}: ${problems.length} problem(s); the pane would use its most restrictive settings:`,
    );
    for (const problem of problems) console.log(`  - ${problem}`);
    process.exitCode = 1;
  }
}
