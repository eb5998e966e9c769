// The one place that owns sign-in (the Outlook NAA sample's AccountManager, made testable):
// nested app authentication where Outlook offers it, else the Office dialog running MSAL's
// standard redirect flow on auth.html. Silent first, interactive only when the user is needed.
// Over 300 lines on purpose: one class owns MSAL's state (the flow chosen, the dialog's tokens, one
// interaction at a time); each of its methods stays short.
import {
  createNestablePublicClientApplication,
  PublicClientApplication,
  type AccountInfo,
  type BrowserSystemOptions,
  type Configuration,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { SeptError } from "../../core/errors.js";
import type { AuthPort, SignedInAccount } from "../../core/ports/auth.js";
import { REQUIREMENTS, requirementMet } from "../office/capabilities.js";
import {
  getOfficeRuntime,
  type DialogEventArgs,
  type DialogMessageArgs,
  type OfficeRuntime,
} from "../office/runtime.js";
import {
  authDialogUrl,
  parseDialogMessage,
  type AuthDialogMessage,
} from "./auth-dialog-protocol.js";
import {
  needsInteraction,
  officeDialogError,
  signInError,
  silentOnlyError,
} from "./sign-in-errors.js";

/** How this pane signs in: decided once, the first time a token is needed. */
export type SignInFlow = "nested" | "dialog";

export type SignOutResult =
  /** The Entra session ended too (dialog flow). */
  | "signed_out"
  /** SEPT forgot its tokens; Outlook owns the account (nested flow): sign out of Outlook. */
  | "host_managed"
  /** SEPT forgot its tokens, but the dialog that ends the Entra session could not run. */
  | "signed_out_locally";

export interface AccountManagerOptions {
  clientId: string;
  /** Tenant id, "organizations" or "common". */
  tenant: string;
  /** The add-in's auth.html: the dialog page, and MSAL's redirect URI (register it as SPA). */
  authPageUrl: string;
  /** Defaults to the global Office.js through getOfficeRuntime(). */
  runtime?: () => OfficeRuntime;
  /** MSAL system settings; tests shorten its timeouts. Production needs none. */
  msalSystem?: BrowserSystemOptions;
  timeouts?: {
    /** Waiting for the host's NAA bridge to introduce itself before using the dialog. */
    nestedInitMs?: number;
    /** A silent token request (MSAL's NAA bridge calls have no timeout of their own). */
    silentMs?: number;
    /** An interactive request: the user is reading a consent screen. */
    interactiveMs?: number;
  };
  /** Dialog size in percent of the screen. */
  dialogSize?: { height: number; width: number };
  now?: () => number;
}

export interface TokenOptions {
  /**
   * false: fail with auth_required instead of prompting. For work the user did not start (a
   * background purge), where opening a sign-in window would come out of nowhere.
   */
  interactive?: boolean;
  /** Graph refused the token in hand (a 401): get a new one rather than the cached one. */
  forceRefresh?: boolean;
}

export interface AccountManager extends AuthPort {
  getAccessToken(scopes: readonly string[], options?: TokenOptions): Promise<string>;
  flow(): Promise<SignInFlow>;
  /** Forgets every token, then ends the Entra session where the host lets us. */
  signOut(): Promise<SignOutResult>;
}

const DEFAULT_TIMEOUTS = { nestedInitMs: 10_000, silentMs: 20_000, interactiveMs: 10 * 60_000 };
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
/** OpenID scopes MSAL adds on its own; a token's Graph scopes are what matters. */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

function normalizeScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim()).filter((s) => s && !OIDC_SCOPES.has(s)))];
}

function covers(granted: readonly string[], wanted: readonly string[]): boolean {
  const have = new Set(granted.map((s) => s.toLowerCase()));
  return wanted.every((s) => have.has(s.toLowerCase()));
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function toAccount(info: AccountInfo | null | undefined): SignedInAccount | null {
  return info ? { name: info.name ?? "", username: info.username } : null;
}

/** A token the dialog sent back: kept in this page's memory only, never in storage. */
interface DialogToken {
  accessToken: string;
  expiresOn: number;
  scopes: string[];
}

type FlowState = { flow: "nested"; pca: IPublicClientApplication } | { flow: "dialog" };

/*
 * Token cache: MSAL's memoryStorage in the pane.
 * - Nested app auth: Outlook is the broker and answers silent requests from its own cache, so
 *   persisting tokens in the pane would buy nothing and add a copy an XSS could read later.
 * - Dialog flow: the dialog's MSAL (sessionStorage, needed to survive its redirect) dies with the
 *   dialog window; the access token it sends back lives in this object's memory until it nears
 *   expiry or the pane closes. Reopening the pane costs one dialog that Entra usually completes
 *   on its own from its session cookie.
 * - localStorage is ruled out: it outlives the session on shared machines, and Outlook on the web
 *   partitions it by top-level site anyway, so the pane and the dialog could not share it.
 * Our code never writes a token anywhere and never logs one; SeptError messages carry codes only.
 */
class MsalAccountManager implements AccountManager {
  private state: Promise<FlowState> | null = null;
  private dialogTokens: DialogToken[] = [];
  private dialogAccount: SignedInAccount | null = null;
  /** One interactive request at a time: Office allows one dialog per pane, users one prompt. */
  private interaction: Promise<unknown> = Promise.resolve();
  private readonly timeouts: typeof DEFAULT_TIMEOUTS;
  private readonly now: () => number;

  constructor(private readonly options: AccountManagerOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.now = options.now ?? Date.now;
  }

  async flow(): Promise<SignInFlow> {
    return (await this.init()).flow;
  }

  async getAccessToken(scopes: readonly string[], options: TokenOptions = {}): Promise<string> {
    const wanted = normalizeScopes(scopes);
    const interactive = options.interactive ?? true;
    const state = await this.init();
    const forceRefresh = options.forceRefresh ?? false;
    if (forceRefresh && state.flow === "dialog") {
      this.dialogTokens = this.dialogTokens.filter((t) => !covers(t.scopes, wanted));
    }
    return state.flow === "nested"
      ? this.nestedToken(state.pca, wanted, interactive, forceRefresh)
      : this.dialogToken(wanted, interactive);
  }

  async account(): Promise<SignedInAccount | null> {
    const state = await this.init();
    if (state.flow === "dialog") return this.dialogAccount;
    return toAccount(state.pca.getActiveAccount() ?? state.pca.getAllAccounts()[0]);
  }

  async clearCache(): Promise<void> {
    this.dialogTokens = [];
    this.dialogAccount = null;
    // MSAL's nested controller has no clearCache; its cache is in memory, so dropping the
    // instance forgets every token. The next request starts a fresh one.
    if (this.state && (await this.state).flow === "nested") this.state = null;
  }

  async signOut(): Promise<SignOutResult> {
    const { flow } = await this.init();
    await this.clearCache();
    if (flow === "nested") return "host_managed";
    try {
      const answer = await this.serialized(() =>
        this.openDialog({ mode: "signout", scopes: [], loginHint: this.loginHint() }),
      );
      return answer.status === "signed_out" ? "signed_out" : "signed_out_locally";
    } catch {
      return "signed_out_locally";
    }
  }

  // ---- flow decision --------------------------------------------------------------------

  private runtime(): OfficeRuntime | null {
    try {
      return (this.options.runtime ?? getOfficeRuntime)();
    } catch {
      return null;
    }
  }

  private loginHint(): string | undefined {
    return this.runtime()?.context.mailbox.userProfile?.emailAddress || undefined;
  }

  private msalConfig(): Configuration {
    return {
      auth: {
        clientId: this.options.clientId,
        authority: `https://login.microsoftonline.com/${this.options.tenant}`,
        redirectUri: this.options.authPageUrl,
      },
      cache: { cacheLocation: "memoryStorage" },
      system: { ...this.options.msalSystem },
    };
  }

  private init(): Promise<FlowState> {
    this.state ??= this.decide();
    return this.state;
  }

  private async decide(): Promise<FlowState> {
    const runtime = this.runtime();
    if (runtime && requirementMet(runtime, REQUIREMENTS.nestedAppAuth)) {
      try {
        const pca = await withTimeout(
          this.createNested(),
          this.timeouts.nestedInitMs,
          () => new SeptError("timeout", { message: "nested app auth bridge did not answer" }),
        );
        if (pca) return { flow: "nested", pca };
      } catch {
        // The host claims NestedAppAuth but its bridge is missing or silent: use the dialog.
      }
    }
    return { flow: "dialog" };
  }

  /** The NAA client, or null when MSAL found no bridge and fell back to its standard client. */
  private async createNested(): Promise<IPublicClientApplication | null> {
    let nested = false;
    const pca = await createNestablePublicClientApplication(
      this.msalConfig(),
      undefined,
      (configuration, controller) => {
        // MSAL calls this factory only when the host's bridge answered: the nested controller.
        nested = true;
        return new PublicClientApplication(configuration, controller);
      },
    );
    // Its standard client would open browser popups from inside Outlook's frame, where their
    // answer cannot come back (storage partitioning): the Office dialog is the reliable path.
    return nested ? pca : null;
  }

  // ---- nested app authentication ------------------------------------------------------------

  private async nestedToken(
    pca: IPublicClientApplication,
    wanted: string[],
    interactive: boolean,
    forceRefresh = false,
  ): Promise<string> {
    const request = () => {
      const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
      const loginHint = this.loginHint();
      return {
        scopes: wanted,
        ...(forceRefresh ? { forceRefresh } : {}),
        ...(account ? { account } : loginHint ? { loginHint } : {}),
      };
    };
    try {
      const result = await withTimeout(
        pca.acquireTokenSilent(request()),
        this.timeouts.silentMs,
        () => new SeptError("timeout", { message: "silent sign-in timed out", retryable: true }),
      );
      return result.accessToken;
    } catch (error) {
      if (error instanceof SeptError) throw error;
      if (!needsInteraction(error)) throw signInError(error);
      if (!interactive) throw silentOnlyError(error);
    }
    return this.serialized(async () => {
      try {
        const result = await withTimeout(
          pca.acquireTokenPopup(request()),
          this.timeouts.interactiveMs,
          () => new SeptError("timeout", { message: "interactive sign-in timed out" }),
        );
        pca.setActiveAccount(result.account);
        return result.accessToken;
      } catch (error) {
        const mapped = signInError(error);
        // The host could not show its own prompt: the Office dialog still can.
        if (mapped.code === "popup_blocked" && this.dialogAvailable()) {
          return this.dialogSignIn(wanted);
        }
        throw mapped;
      }
    });
  }

  // ---- Office dialog fallback -------------------------------------------------------------

  private cachedDialogToken(wanted: string[]): string | null {
    const fresh = this.dialogTokens.filter(
      (t) => t.expiresOn - this.now() > RENEW_BEFORE_EXPIRY_MS,
    );
    this.dialogTokens = fresh;
    return fresh.find((t) => covers(t.scopes, wanted))?.accessToken ?? null;
  }

  private async dialogToken(wanted: string[], interactive: boolean): Promise<string> {
    const cached = this.cachedDialogToken(wanted);
    if (cached) return cached;
    if (!interactive) {
      throw new SeptError("auth_required", { message: "sign-in needs the user" });
    }
    // Another request may have signed in while this one waited for its turn.
    return this.serialized(async () => this.cachedDialogToken(wanted) ?? this.dialogSignIn(wanted));
  }

  private dialogAvailable(): boolean {
    return typeof this.runtime()?.context.ui?.displayDialogAsync === "function";
  }

  private async dialogSignIn(wanted: string[]): Promise<string> {
    const answer = await this.openDialog({
      mode: "signin",
      scopes: wanted,
      loginHint: this.loginHint(),
    });
    if (answer.status === "error") {
      throw new SeptError(answer.code, {
        message: `sign-in dialog: ${answer.detail}`,
        params: { detail: answer.detail },
        retryable: answer.code === "network",
      });
    }
    if (answer.status !== "success") {
      throw new SeptError("sign_in_failed", { params: { detail: "dialog-answer" } });
    }
    this.dialogTokens.push({
      accessToken: answer.accessToken,
      expiresOn: answer.expiresOn,
      scopes: answer.scopes,
    });
    this.dialogAccount = { name: answer.account.name, username: answer.account.username };
    return answer.accessToken;
  }

  /** Opens auth.html in an Office dialog and waits for its one answer (or its closing). */
  private openDialog(request: Parameters<typeof authDialogUrl>[1]): Promise<AuthDialogMessage> {
    const runtime = this.runtime();
    const display = runtime?.context.ui?.displayDialogAsync;
    if (!runtime || !display) {
      return Promise.reject(
        new SeptError("unsupported_host", { message: "the Office dialog API is unavailable" }),
      );
    }
    const url = authDialogUrl(this.options.authPageUrl, request);
    const origin = new URL(this.options.authPageUrl).origin;
    const size = this.options.dialogSize ?? { height: 60, width: 30 };
    const messageEvent = runtime.EventType.DialogMessageReceived ?? "dialogMessageReceived";
    const closeEvent = runtime.EventType.DialogEventReceived ?? "dialogEventReceived";
    return new Promise<AuthDialogMessage>((resolve, reject) => {
      display.call(runtime.context.ui, url, { ...size, displayInIframe: false }, (result) => {
        if (result.status !== runtime.AsyncResultStatus.Succeeded) {
          reject(officeDialogError(result.error?.code ?? "unknown"));
          return;
        }
        const dialog = result.value;
        let settled = false;
        const finish = (settle: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          try {
            dialog.close();
          } catch {
            // already closed by the user
          }
          settle();
        };
        const timer = setTimeout(
          () => finish(() => reject(new SeptError("timeout", { message: "sign-in dialog" }))),
          this.timeouts.interactiveMs,
        );
        dialog.addEventHandler(messageEvent, (args: DialogMessageArgs | DialogEventArgs) => {
          if (!("message" in args)) return;
          // DialogApi 1.2 names the sender: only our own auth.html may answer.
          if (args.origin !== undefined && args.origin !== origin) return;
          const message = parseDialogMessage(args.message);
          if (message) finish(() => resolve(message));
        });
        dialog.addEventHandler(closeEvent, (args: DialogMessageArgs | DialogEventArgs) => {
          if ("error" in args) finish(() => reject(officeDialogError(args.error)));
        });
      });
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.interaction.then(task, task);
    this.interaction = run.catch(() => undefined);
    return run;
  }
}

export function createAccountManager(options: AccountManagerOptions): AccountManager {
  return new MsalAccountManager(options);
}
