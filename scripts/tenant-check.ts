// `npm run tenant-check -- --client-id <id> --tenant <tenant>`: the first thing to run after
// deploying SEPT for Outlook (docs/admin/tenant-check.md). It signs in with a device code as a
// user of the tenant, probes in that user's own app folder and mailbox each Microsoft Graph
// behaviour the add-in relies on, removes what it wrote, and prints a table of what passed and
// what to fix. Exit code 1 when a check failed, 2 on a usage error.
import { parseArgs } from "node:util";
import { runProbes, type ProbeResult } from "./tenant-check/probes.js";
import { exitCodeOf, renderTable } from "./tenant-check/report.js";
import { DEFAULT_AUTHORITY_HOST, signInWithDeviceCode } from "./tenant-check/sign-in.js";

export const DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";

const USAGE = `Usage: npm run tenant-check -- --client-id <application id> --tenant <tenant id or domain>
          [--graph-base-url ${DEFAULT_GRAPH_BASE_URL}] [--authority ${DEFAULT_AUTHORITY_HOST}]`;

export interface TenantCheckArgs {
  clientId: string;
  tenant: string;
  graphBaseUrl: string;
  authority: string;
}

export function parseTenantCheckArgs(argv: string[]): TenantCheckArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      "client-id": { type: "string" },
      tenant: { type: "string" },
      "graph-base-url": { type: "string" },
      authority: { type: "string" },
    },
    strict: true,
  });
  if (!values["client-id"] || !values.tenant) throw new Error(USAGE);
  return {
    clientId: values["client-id"],
    tenant: values.tenant,
    graphBaseUrl: values["graph-base-url"] ?? DEFAULT_GRAPH_BASE_URL,
    authority: values.authority ?? DEFAULT_AUTHORITY_HOST,
  };
}

/** Signs in, probes, prints the table; returns the results and the exit code. */
export async function tenantCheck(
  args: TenantCheckArgs,
  print: (text: string) => void = (t) => console.log(t),
): Promise<{ exitCode: number; results: ProbeResult[] }> {
  const signedIn = await signInWithDeviceCode({
    clientId: args.clientId,
    tenant: args.tenant,
    authority: args.authority,
    onDeviceCode: (message) => print(message),
  });
  print(`Signed in as ${signedIn.username || "(unknown user)"}. Checking…\n`);
  const results = await runProbes({
    graphBaseUrl: args.graphBaseUrl,
    accessToken: signedIn.accessToken,
    grantedScopes: signedIn.scopes,
  });
  print(renderTable(results));
  return { exitCode: exitCodeOf(results), results };
}

const invokedDirectly = process.argv[1]?.replace(/\\/g, "/").endsWith("scripts/tenant-check.ts");
if (invokedDirectly) {
  let args: TenantCheckArgs;
  try {
    args = parseTenantCheckArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  tenantCheck(args).then(
    ({ exitCode }) => process.exit(exitCode),
    (error: unknown) => {
      console.error(
        `The tenant check could not run: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
