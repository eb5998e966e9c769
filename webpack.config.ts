import CopyWebpackPlugin from "copy-webpack-plugin";
import HtmlWebpackPlugin from "html-webpack-plugin";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import webpack from "webpack";
import type { AddinConfig } from "./src/core/config.js";
import { manifestVersion, readBuildConfig } from "./scripts/build-config.js";
import { transformManifest } from "./scripts/manifest.js";

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
const OFFICE_JS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

/**
 * Chunks the pane's first view needs besides its entry script: `<link rel="preload">`ed in
 * taskpane.html, so the browser fetches them while it still parses and runs the entry, rather than
 * only once the entry asks for them. Named by the `webpackChunkName` of their import() in
 * src/taskpane/index.tsx: the services, and the view (React, the pane's frame and its shell with
 * the consent gate). Other views are not here: they load after the first view (shell.tsx
 * prefetchViews).
 */
const FIRST_VIEW_CHUNKS = ["composition", "view"];
/** The pane's entry (src/taskpane/index.tsx). */
const PANE_ENTRY = "taskpane";
/** The entry that requests org-policy.json early; PreloadFirstView adds it to the pane's page. */
const ORG_POLICY_EARLY = "org-policy-early";

/**
 * Adds to `page` the preload links of FIRST_VIEW_CHUNKS (and the shared chunks they need), the
 * ORG_POLICY_EARLY script, a preconnect to Graph, and a high fetch priority to the entry script;
 * then Office.js (`officeScripts`), after them: it blocks the parser, and what the page's head
 * says after it is not acted on until it has been fetched and run.
 */
class PreloadFirstView {
  constructor(
    private readonly page: string,
    private readonly graphOrigin: string,
    private readonly officeScripts: string[],
  ) {}
  apply(compiler: webpack.Compiler): void {
    compiler.hooks.compilation.tap("PreloadFirstView", (compilation) => {
      HtmlWebpackPlugin.getHooks(compilation).alterAssetTagGroups.tap(
        "PreloadFirstView",
        (data) => {
          if (data.outputName !== this.page) return data;
          const publicPath = data.publicPath;
          const files = new Set<string>();
          for (const name of FIRST_VIEW_CHUNKS) {
            const group = compilation.namedChunkGroups.get(name);
            if (!group) throw new Error(`PreloadFirstView: no chunk named ${name}`);
            for (const chunk of group.chunks) {
              for (const file of chunk.files) if (file.endsWith(".js")) files.add(file);
            }
          }
          const links = [...files].map((file) =>
            HtmlWebpackPlugin.createHtmlTagObject("link", {
              rel: "preload",
              as: "script",
              href: `${publicPath}${file}`,
            }),
          );
          // The org policy's request, `async` and first: it runs as soon as it arrives, before
          // the deferred scripts (src/taskpane/org-policy-early.ts).
          const early = [...(compilation.namedChunkGroups.get(ORG_POLICY_EARLY)?.chunks ?? [])]
            .flatMap((chunk) => [...chunk.files])
            .filter((file) => file.endsWith(".js"))
            .map((file) =>
              HtmlWebpackPlugin.createHtmlTagObject("script", {
                async: true,
                src: `${publicPath}${file}`,
              }),
            );
          if (early.length === 0) throw new Error(`PreloadFirstView: no ${ORG_POLICY_EARLY} entry`);
          // The consent ledger's read is the first view's first Graph request: its connection
          // (DNS, TCP, TLS) is opened while the scripts load. `crossorigin`: the Graph client's
          // requests carry no credentials, and a connection opened for credentialed requests would
          // not serve them (https://html.spec.whatwg.org/multipage/links.html#link-type-preconnect).
          const preconnect = HtmlWebpackPlugin.createHtmlTagObject("link", {
            rel: "preconnect",
            href: this.graphOrigin,
            crossorigin: "anonymous",
          });
          // A deferred script is fetched at low priority, a preloaded one at high: without this
          // the entry, which starts everything else, came last of the pane's scripts.
          const entry = new Set(
            [...(compilation.namedChunkGroups.get(PANE_ENTRY)?.chunks ?? [])]
              .flatMap((chunk) => [...chunk.files])
              .map((file) => `${publicPath}${file}`),
          );
          const headTags = data.headTags.map((tag) =>
            tag.tagName === "script" && entry.has(String(tag.attributes.src))
              ? { ...tag, attributes: { ...tag.attributes, fetchpriority: "high" } }
              : tag,
          );
          const office = this.officeScripts.map((src) =>
            HtmlWebpackPlugin.createHtmlTagObject("script", { src }),
          );
          return { ...data, headTags: [preconnect, ...early, ...links, ...office, ...headTags] };
        },
      );
    });
  }
}

export interface BuildEnv {
  /** The local demo: the Outlook stand-in page, its Office runtime and the Graph fake. */
  demo?: boolean;
  outputDir?: string;
}

/**
 * Production: taskpane.html and commands.html load Office.js from Microsoft's CDN, and the
 * manifest's URLs are rewritten onto ADDIN_BASE_URL. Demo: the same pages load the stand-in's
 * Office runtime instead, and an Outlook-like host page (outlook.html) is added.
 */
export default function config(
  env: BuildEnv = {},
  argv: { mode?: "production" | "development" } = {},
): webpack.Configuration {
  const demo = Boolean(env.demo);
  const mode = argv.mode ?? "production";
  const build = readBuildConfig(process.env, demo);
  const addinConfig: AddinConfig = { ...build, addinVersion: pkg.version };
  const officeScript = demo ? [] : [OFFICE_JS_CDN];
  const runtimeChunk = demo ? ["office-standin"] : [];

  // `body`: what goes in the <body> of a page built from src/page.html (the pane's and the
  // sign-in dialog's pages share their <head>).
  // `officeScripts`: Office.js in the page's head (the task pane's is added by PreloadFirstView).
  const page = (
    name: string,
    template: string,
    chunks: string[],
    body = "",
    officeScripts = officeScript,
  ) =>
    new HtmlWebpackPlugin({
      filename: `${name}.html`,
      template,
      chunks,
      chunksSortMode: "manual",
      scriptLoading: "defer",
      templateParameters: { officeScripts, body },
    });

  return {
    mode,
    context: root,
    devtool: mode === "production" ? false : "source-map",
    entry: {
      [PANE_ENTRY]: "./src/taskpane/index.tsx",
      [ORG_POLICY_EARLY]: "./src/taskpane/org-policy-early.ts",
      commands: "./src/commands/commands.ts",
      // The sign-in dialog (Office dialog API fallback when nested app auth is missing).
      auth: "./src/auth-dialog/auth.ts",
      ...(demo
        ? {
            "office-standin": "./dev/outlook/office-standin.ts",
            outlook: "./dev/outlook/outlook.ts",
          }
        : {}),
    },
    output: {
      path: env.outputDir ?? join(root, demo ? "dist-demo" : "dist"),
      filename: mode === "production" ? "[name].[contenthash:8].js" : "[name].js",
      chunkFilename: mode === "production" ? "[name].[contenthash:8].js" : "[name].js",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".tsx", ".js"],
      extensionAlias: { ".js": [".ts", ".tsx", ".js"] },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          loader: "esbuild-loader",
          options: { target: "es2020", jsx: "automatic" },
        },
      ],
    },
    plugins: [
      new webpack.DefinePlugin({
        __SEPT_CONFIG__: JSON.stringify(addinConfig),
        __SEPT_DEMO__: JSON.stringify({ graphFakeUrl: new URL(build.graphBaseUrl).origin }),
        "process.env.NODE_ENV": JSON.stringify(mode),
      }),
      page(
        "taskpane",
        "./src/page.html",
        [...runtimeChunk, PANE_ENTRY],
        '<div id="root"></div>',
        [],
      ),
      new PreloadFirstView("taskpane.html", new URL(build.graphBaseUrl).origin, officeScript),
      page("commands", "./src/commands/commands.html", [...runtimeChunk, "commands"]),
      page(
        "auth",
        "./src/page.html",
        [...runtimeChunk, "auth"],
        '<p id="status" role="status" aria-live="polite"></p>',
      ),
      ...(demo ? [page("outlook", "./dev/outlook/outlook.html", ["outlook"])] : []),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]", info: { minimized: true } },
          // Only an example ships: the org's own org-policy.json lives on the host, written by its
          // admin, and a redeploy of this build must never replace it. The local demo serves the
          // example as the org's file (content allowed) so every view can be tried.
          {
            from: "config/org-policy.example.json",
            to: "org-policy.example.json",
            info: { minimized: true },
          },
          ...(demo
            ? [
                {
                  from: "config/org-policy.example.json",
                  to: "org-policy.json",
                  info: { minimized: true },
                },
              ]
            : []),
          {
            from: "manifest.xml",
            to: "manifest.xml",
            info: { minimized: true },
            transform: (content: Buffer) =>
              transformManifest(content.toString("utf8"), {
                baseUrl: build.addinBaseUrl,
                version: manifestVersion(pkg.version),
              }),
          },
        ],
      }),
    ],
    performance: { hints: false },
    stats: "errors-warnings",
  };
}
