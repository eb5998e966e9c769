// The demo, built for production and served statically beside a Graph fake: what end-to-end tests
// and the bench run against. Ports are picked free first, because the build bakes them in.
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import webpack from "webpack";
import webpackConfig from "../webpack.config.js";
import { contentSecurityPolicy, fakeConnectSources } from "../scripts/csp.js";
import { generateLocalhostCert, type TlsMaterial } from "./certs.js";
import { startGraphFake, type GraphFake } from "./graph-fake/server.js";
import { startStaticServer } from "./static-server.js";

export interface DemoStack {
  addinUrl: string;
  fake: GraphFake;
  tls: TlsMaterial;
  outputDir: string;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "localhost", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A production webpack build, of the demo or of the add-in itself, with extra environment. */
export async function buildAddin(options: {
  demo: boolean;
  outputDir: string;
  env?: Record<string, string>;
}): Promise<void> {
  const saved = { ...process.env };
  Object.assign(process.env, options.env ?? {});
  try {
    const compiler = webpack(
      webpackConfig({ demo: options.demo, outputDir: options.outputDir }, { mode: "production" }),
    );
    await new Promise<void>((resolve, reject) =>
      compiler.run((error, stats) => {
        compiler.close(() => undefined);
        if (error) reject(error);
        else if (stats?.hasErrors()) reject(new Error(stats.toString("errors-only")));
        else resolve();
      }),
    );
  } finally {
    process.env = saved;
  }
}

export async function startDemoStack(
  options: { outputDir?: string; dataDir?: string } = {},
): Promise<DemoStack> {
  const [addinPort, fakePort] = [await freePort(), await freePort()];
  const addinUrl = `https://localhost:${addinPort}`;
  const graphBaseUrl = `https://localhost:${fakePort}/v1.0`;
  const outputDir = options.outputDir ?? mkdtempSync(join(tmpdir(), "sept-demo-build-"));
  await buildAddin({
    demo: true,
    outputDir,
    env: { ADDIN_BASE_URL: addinUrl, GRAPH_BASE_URL: graphBaseUrl },
  });
  const tls = await generateLocalhostCert();
  const fake = await startGraphFake({
    port: fakePort,
    dataDir: options.dataDir ?? mkdtempSync(join(tmpdir(), "sept-demo-data-")),
    tls,
  });
  const csp = contentSecurityPolicy({ connect: fakeConnectSources(graphBaseUrl), scripts: [] });
  const site = await startStaticServer({ root: outputDir, port: addinPort, tls, csp });
  return {
    addinUrl,
    fake,
    tls,
    outputDir,
    async close() {
      await site.close();
      await fake.close();
    },
  };
}
