// Finds a Chromium-family browser for the end-to-end tests and the bench, or provisions one.
// Sources, in order: CHROMIUM_PATH; a system Chrome, Chromium or Edge at its usual place; a browser
// Playwright already downloaded; Playwright's own installer; on Debian/Ubuntu as root, apt-get.
// Every candidate must really launch before it is chosen. Everything the resolver touches (files,
// commands, the launch) comes in through `BrowserFinderDeps`, so tests can fake each source.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join as joinPath, posix, win32 } from "node:path";
import { chromium, type Browser } from "playwright-core";

export type BrowserSource =
  "CHROMIUM_PATH" | "system" | "Playwright cache" | "Playwright installer" | "apt-get";

export interface FoundBrowser {
  path: string;
  source: BrowserSource;
  /** "Chromium", "Chrome", "Edge" or "Chrome for Testing". */
  product: string;
  /** What the browser reports, e.g. "131.0.6778.85". */
  version: string;
}

export interface CommandResult {
  ok: boolean;
  /** Combined stdout and stderr, or why the command could not start. */
  output: string;
}

export interface BrowserFinderDeps {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  arch: string;
  homedir: string;
  isRoot: boolean;
  exists(path: string): boolean;
  /** Entry names in a directory; [] when it does not exist. */
  listDir(path: string): string[];
  /** A text file's content, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
  run(
    command: string,
    args: string[],
    opts: { timeoutMs: number; env?: Record<string, string> },
  ): Promise<CommandResult>;
  /** Launches the browser headless and returns its version; throws when it does not start. */
  probe(path: string): Promise<string>;
  /** Progress while provisioning (not called when a browser is simply found). */
  log(line: string): void;
  /** Playwright's CLI script (node_modules/playwright-core/cli.js), run with `nodePath`. */
  playwrightCli: string;
  nodePath: string;
}

export class BrowserNotFoundError extends Error {
  override name = "BrowserNotFoundError";
  constructor(message: string) {
    super(message);
    // The message says what to do; a stack trace under it would only bury that line.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Flags that work headless, as root and in containers (see ../shared/reference/toolchain.md). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowserAt(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS] });
}

interface Candidate {
  path: string;
  product: string;
}

// ---- where browsers live -------------------------------------------------------------------

/** The usual install locations of Chromium, Chrome and Edge on this platform, most likely first. */
export function systemCandidates(deps: BrowserFinderDeps): Candidate[] {
  if (deps.platform === "win32") {
    const roots = [deps.env.PROGRAMFILES, deps.env["PROGRAMFILES(X86)"], deps.env.LOCALAPPDATA]
      .filter((root): root is string => Boolean(root))
      .filter((root, i, all) => all.indexOf(root) === i);
    const apps: [string[], string][] = [
      [["Google", "Chrome", "Application", "chrome.exe"], "Chrome"],
      [["Chromium", "Application", "chrome.exe"], "Chromium"],
      [["Microsoft", "Edge", "Application", "msedge.exe"], "Edge"],
    ];
    return apps.flatMap(([parts, product]) =>
      roots.map((root) => ({ path: win32.join(root, ...parts), product })),
    );
  }
  if (deps.platform === "darwin") {
    const apps: [string, string][] = [
      ["Google Chrome.app/Contents/MacOS/Google Chrome", "Chrome"],
      ["Chromium.app/Contents/MacOS/Chromium", "Chromium"],
      ["Microsoft Edge.app/Contents/MacOS/Microsoft Edge", "Edge"],
    ];
    return apps.flatMap(([app, product]) => [
      { path: posix.join("/Applications", app), product },
      { path: posix.join(deps.homedir, "Applications", app), product },
    ]);
  }
  return [
    { path: "/usr/bin/chromium", product: "Chromium" },
    { path: "/usr/bin/chromium-browser", product: "Chromium" },
    { path: "/usr/bin/google-chrome-stable", product: "Chrome" },
    { path: "/usr/bin/google-chrome", product: "Chrome" },
    { path: "/opt/google/chrome/chrome", product: "Chrome" },
    { path: "/usr/bin/microsoft-edge-stable", product: "Edge" },
    { path: "/usr/bin/microsoft-edge", product: "Edge" },
    { path: "/opt/microsoft/msedge/msedge", product: "Edge" },
    { path: "/snap/bin/chromium", product: "Chromium" },
  ];
}

/** Where Playwright keeps its browsers (its own rules: PLAYWRIGHT_BROWSERS_PATH, then per OS). */
export function playwrightCacheDir(deps: BrowserFinderDeps): string {
  const join = deps.platform === "win32" ? win32.join : posix.join;
  const custom = deps.env.PLAYWRIGHT_BROWSERS_PATH;
  if (custom === "0") return join(dirname(deps.playwrightCli), ".local-browsers");
  if (custom) return custom;
  if (deps.platform === "win32") {
    return join(deps.env.LOCALAPPDATA ?? join(deps.homedir, "AppData", "Local"), "ms-playwright");
  }
  if (deps.platform === "darwin") return join(deps.homedir, "Library", "Caches", "ms-playwright");
  return join(deps.env.XDG_CACHE_HOME ?? join(deps.homedir, ".cache"), "ms-playwright");
}

/** Executable paths inside one Playwright browser folder, newest layout first. */
function executablesIn(kind: "chromium" | "headless-shell", deps: BrowserFinderDeps): string[][] {
  const arm = deps.arch === "arm64";
  if (deps.platform === "win32") {
    return kind === "chromium"
      ? [
          ["chrome-win64", "chrome.exe"],
          ["chrome-win", "chrome.exe"],
        ]
      : [
          ["chrome-headless-shell-win64", "chrome-headless-shell.exe"],
          ["chrome-win", "headless_shell.exe"],
        ];
  }
  if (deps.platform === "darwin") {
    const cft = arm ? "chrome-mac-arm64" : "chrome-mac-x64";
    return kind === "chromium"
      ? [
          [cft, "Google Chrome for Testing.app", "Contents", "MacOS", "Google Chrome for Testing"],
          ["chrome-mac", "Chromium.app", "Contents", "MacOS", "Chromium"],
        ]
      : [
          [
            arm ? "chrome-headless-shell-mac-arm64" : "chrome-headless-shell-mac-x64",
            "chrome-headless-shell",
          ],
          ["chrome-mac", "headless_shell"],
        ];
  }
  return kind === "chromium"
    ? [
        [arm ? "chrome-linux-arm64" : "chrome-linux64", "chrome"],
        ["chrome-linux", "chrome"],
      ]
    : [
        [
          arm ? "chrome-headless-shell-linux-arm64" : "chrome-headless-shell-linux64",
          "chrome-headless-shell",
        ],
        ["chrome-linux", "headless_shell"],
      ];
}

/** Chromium builds Playwright already downloaded: full Chromium first, newest revision first. */
export function playwrightCandidates(deps: BrowserFinderDeps): Candidate[] {
  const join = deps.platform === "win32" ? win32.join : posix.join;
  const cache = playwrightCacheDir(deps);
  const folders = deps
    .listDir(cache)
    .map((name) => {
      const match = /^(chromium|chromium_headless_shell)-(\d+)$/.exec(name);
      return match
        ? { name, shell: match[1] === "chromium_headless_shell", revision: Number(match[2]) }
        : undefined;
    })
    .filter((folder) => folder !== undefined)
    .sort((a, b) => Number(a.shell) - Number(b.shell) || b.revision - a.revision);
  return folders.flatMap((folder) =>
    executablesIn(folder.shell ? "headless-shell" : "chromium", deps)
      .map((parts) => join(cache, folder.name, ...parts))
      .filter((path) => deps.exists(path))
      .map((path) => ({ path, product: "Chrome for Testing" })),
  );
}

function isDebianLike(deps: BrowserFinderDeps): boolean {
  const osRelease = deps.readText("/etc/os-release") ?? "";
  const ids = osRelease
    .split("\n")
    .filter((line) => /^(ID|ID_LIKE)=/.test(line))
    .flatMap((line) =>
      line
        .slice(line.indexOf("=") + 1)
        .replace(/"/g, "")
        .split(/\s+/),
    );
  return ids.includes("debian") || ids.includes("ubuntu");
}

/** The one command to suggest when nothing worked. */
export function installHint(deps: BrowserFinderDeps): string {
  if (deps.platform === "linux" && isDebianLike(deps)) {
    return `${deps.isRoot ? "" : "sudo "}apt-get install -y chromium`;
  }
  return "npx playwright-core install chromium";
}

/** A product name for a path someone chose: Edge, Chrome, or else Chromium. */
function productAt(path: string): string {
  if (/edge/i.test(path)) return "Edge";
  if (/chrome/i.test(path) && !/chromium/i.test(path)) return "Chrome";
  return "Chromium";
}

// ---- the search ------------------------------------------------------------------------------

function lines(text: string): string[] {
  return (
    text
      // eslint-disable-next-line no-control-regex -- terminal colour codes in Playwright's output
      .replace(/\u001b\[[0-9;]*m/g, "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
  );
}

/** The line of a command's output that says what went wrong, shortened. */
function errorLine(output: string): string {
  const all = lines(output);
  return (
    all.find((line) => /error|fail|denied|not found|unable/i.test(line)) ??
    all[0] ??
    ""
  ).slice(0, 200);
}

/**
 * Returns the first browser that launches, trying each source in order and provisioning one only
 * when none is installed. Throws BrowserNotFoundError with a one-line instruction otherwise.
 */
export async function findBrowser(deps: BrowserFinderDeps): Promise<FoundBrowser> {
  const rejected: string[] = [];
  const tryCandidates = async (
    candidates: Candidate[],
    source: BrowserSource,
  ): Promise<FoundBrowser | undefined> => {
    for (const candidate of candidates) {
      if (!deps.exists(candidate.path)) continue;
      try {
        const version = await deps.probe(candidate.path);
        return { ...candidate, source, version };
      } catch (error) {
        rejected.push(
          `${candidate.path} (${(lines(error instanceof Error ? error.message : String(error))[0] ?? "").slice(0, 200)})`,
        );
      }
    }
    return undefined;
  };

  // 1. An explicit choice is never silently replaced by another browser.
  const chosen = deps.env.CHROMIUM_PATH;
  if (chosen) {
    if (!deps.exists(chosen)) {
      throw new BrowserNotFoundError(
        `CHROMIUM_PATH is ${chosen}, which does not exist: point it at a Chrome, Chromium or Edge binary, or unset it.`,
      );
    }
    const found = await tryCandidates(
      [{ path: chosen, product: productAt(chosen) }],
      "CHROMIUM_PATH",
    );
    if (found) return found;
    throw new BrowserNotFoundError(
      `CHROMIUM_PATH is ${chosen}, which does not start: ${rejected.join("; ")}`,
    );
  }

  // 2. and 3. Browsers already on this machine.
  const installed =
    (await tryCandidates(systemCandidates(deps), "system")) ??
    (await tryCandidates(playwrightCandidates(deps), "Playwright cache"));
  if (installed) return installed;

  // 4. Playwright's installer. Where its CDN cannot be reached it fails within seconds.
  deps.log(
    "No Chromium found: trying Playwright's installer (npx playwright-core install chromium)",
  );
  const install = await deps.run(deps.nodePath, [deps.playwrightCli, "install", "chromium"], {
    timeoutMs: 10 * 60_000,
    env: {
      PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT:
        deps.env.PLAYWRIGHT_DOWNLOAD_CONNECTION_TIMEOUT ?? "15000",
    },
  });
  if (install.ok) {
    const downloaded = await tryCandidates(playwrightCandidates(deps), "Playwright installer");
    if (downloaded) return downloaded;
  } else {
    deps.log(`Playwright's installer failed: ${errorLine(install.output)}`);
  }

  // 5. Debian/Ubuntu as root: the distribution's Chromium, which also brings its libraries.
  if (deps.platform === "linux" && deps.isRoot && isDebianLike(deps)) {
    deps.log("Installing Chromium with apt-get (apt-get install -y chromium)");
    const aptEnv = { DEBIAN_FRONTEND: "noninteractive" };
    // A fresh image has no package lists; a failed update may still leave usable ones.
    await deps.run("apt-get", ["update", "-qq"], { timeoutMs: 5 * 60_000, env: aptEnv });
    const apt = await deps.run("apt-get", ["install", "-y", "-qq", "chromium"], {
      timeoutMs: 10 * 60_000,
      env: aptEnv,
    });
    if (apt.ok) {
      const fromApt = await tryCandidates(systemCandidates(deps), "apt-get");
      if (fromApt) return fromApt;
    } else {
      deps.log(`apt-get failed: ${errorLine(apt.output)}`);
    }
  }

  const tried = rejected.length > 0 ? ` (found but would not start: ${rejected.join("; ")})` : "";
  throw new BrowserNotFoundError(
    `No Chromium for the end-to-end tests${tried}. Run: ${installHint(deps)} (or set CHROMIUM_PATH to a Chrome, Chromium or Edge binary).`,
  );
}

/** "using Chromium 131 at /usr/bin/chromium (system)" */
export function describeBrowser(found: FoundBrowser): string {
  const major = found.version.split(".")[0] ?? found.version;
  return `using ${found.product} ${major} at ${found.path} (${found.source})`;
}

// ---- the real machine ------------------------------------------------------------------------

function runCommand(
  command: string,
  args: string[],
  opts: { timeoutMs: number; env?: Record<string, string> },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(command, args, {
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: opts.timeoutMs,
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (error) => resolve({ ok: false, output: error.message }));
    child.on("close", (code, signal) =>
      resolve({
        ok: code === 0,
        output: signal ? `${output}\n${command} stopped by ${signal}` : output,
      }),
    );
  });
}

async function probeByLaunching(path: string): Promise<string> {
  const browser = await launchBrowserAt(path);
  try {
    return browser.version();
  } finally {
    await browser.close();
  }
}

export function machineDeps(): BrowserFinderDeps {
  const require = createRequire(import.meta.url);
  return {
    env: process.env,
    platform: process.platform,
    arch: process.arch,
    homedir: homedir(),
    isRoot: process.getuid?.() === 0,
    exists: (path) => existsSync(path),
    listDir: (path) => {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
    readText: (path) => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    },
    run: runCommand,
    probe: probeByLaunching,
    log: (line) => console.log(line),
    playwrightCli: joinPath(dirname(require.resolve("playwright-core/package.json")), "cli.js"),
    nodePath: process.execPath,
  };
}

let resolving: Promise<FoundBrowser> | undefined;

/** findBrowser on this machine, once per process. */
export function resolveBrowser(): Promise<FoundBrowser> {
  resolving ??= findBrowser(machineDeps());
  return resolving;
}

// `npx tsx scripts/find-browser.ts`: prints which browser the tests will use (provisioning one
// if needed), or the one-line instruction.
if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  resolveBrowser().then(
    (found) => console.log(describeBrowser(found)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
