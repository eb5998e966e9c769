// Azurite (Microsoft's storage emulator) for tests: started on free ports, in memory, without
// telemetry, and stopped again, like the Graph fake. Queue and table only are used.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";

/** Azurite's documented development account (public, the same in every installation). */
const ACCOUNT = "devstoreaccount1";
const KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface TestAzurite {
  /** For AzureWebJobsStorage. */
  connectionString: string;
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<TestAzurite> {
  const require = createRequire(import.meta.url);
  const bin = require.resolve("azurite/dist/src/azurite.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      "--inMemoryPersistence",
      "--skipApiVersionCheck",
      "--disableTelemetry",
      "--blobPort",
      "0",
      "--queuePort",
      "0",
      "--tablePort",
      "0",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const ports = await new Promise<{ queue: string; table: string }>((resolve, reject) => {
    let text = "";
    const found: Record<string, string> = {};
    const timer = setTimeout(() => reject(new Error(`Azurite did not start:\n${text}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      for (const m of text.matchAll(
        /Azurite (Queue|Table) service is successfully listening at http:\/\/127\.0\.0\.1:(\d+)/g,
      )) {
        found[m[1]!.toLowerCase()] = m[2]!;
      }
      if (found.queue && found.table) {
        clearTimeout(timer);
        resolve({ queue: found.queue, table: found.table });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${code}):\n${text}`));
    });
  });
  // Keep reading, so a full pipe never blocks the emulator.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    connectionString: [
      "DefaultEndpointsProtocol=http",
      `AccountName=${ACCOUNT}`,
      `AccountKey=${KEY}`,
      `QueueEndpoint=http://127.0.0.1:${ports.queue}/${ACCOUNT}`,
      `TableEndpoint=http://127.0.0.1:${ports.table}/${ACCOUNT}`,
    ].join(";"),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
