// The export card: a copy of the user's data.
import type { Messages } from "../message-format.js";

export const en = {
  "export.heading": "A copy of your data",
  "export.explain":
    "Download a ZIP with your stored emails (.eml), their records, your consent receipts and your activity log, in documented JSON.",
  "export.button": "Export my data",
  "export.progress": "Preparing {done} of {total}…",
  "export.done": "Your export is ready and was downloaded.",
} as const;

export const fr: Messages<typeof en> = {
  "export.heading": "Une copie de vos données",
  "export.explain":
    "Téléchargez un ZIP contenant vos courriels enregistrés (.eml), leurs fiches, vos reçus de consentement et votre journal d’activité, en JSON documenté.",
  "export.button": "Exporter mes données",
  "export.progress": "Préparation de {done} sur {total}…",
  "export.done": "Votre export est prêt et a été téléchargé.",
};
