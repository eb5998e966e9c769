// Runs the Graph fake on its own:
//   tsx dev/graph-fake/main.ts [--port 3001] [--data .demo-data/graph] [--seed dev/sample-mailbox]
// Initial faults come from the SEPT_FAKE_FAULTS environment variable (a FaultConfig as JSON).
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ensureDevCerts } from "../certs.js";
import { makeDevToken } from "./auth.js";
import { startGraphFake } from "./server.js";
import type { FaultConfig } from "./types.js";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3001" },
    data: { type: "string", default: ".demo-data/graph" },
    seed: { type: "string" },
    "no-large": { type: "boolean", default: false },
  },
});

let faults: FaultConfig | undefined;
if (process.env.SEPT_FAKE_FAULTS) {
  try {
    faults = JSON.parse(process.env.SEPT_FAKE_FAULTS) as FaultConfig;
  } catch (err) {
    console.error(`SEPT_FAKE_FAULTS is not valid JSON: ${(err as Error).message}`);
    process.exit(2);
  }
}

const tls = await ensureDevCerts();
const fake = await startGraphFake({
  port: Number(values.port),
  dataDir: resolve(values.data),
  ...(values.seed ? { seedDir: resolve(values.seed) } : {}),
  seedLarge: !values["no-large"],
  tls,
  ...(faults ? { faults } : {}),
});

console.log(
  `Graph fake: ${fake.graphBaseUrl} (${fake.mailbox().length} messages, certs: ${tls.source})`,
);
console.log(`Admin:      ${fake.url}/_fake/health`);
console.log(`Dev token:  ${makeDevToken()}`);

const stop = () => {
  void fake.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
