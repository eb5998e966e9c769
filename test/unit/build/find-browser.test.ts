// @vitest-environment node
import { describe, expect, it } from "vitest";
import {
  BrowserNotFoundError,
  describeBrowser,
  findBrowser,
  type BrowserFinderDeps,
  type CommandResult,
} from "../../../scripts/find-browser.js";

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const UBUNTU = "NAME=Ubuntu\nID=ubuntu\nID_LIKE=debian\n";
const FEDORA = 'NAME="Fedora Linux"\nID=fedora\n';
const CLI = "/repo/node_modules/playwright-core/cli.js";

interface FakeMachine {
  platform?: NodeJS.Platform;
  arch?: string;
  env?: Record<string, string>;
  isRoot?: boolean;
  osRelease?: string;
  /** Executables present at the start. */
  files?: string[];
  /** Executables present that do not start. */
  broken?: string[];
  /** What a command does: its result, and the files it leaves behind. */
  commands?: Record<string, { result: CommandResult; creates?: string[] }>;
}

interface Fake {
  deps: BrowserFinderDeps;
  commandsRun: string[];
  probed: string[];
  logged: string[];
}

function fakeMachine(machine: FakeMachine = {}): Fake {
  const platform = machine.platform ?? "linux";
  const sep = platform === "win32" ? "\\" : "/";
  const files = new Set(machine.files ?? []);
  const broken = new Set(machine.broken ?? []);
  for (const path of broken) files.add(path);
  const commandsRun: string[] = [];
  const probed: string[] = [];
  const logged: string[] = [];
  const deps: BrowserFinderDeps = {
    env: machine.env ?? {},
    platform,
    arch: machine.arch ?? "x64",
    homedir:
      platform === "win32" ? "C:\\Users\\ana" : platform === "darwin" ? "/Users/ana" : "/home/ana",
    isRoot: machine.isRoot ?? false,
    exists: (path) => files.has(path),
    listDir: (dir) => {
      const prefix = dir.endsWith(sep) ? dir : dir + sep;
      const names = [...files]
        .filter((path) => path.startsWith(prefix))
        .map((path) => path.slice(prefix.length).split(sep)[0] ?? "");
      return [...new Set(names)];
    },
    readText: (path) => (path === "/etc/os-release" ? machine.osRelease : undefined),
    run: (command, args) => {
      const line = [command, ...args].join(" ");
      commandsRun.push(line);
      const behaviour = machine.commands?.[line];
      for (const created of behaviour?.creates ?? []) files.add(created);
      return Promise.resolve(behaviour?.result ?? { ok: false, output: `${command}: not found` });
    },
    probe: (path) => {
      probed.push(path);
      return broken.has(path)
        ? Promise.reject(
            new Error("browserType.launch: Failed to launch: libnss3.so missing\nCall log: …"),
          )
        : Promise.resolve("131.0.6778.85");
    },
    log: (line) => logged.push(line),
    playwrightCli: CLI,
    nodePath: "/usr/bin/node",
  };
  return { deps, commandsRun, probed, logged };
}

const INSTALL = `/usr/bin/node ${CLI} install chromium`;
const OFFLINE: CommandResult = {
  ok: false,
  output:
    "Downloading Chrome for Testing…\nError: getaddrinfo ENOTFOUND cdn.playwright.dev\nFailed to install browsers",
};

async function failure(fake: Fake): Promise<string> {
  const error: unknown = await findBrowser(fake.deps).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BrowserNotFoundError);
  return (error as Error).message;
}

describe("finding a browser for the end-to-end tests", () => {
  it("takes CHROMIUM_PATH first, over a system browser", async () => {
    const fake = fakeMachine({
      env: { CHROMIUM_PATH: "/opt/my/chrome" },
      files: ["/opt/my/chrome", "/usr/bin/chromium"],
    });
    const found = await findBrowser(fake.deps);
    expect(found).toMatchObject({
      path: "/opt/my/chrome",
      source: "CHROMIUM_PATH",
      product: "Chrome",
    });
    expect(fake.probed).toEqual(["/opt/my/chrome"]);
  });

  it("refuses a CHROMIUM_PATH that does not exist instead of quietly using another browser", async () => {
    const fake = fakeMachine({
      env: { CHROMIUM_PATH: "/typo/chrome" },
      files: ["/usr/bin/chromium"],
    });
    expect(await failure(fake)).toMatch(/^CHROMIUM_PATH is \/typo\/chrome, which does not exist/);
    expect(fake.probed).toEqual([]);
    expect(fake.commandsRun).toEqual([]);
  });

  it("uses Debian's Chromium before Google Chrome on Linux, and provisions nothing", async () => {
    const fake = fakeMachine({ files: ["/usr/bin/google-chrome", "/usr/bin/chromium"] });
    const found = await findBrowser(fake.deps);
    expect(found).toEqual({
      path: "/usr/bin/chromium",
      source: "system",
      product: "Chromium",
      version: "131.0.6778.85",
    });
    expect(fake.commandsRun).toEqual([]);
    expect(fake.logged).toEqual([]);
  });

  it("finds Chrome in /Applications on macOS", async () => {
    const chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    const fake = fakeMachine({ platform: "darwin", files: [chrome] });
    expect(await findBrowser(fake.deps)).toMatchObject({ path: chrome, product: "Chrome" });
  });

  it("finds Edge under Program Files (x86) on Windows", async () => {
    const edge = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe";
    const fake = fakeMachine({
      platform: "win32",
      env: {
        PROGRAMFILES: "C:\\Program Files",
        "PROGRAMFILES(X86)": "C:\\Program Files (x86)",
        LOCALAPPDATA: "C:\\Users\\ana\\AppData\\Local",
      },
      files: [edge],
    });
    expect(await findBrowser(fake.deps)).toMatchObject({
      path: edge,
      product: "Edge",
      source: "system",
    });
  });

  it("skips a system browser that does not start and takes Playwright's newest download", async () => {
    const cache = "/home/ana/.cache/ms-playwright";
    const fake = fakeMachine({
      broken: ["/usr/bin/chromium"],
      files: [
        `${cache}/chromium-1140/chrome-linux/chrome`,
        `${cache}/chromium-1255/chrome-linux64/chrome`,
        `${cache}/chromium_headless_shell-1300/chrome-headless-shell-linux64/chrome-headless-shell`,
        `${cache}/firefox-1572/firefox/firefox`,
      ],
    });
    const found = await findBrowser(fake.deps);
    expect(found).toMatchObject({
      path: `${cache}/chromium-1255/chrome-linux64/chrome`,
      source: "Playwright cache",
    });
    expect(fake.probed).toEqual([
      "/usr/bin/chromium",
      `${cache}/chromium-1255/chrome-linux64/chrome`,
    ]);
    expect(fake.commandsRun).toEqual([]);
  });

  it("looks in Playwright's cache where Playwright would: PLAYWRIGHT_BROWSERS_PATH, LOCALAPPDATA, Library/Caches", async () => {
    const custom = fakeMachine({
      env: { PLAYWRIGHT_BROWSERS_PATH: "/srv/pw" },
      files: [
        "/srv/pw/chromium-1255/chrome-linux64/chrome",
        "/home/ana/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome",
      ],
    });
    expect((await findBrowser(custom.deps)).path).toBe(
      "/srv/pw/chromium-1255/chrome-linux64/chrome",
    );

    const windows =
      "C:\\Users\\ana\\AppData\\Local\\ms-playwright\\chromium-1255\\chrome-win64\\chrome.exe";
    const win = fakeMachine({
      platform: "win32",
      env: { LOCALAPPDATA: "C:\\Users\\ana\\AppData\\Local" },
      files: [windows],
    });
    expect((await findBrowser(win.deps)).path).toBe(windows);

    const mac =
      "/Users/ana/Library/Caches/ms-playwright/chromium-1255/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing";
    const macFake = fakeMachine({ platform: "darwin", arch: "arm64", files: [mac] });
    expect((await findBrowser(macFake.deps)).path).toBe(mac);
  });

  it("runs Playwright's installer when nothing is installed, and uses what it downloaded", async () => {
    const downloaded = "/home/ana/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome";
    const fake = fakeMachine({
      osRelease: DEBIAN,
      isRoot: true,
      commands: {
        [INSTALL]: { result: { ok: true, output: "downloaded" }, creates: [downloaded] },
      },
    });
    const found = await findBrowser(fake.deps);
    expect(found).toMatchObject({ path: downloaded, source: "Playwright installer" });
    expect(fake.commandsRun).toEqual([INSTALL]);
  });

  it("falls through to apt-get on Debian as root when Playwright's CDN is unreachable", async () => {
    const fake = fakeMachine({
      osRelease: DEBIAN,
      isRoot: true,
      commands: {
        [INSTALL]: { result: OFFLINE },
        "apt-get update -qq": { result: { ok: true, output: "" } },
        "apt-get install -y -qq chromium": {
          result: { ok: true, output: "" },
          creates: ["/usr/bin/chromium"],
        },
      },
    });
    const found = await findBrowser(fake.deps);
    expect(found).toMatchObject({ path: "/usr/bin/chromium", source: "apt-get" });
    expect(fake.commandsRun).toEqual([
      INSTALL,
      "apt-get update -qq",
      "apt-get install -y -qq chromium",
    ]);
    expect(fake.logged).toContain(
      "Playwright's installer failed: Error: getaddrinfo ENOTFOUND cdn.playwright.dev",
    );
  });

  it("still tries apt-get install when apt-get update reports a failure", async () => {
    const fake = fakeMachine({
      osRelease: UBUNTU,
      isRoot: true,
      commands: {
        [INSTALL]: { result: OFFLINE },
        "apt-get update -qq": { result: { ok: false, output: "W: Failed to fetch one list" } },
        "apt-get install -y -qq chromium": {
          result: { ok: true, output: "" },
          creates: ["/usr/bin/chromium-browser"],
        },
      },
    });
    expect(await findBrowser(fake.deps)).toMatchObject({
      path: "/usr/bin/chromium-browser",
      source: "apt-get",
    });
  });

  it("uses apt-get on Ubuntu too, but never without root", async () => {
    const asUser = fakeMachine({
      osRelease: UBUNTU,
      isRoot: false,
      commands: { [INSTALL]: { result: OFFLINE } },
    });
    expect(await failure(asUser)).toMatch(/Run: sudo apt-get install -y chromium /);
    expect(asUser.commandsRun).toEqual([INSTALL]);
  });

  it("fails with one line naming the one command to run when nothing works", async () => {
    const fedora = fakeMachine({
      osRelease: FEDORA,
      isRoot: true,
      broken: ["/usr/bin/chromium-browser"],
      commands: { [INSTALL]: { result: OFFLINE } },
    });
    const message = await failure(fedora);
    expect(message).not.toContain("\n");
    expect(message).toMatch(/Run: npx playwright-core install chromium \(or set CHROMIUM_PATH/);
    expect(message).toContain(
      "/usr/bin/chromium-browser (browserType.launch: Failed to launch: libnss3.so missing)",
    );
    expect(fedora.commandsRun).toEqual([INSTALL]);

    const debianRoot = fakeMachine({
      osRelease: DEBIAN,
      isRoot: true,
      commands: { [INSTALL]: { result: OFFLINE } },
    });
    const aptFailed = await failure(debianRoot);
    expect(aptFailed).not.toContain("\n");
    expect(aptFailed).toMatch(/Run: apt-get install -y chromium /);
    expect(debianRoot.logged.at(-1)).toBe("apt-get failed: apt-get: not found");
  });

  it("reports the browser in one line", () => {
    expect(
      describeBrowser({
        path: "/usr/bin/chromium",
        source: "system",
        product: "Chromium",
        version: "131.0.6778.85",
      }),
    ).toBe("using Chromium 131 at /usr/bin/chromium (system)");
  });
});
