// The retention card: how long stored emails are kept, and purges.
import type { Messages } from "../message-format.js";

export const en = {
  "retention.heading": "Retention",
  "retention.explain":
    "Stored emails are deleted automatically when their retention period ends. Purges run while the add-in is open.",
  "retention.label": "Keep stored emails for",
  "retention.days": "{days, plural, one {# day} other {# days}}",
  "retention.custom": "Custom",
  "retention.customDays": "Number of days",
  "retention.forever": "Until I delete them",
  "retention.bounds":
    "Your organisation allows {min} to {max, plural, one {# day} other {# days}}.",
  "retention.apply": "Apply",
  "retention.saved": "Retention saved.",
  "retention.confirm.title": "Purge {count, plural, one {# email} other {# emails}} now?",
  "retention.confirm.body":
    "With this setting, {count, plural, one {# stored email is already past its retention period and will be deleted} other {# stored emails are already past their retention period and will be deleted}} at once.",
  "retention.confirm.apply": "Apply and purge",
  "retention.purgeNow": "Purge now",
  "retention.purged":
    "{count, plural, one {# expired email purged.} other {# expired emails purged.}}",
} as const;

export const fr: Messages<typeof en> = {
  "retention.heading": "Conservation",
  "retention.explain":
    "Les courriels enregistrés sont supprimés automatiquement à la fin de leur durée de conservation. Les purges ont lieu lorsque le complément est ouvert.",
  "retention.label": "Conserver les courriels enregistrés",
  "retention.days": "{days, plural, one {# jour} many {# de jours} other {# jours}}",
  "retention.custom": "Personnalisé",
  "retention.customDays": "Nombre de jours",
  "retention.forever": "Jusqu’à ce que je les supprime",
  "retention.bounds":
    "Votre organisation autorise de {min} à {max, plural, one {# jour} many {# de jours} other {# jours}}.",
  "retention.apply": "Appliquer",
  "retention.saved": "Durée de conservation enregistrée.",
  "retention.confirm.title":
    "Purger {count, plural, one {# courriel} many {# de courriels} other {# courriels}} maintenant ?",
  "retention.confirm.body":
    "Avec ce paramètre, {count, plural, one {# courriel enregistré a déjà dépassé sa durée de conservation et sera supprimé} many {# de courriels enregistrés ont déjà dépassé leur durée de conservation et seront supprimés} other {# courriels enregistrés ont déjà dépassé leur durée de conservation et seront supprimés}} immédiatement.",
  "retention.confirm.apply": "Appliquer et purger",
  "retention.purgeNow": "Purger maintenant",
  "retention.purged":
    "{count, plural, one {# courriel expiré purgé.} many {# de courriels expirés purgés.} other {# courriels expirés purgés.}}",
};
