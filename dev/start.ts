// `npm start`: the whole local demo in one process, over HTTPS, with no prompt and no sudo.
// - the Graph fake on https://localhost:3001 (state in .demo-data/graph)
// - webpack-dev-server on https://localhost:3000 serving the task pane and the Outlook stand-in
import { join } from "node:path";
import webpack from "webpack";
import WebpackDevServer from "webpack-dev-server";
import webpackConfig from "../webpack.config.js";
import { readBuildConfig } from "../scripts/build-config.js";
import { contentSecurityPolicy, fakeConnectSources } from "../scripts/csp.js";
import { ensureDevCerts } from "./certs.js";
import { startGraphFake } from "./graph-fake/server.js";

const root = join(import.meta.dirname, "..");
const ADDIN_PORT = Number(process.env.SEPT_ADDIN_PORT ?? 3000);
const FAKE_PORT = Number(process.env.SEPT_FAKE_PORT ?? 3001);

async function main(): Promise<void> {
  process.env.ADDIN_BASE_URL ??= `https://localhost:${ADDIN_PORT}`;
  process.env.GRAPH_BASE_URL ??= `https://localhost:${FAKE_PORT}/v1.0`;
  const tls = await ensureDevCerts();
  const fake = await startGraphFake({
    port: FAKE_PORT,
    dataDir: join(root, ".demo-data", "graph"),
    tls,
    faults: process.env.SEPT_FAKE_FAULTS ? JSON.parse(process.env.SEPT_FAKE_FAULTS) : undefined,
  });

  const build = readBuildConfig(process.env, true);
  const csp = contentSecurityPolicy({
    connect: [...fakeConnectSources(build.graphBaseUrl), `wss://localhost:${ADDIN_PORT}`],
    scripts: [],
  });
  // webpack-dev-server's own "Project is running at https://localhost:3000/" banner is silenced:
  // the page to open is the stand-in, printed once below.
  const compiler = webpack({
    ...webpackConfig({ demo: true }, { mode: "development" }),
    infrastructureLogging: { level: "warn" },
  });
  const server = new WebpackDevServer(
    {
      port: ADDIN_PORT,
      host: "localhost",
      server: { type: "https", options: { key: tls.key, cert: tls.cert } },
      headers: { "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff" },
      hot: false,
      liveReload: true,
      client: { overlay: { errors: true, warnings: false }, logging: "warn" },
      static: false,
      devMiddleware: { stats: "errors-warnings" },
    },
    compiler,
  );
  await server.start();

  const standin = `https://localhost:${ADDIN_PORT}/outlook.html`;
  console.log(`
  SEPT for Outlook, local demo
    Outlook stand-in : ${standin}
    Task pane        : https://localhost:${ADDIN_PORT}/taskpane.html
    Graph fake       : ${fake.graphBaseUrl}  (state in .demo-data/graph)
    Certificate      : ${tls.source === "self-signed" ? "self-signed (.certs/localhost.crt): your browser will ask you to accept it for both ports" : "office-addin-dev-certs (trusted)"}

  Open ${standin} , pick a message, and click "Save to SEPT". Ctrl+C stops.
`);
  if (tls.source === "self-signed") {
    console.log(
      `  First time: open ${fake.url}/_fake/health once and accept the certificate too.\n` +
        `  To stop the prompts, trust .certs/localhost.crt (a local authority, renewed every 30 days)\n` +
        `  in your browser or system certificate store.\n`,
    );
  }

  const stop = async () => {
    await server.stop();
    await fake.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
