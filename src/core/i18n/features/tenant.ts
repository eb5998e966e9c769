// What the tenant job prints for administrators (issue 13).
import type { Messages } from "../message-format.js";

export const en = {
  "tenant.users": "{count, plural, one {# user} other {# users}} to visit ({source}).",
  "tenant.resumed":
    "Resuming run {runId} (its clock: {now}): {skipped, plural, one {# user was} other {# users were}} finished by the earlier attempt.",
  "tenant.progress": "[{finished}/{total}] {user}: {status} {counts} ({seconds} s)",
  "tenant.progress.failed": "[{finished}/{total}] {user}: failed, {code}: {message}",
  "tenant.status.done": "done",
  "tenant.status.failed": "failed",
  "tenant.status.wouldDo": "would do",
  "tenant.summary":
    "{command} run {runId}: {done} done, {failed} failed, {skipped} skipped (finished earlier), of {total, plural, one {# user} other {# users}}, in {seconds} s.",
  "tenant.summary.dryRun": "Dry run: nothing was changed.",
  "tenant.summary.interrupted":
    "The run was stopped before every user was handled: run the same command again to resume it.",
  "tenant.column.what": "what",
  "tenant.column.total": "total",
  "tenant.column.user": "user",
  "tenant.column.reason": "reason",
  "tenant.failures": "Users that failed (the next run tries them again):",
  "tenant.report": "Report (JSON): {path}",
  "tenant.exported": "Export written to {path} ({bytes, plural, one {# byte} other {# bytes}}).",
} as const;

export const fr: Messages<typeof en> = {
  "tenant.users":
    "{count, plural, one {# utilisateur} many {# d’utilisateurs} other {# utilisateurs}} à traiter ({source}).",
  "tenant.resumed":
    "Reprise de l’exécution {runId} (son horloge : {now}) : {skipped, plural, one {# utilisateur avait été traité} many {# d’utilisateurs avaient été traités} other {# utilisateurs avaient été traités}} par la tentative précédente.",
  "tenant.progress": "[{finished}/{total}] {user} : {status} {counts} ({seconds} s)",
  "tenant.progress.failed": "[{finished}/{total}] {user} : échec, {code} : {message}",
  "tenant.status.done": "fait",
  "tenant.status.failed": "échec",
  "tenant.status.wouldDo": "ferait",
  "tenant.summary":
    "{command}, exécution {runId} : {done, plural, one {# fait} many {# faits} other {# faits}}, {failed} en échec, {skipped, plural, one {# ignoré (déjà traité)} many {# ignorés (déjà traités)} other {# ignorés (déjà traités)}}, sur {total, plural, one {# utilisateur} many {# d’utilisateurs} other {# utilisateurs}}, en {seconds} s.",
  "tenant.summary.dryRun": "Simulation : rien n’a été modifié.",
  "tenant.summary.interrupted":
    "L’exécution s’est arrêtée avant la fin : relancez la même commande pour la reprendre.",
  "tenant.column.what": "quoi",
  "tenant.column.total": "total",
  "tenant.column.user": "utilisateur",
  "tenant.column.reason": "motif",
  "tenant.failures": "Utilisateurs en échec (la prochaine exécution les reprend) :",
  "tenant.report": "Rapport (JSON) : {path}",
  "tenant.exported":
    "Export écrit dans {path} ({bytes, plural, one {# octet} many {# d’octets} other {# octets}}).",
};
