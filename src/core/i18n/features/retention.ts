// The retention card: how long stored emails are kept, and purges.
import type { Messages } from "../message-format.js";

export const en = {
  "retention.heading": "Retention",
  "retention.explain":
    "Stored emails are deleted automatically when their retention period ends. Purges run while the add-in is open.",
  "retention.label": "Keep stored emails for",
  "retention.days": "{days} days",
  "retention.custom": "Custom",
  "retention.customDays": "Number of days",
  "retention.forever": "Until I delete them",
  "retention.bounds": "Your organisation allows {min} to {max} days.",
  "retention.apply": "Apply",
  "retention.saved": "Retention saved.",
  "retention.confirm.title": "Purge {count} email(s) now?",
  "retention.confirm.body":
    "With this setting, {count} stored email(s) are already past their retention period and will be deleted at once.",
  "retention.confirm.apply": "Apply and purge",
  "retention.purgeNow": "Purge now",
  "retention.purged": "{count} expired email(s) purged.",
} as const;

export const fr: Messages<typeof en> = {
  "retention.heading": "Conservation",
  "retention.explain":
    "Les courriels enregistrés sont supprimés automatiquement à la fin de leur durée de conservation. Les purges ont lieu lorsque le complément est ouvert.",
  "retention.label": "Conserver les courriels enregistrés",
  "retention.days": "{days} jours",
  "retention.custom": "Personnalisé",
  "retention.customDays": "Nombre de jours",
  "retention.forever": "Jusqu’à ce que je les supprime",
  "retention.bounds": "Votre organisation autorise de {min} à {max} jours.",
  "retention.apply": "Appliquer",
  "retention.saved": "Durée de conservation enregistrée.",
  "retention.confirm.title": "Purger {count} courriel(s) maintenant ?",
  "retention.confirm.body":
    "Avec ce paramètre, {count} courriel(s) enregistré(s) ont déjà dépassé leur durée de conservation et seront supprimés immédiatement.",
  "retention.confirm.apply": "Appliquer et purger",
  "retention.purgeNow": "Purger maintenant",
  "retention.purged": "{count} courriel(s) expiré(s) purgé(s).",
};
