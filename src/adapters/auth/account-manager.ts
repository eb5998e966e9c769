// The one place that owns sign-in (the Outlook NAA sample's AccountManager, made testable):
// nested app authentication where Outlook offers it, else the Office dialog running MSAL's
// standard redirect flow on auth.html. Silent first, interactive only when the user is needed.
// This class owns MSAL's state (the flow chosen, the dialog's tokens, one interaction at a time);
// the flows themselves are in nested-app-auth.ts, office-dialog.ts and dialog-tokens.ts.
import {
  type AccountInfo,
  type BrowserSystemOptions,
  type Configuration,
  type IPublicClientApplication,
} from "@azure/msal-browser";
import { SeptError } from "../../core/errors.js";
import type { AuthPort, SignedInAccount } from "../../core/ports/auth.js";
import { REQUIREMENTS, requirementMet } from "../office/capabilities.js";
import { getOfficeRuntime, type OfficeRuntime } from "../office/runtime.js";
import { DialogTokens } from "./dialog-tokens.js";
import { connectNestedApp, nestedToken } from "./nested-app-auth.js";
import { dialogAvailable, openAuthDialog, type AuthDialogRequest } from "./office-dialog.js";
import { normalizeScopes } from "./scopes.js";

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

function toAccount(info: AccountInfo | null | undefined): SignedInAccount | null {
  return info ? { name: info.name ?? "", username: info.username } : null;
}

type FlowState = { flow: "nested"; pca: IPublicClientApplication } | { flow: "dialog" };

/*
 * Token cache: MSAL's memoryStorage in the pane.
 * - Nested app auth: Outlook is the broker and answers silent requests from its own cache, so
 *   persisting tokens in the pane would buy nothing and add a copy an XSS could read later.
 * - Dialog flow: the dialog's MSAL (sessionStorage, needed to survive its redirect) dies with the
 *   dialog window; the access token it sends back lives in this object's memory (DialogTokens)
 *   until it nears expiry or the pane closes. Reopening the pane costs one dialog that Entra
 *   usually completes on its own from its session cookie.
 * - localStorage is ruled out: it outlives the session on shared machines, and Outlook on the web
 *   partitions it by top-level site anyway, so the pane and the dialog could not share it.
 * Our code never writes a token anywhere and never logs one; SeptError messages carry codes only.
 */
class MsalAccountManager implements AccountManager {
  private state: Promise<FlowState> | null = null;
  private readonly dialogTokens: DialogTokens;
  /** One interactive request at a time: Office allows one dialog per pane, users one prompt. */
  private interaction: Promise<unknown> = Promise.resolve();
  private readonly timeouts: typeof DEFAULT_TIMEOUTS;

  constructor(private readonly options: AccountManagerOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.dialogTokens = new DialogTokens(options.now ?? Date.now);
  }

  async flow(): Promise<SignInFlow> {
    return (await this.init()).flow;
  }

  async getAccessToken(scopes: readonly string[], options: TokenOptions = {}): Promise<string> {
    const wanted = normalizeScopes(scopes);
    const interactive = options.interactive ?? true;
    const state = await this.init();
    const forceRefresh = options.forceRefresh ?? false;
    if (forceRefresh && state.flow === "dialog") this.dialogTokens.forget(wanted);
    if (state.flow === "dialog") return this.dialogToken(wanted, interactive);
    return nestedToken(state.pca, {
      wanted,
      interactive,
      forceRefresh,
      loginHint: () => this.loginHint(),
      silentMs: this.timeouts.silentMs,
      interactiveMs: this.timeouts.interactiveMs,
      serialized: (task) => this.serialized(task),
      dialogFallback: () =>
        dialogAvailable(this.runtime()) ? () => this.dialogSignIn(wanted) : null,
    });
  }

  async account(): Promise<SignedInAccount | null> {
    const state = await this.init();
    if (state.flow === "dialog") return this.dialogTokens.account;
    return toAccount(state.pca.getActiveAccount() ?? state.pca.getAllAccounts()[0]);
  }

  async clearCache(): Promise<void> {
    this.dialogTokens.clear();
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
        const pca = await connectNestedApp(this.msalConfig(), this.timeouts.nestedInitMs);
        if (pca) return { flow: "nested", pca };
      } catch {
        // The host claims NestedAppAuth but its bridge is missing or silent: use the dialog.
      }
    }
    return { flow: "dialog" };
  }

  // ---- Office dialog fallback -------------------------------------------------------------

  private async dialogToken(wanted: string[], interactive: boolean): Promise<string> {
    const cached = this.dialogTokens.find(wanted);
    if (cached) return cached;
    if (!interactive) {
      throw new SeptError("auth_required", { message: "sign-in needs the user" });
    }
    // Another request may have signed in while this one waited for its turn.
    return this.serialized(async () => this.dialogTokens.find(wanted) ?? this.dialogSignIn(wanted));
  }

  private async dialogSignIn(wanted: string[]): Promise<string> {
    const answer = await this.openDialog({
      mode: "signin",
      scopes: wanted,
      loginHint: this.loginHint(),
    });
    return this.dialogTokens.accept(answer);
  }

  private openDialog(request: AuthDialogRequest) {
    return openAuthDialog(
      this.runtime(),
      {
        authPageUrl: this.options.authPageUrl,
        size: this.options.dialogSize ?? { height: 60, width: 30 },
        timeoutMs: this.timeouts.interactiveMs,
      },
      request,
    );
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
