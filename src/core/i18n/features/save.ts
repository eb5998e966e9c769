// The save panel: project choice, suggestions, content choice and the outcome of one save.
import type { Messages } from "../message-format.js";

export const en = {
  "save.heading": "Save to SEPT",
  "save.project": "Project",
  "save.projectPlaceholder": "Search or create a project",
  "save.projectCreate": "Create project “{name}”",
  "save.projectsEmpty": "No project yet: type a name to create one.",
  "save.suggestion.conversation":
    "Suggested: you saved {count, plural, one {# email} other {# emails}} from this thread to {project}.",
  "save.suggestion.sender_domain":
    "Suggested: you saved {count, plural, one {# email} other {# emails}} from this sender’s organisation to {project}.",
  "save.suggestion.recipient_domain":
    "Suggested: you saved {count, plural, one {# email} other {# emails}} to these recipients’ organisation in {project}.",
  "save.useSuggestion": "Use {project}",
  "save.includeContent": "Include the content (body and attachments)",
  "save.contentNotAllowed":
    "Only the email details will be saved: you allowed details, not content.",
  "save.contentNotAllowedOrg": "Your organisation allows saving email details only.",
  "save.button": "Save",
  "save.saving": "Saving…",
  "save.saved": "Saved to {project}.",
  "save.alreadySaved": "Already saved to {project}: nothing new was stored.",
  "save.eventPending":
    "Its entry in your activity log could not be written yet: SEPT writes it when Microsoft Graph answers again.",
  "save.alreadyIn": "Already saved to {projects}.",
  "save.chooseProject": "Choose a project first.",
  "save.progress": "{percent} % sent",
  "save.failed": "Not saved. {reason}",
  "save.cancel": "Cancel",
} as const;

export const fr: Messages<typeof en> = {
  "save.heading": "Enregistrer dans SEPT",
  "save.project": "Projet",
  "save.projectPlaceholder": "Chercher ou créer un projet",
  "save.projectCreate": "Créer le projet « {name} »",
  "save.projectsEmpty": "Aucun projet : saisissez un nom pour en créer un.",
  "save.suggestion.conversation":
    "Suggestion : vous avez enregistré {count, plural, one {# courriel} many {# de courriels} other {# courriels}} de cette conversation dans {project}.",
  "save.suggestion.sender_domain":
    "Suggestion : vous avez enregistré {count, plural, one {# courriel} many {# de courriels} other {# courriels}} de l’organisation de cet expéditeur dans {project}.",
  "save.suggestion.recipient_domain":
    "Suggestion : vous avez enregistré {count, plural, one {# courriel destiné} many {# de courriels destinés} other {# courriels destinés}} à l’organisation de ces destinataires dans {project}.",
  "save.useSuggestion": "Choisir {project}",
  "save.includeContent": "Inclure le contenu (corps et pièces jointes)",
  "save.contentNotAllowed":
    "Seuls les détails du courriel seront enregistrés : vous avez autorisé les détails, pas le contenu.",
  "save.contentNotAllowedOrg":
    "Votre organisation n’autorise que l’enregistrement des détails des courriels.",
  "save.button": "Enregistrer",
  "save.saving": "Enregistrement…",
  "save.saved": "Enregistré dans {project}.",
  "save.alreadySaved": "Déjà enregistré dans {project} : rien de nouveau n’a été stocké.",
  "save.eventPending":
    "Son entrée dans votre journal d’activité n’a pas encore pu être écrite : SEPT l’écrit dès que Microsoft Graph répond de nouveau.",
  "save.alreadyIn": "Déjà enregistré dans {projects}.",
  "save.chooseProject": "Choisissez d’abord un projet.",
  "save.progress": "{percent} % envoyé",
  "save.failed": "Non enregistré. {reason}",
  "save.cancel": "Annuler",
};
