// The tokens the Office dialog sent back, and its account: in this page's memory only, never in
// storage (why: the token-cache note in account-manager.ts).
import { SeptError } from "../../core/errors.js";
import type { SignedInAccount } from "../../core/ports/auth.js";
import type { AuthDialogMessage } from "./auth-dialog-protocol.js";
import { covers } from "./scopes.js";

const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

interface DialogToken {
  accessToken: string;
  expiresOn: number;
  scopes: string[];
}

export class DialogTokens {
  private tokens: DialogToken[] = [];
  private signedIn: SignedInAccount | null = null;

  constructor(private readonly now: () => number) {}

  get account(): SignedInAccount | null {
    return this.signedIn;
  }

  /** A token for these scopes that is not about to expire; drops the ones that are. */
  find(wanted: readonly string[]): string | null {
    const fresh = this.tokens.filter((t) => t.expiresOn - this.now() > RENEW_BEFORE_EXPIRY_MS);
    this.tokens = fresh;
    return fresh.find((t) => covers(t.scopes, wanted))?.accessToken ?? null;
  }

  /** Graph refused a token for these scopes: forget every one that covers them. */
  forget(wanted: readonly string[]): void {
    this.tokens = this.tokens.filter((t) => !covers(t.scopes, wanted));
  }

  clear(): void {
    this.tokens = [];
    this.signedIn = null;
  }

  /** Keeps the token of a sign-in answer and returns it; any other answer is a typed failure. */
  accept(answer: AuthDialogMessage): string {
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
    this.tokens.push({
      accessToken: answer.accessToken,
      expiresOn: answer.expiresOn,
      scopes: answer.scopes,
    });
    this.signedIn = { name: answer.account.name, username: answer.account.username };
    return answer.accessToken;
  }
}
