// One command for one user, as the CLI, the queue worker and the HTTP trigger all run it.
import { SeptError } from "../core/errors.js";
import type { RunInfo } from "./checkpoint.js";
import {
  deleteUser,
  exportUser,
  purgeUser,
  repairUser,
  withdrawUser,
  type ExportSink,
  type OperationResult,
  type RunClock,
} from "./operations.js";
import type { TenantRuntime } from "./runtime.js";
import type { TenantUser } from "./user-services.js";

export interface PerformOptions {
  /** Where `export` writes the archive. */
  exportSink?: (user: TenantUser) => ExportSink;
  /** Reconcile's grace for leftovers of saves that may still be running (default 10 minutes). */
  repairGraceMs?: number;
  signal?: AbortSignal;
}

/** Runs `run.command` for one user under the run's clock and request. */
export async function performCommand(
  runtime: TenantRuntime,
  run: RunInfo,
  user: TenantUser,
  options: PerformOptions = {},
): Promise<OperationResult> {
  const services = runtime.servicesFor(user);
  const clock: RunClock = {
    now: new Date(run.now),
    dryRun: run.dryRun,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const request = () => {
    if (!run.reference || !run.recordedBy) {
      throw new SeptError("bad_request", {
        message: `'${run.command}' needs the request's reference and who acted.`,
      });
    }
    return {
      reference: run.reference,
      recordedBy: run.recordedBy,
      requestedAt: run.requestedAt ?? run.now,
      at: new Date(run.now),
    };
  };
  switch (run.command) {
    case "purge":
      return purgeUser(services, runtime.orgPolicy, clock);
    case "repair":
      return repairUser(services, clock, options.repairGraceMs);
    case "withdraw":
      return withdrawUser(services, runtime.orgPolicy.requiredPolicyVersion, request(), clock);
    case "delete":
      return deleteUser(services, request(), clock);
    case "export": {
      const sink = options.exportSink?.(user);
      if (!sink && !run.dryRun) {
        throw new SeptError("bad_request", { message: "'export' needs somewhere to write." });
      }
      return exportUser(
        services,
        {
          language: runtime.config.language,
          // A dry run writes nothing: it only counts.
          sink: sink ?? { write() {}, close() {} },
          parties: runtime.orgPolicy.receipt,
        },
        clock,
      );
    }
  }
}

/** A run id people can read in a report and a table: the command and the run's clock. */
export function newRunId(command: string, now: Date): string {
  return `${command}-${now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")}`;
}
