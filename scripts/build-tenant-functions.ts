// Builds the tenant job's Azure Functions app into dist-tenant/: one bundled ES module (the app's
// own code and its libraries, except @azure/functions, which the host's worker must load itself),
// host.json, and a package.json whose "main" the Functions host reads. Deploy the folder as it is
// (see docs/admin/tenant-job.md). `npm run build:tenant`.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const out = join(root, "dist-tenant");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: {
    index: join(root, "src/tenant/functions/index.ts"),
    cli: join(root, "src/tenant/cli.ts"),
  },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  outdir: out,
  outExtension: { ".js": ".mjs" },
  splitting: true,
  external: ["@azure/functions"],
  // Some bundled CommonJS libraries call require(): give the ES module one.
  banner: {
    js: 'import { createRequire as __sept_cr } from "node:module"; const require = __sept_cr(import.meta.url);',
  },
  legalComments: "linked",
  logLevel: "warning",
});
copyFileSync(join(root, "src/tenant/functions/host.json"), join(out, "host.json"));
writeFileSync(
  join(out, "package.json"),
  `${JSON.stringify(
    {
      name: "sept-tenant-job",
      version: pkg.version,
      private: true,
      type: "module",
      main: "index.mjs",
      engines: { node: ">=20" },
      dependencies: { "@azure/functions": pkg.dependencies["@azure/functions"] },
    },
    null,
    2,
  )}\n`,
);
console.log(`Built the tenant job's Functions app in ${out}`);
