// Strings for consent, withdrawal and the organisation's policy as the pane shows them. Same keys
// in both languages: the type makes a gap a compile error.
export const en = {
  "errors.content_not_allowed":
    "Your organisation allows SEPT to save email details only, never email content.",
  "orgPolicy.problem.email": "{path} must be an email address.",
  "orgPolicy.problem.country": "{path} must be a two-letter country code (ISO 3166), such as CA.",
  "consent.content.orgForbids":
    "Your organisation allows SEPT to save email details only: email content is never saved.",
  "consent.withdrawing.title": "Your withdrawal is not recorded yet",
  "consent.withdrawing.body":
    "Saving has stopped in this pane. Your withdrawal is kept on this device and written to your SEPT storage as soon as it can be; other Outlook windows stop saving once it is recorded, after at most the message each one is already saving.",
  "consent.withdrawing.failed": "It could not be recorded: {reason}",
  "consent.withdrawing.retry": "Try again",
  "consent.withdrawn.elsewhere":
    "Your permission was withdrawn in another Outlook window on {date}, so saving stopped here too.",
  "consent.withdrawn.privacyOffice":
    "The privacy office recorded your withdrawal on {date} (your request of {requested}), so saving has stopped.",
  "privacy.current.withdrawing":
    "You withdrew your permission and saving has stopped, but the withdrawal is not recorded yet.",
  "privacy.history.byPrivacyOffice": "Withdrawn through the privacy office",
  "privacy.org.title": "Your organisation's policy",
  "privacy.org.file": "Your administrator's policy file applies.",
  "privacy.org.missing":
    "No organisation policy file was found, so SEPT uses its most protective settings.",
  "privacy.org.restrictive":
    "Your organisation's policy file could not be used, so SEPT uses its most protective settings.",
  "privacy.org.content.allowed": "Email content may be saved, if you allow it.",
  "privacy.org.content.forbidden": "Only email details may be saved; email content never is.",
  "privacy.org.controller": "Data controller: {name} ({email}), jurisdiction {jurisdiction}.",
  "privacy.org.processor": "Processing on its behalf: {name}.",
  "privacy.org.policyVersion": "Privacy policy in force: version {version}.",
} as const;

export const fr: { readonly [K in keyof typeof en]: string } = {
  "errors.content_not_allowed":
    "Votre organisation permet à SEPT d’enregistrer seulement les détails des courriels, jamais leur contenu.",
  "orgPolicy.problem.email": "{path} doit être une adresse de courriel.",
  "orgPolicy.problem.country":
    "{path} doit être un code de pays à deux lettres (ISO 3166), comme CA.",
  "consent.content.orgForbids":
    "Votre organisation permet à SEPT d’enregistrer seulement les détails des courriels : leur contenu n’est jamais enregistré.",
  "consent.withdrawing.title": "Votre retrait n’est pas encore inscrit",
  "consent.withdrawing.body":
    "L’enregistrement est arrêté dans ce volet. Votre retrait est conservé sur cet appareil et inscrit dans votre stockage SEPT dès que possible ; les autres fenêtres d’Outlook cessent d’enregistrer une fois qu’il est inscrit, après au plus le message que chacune enregistre déjà.",
  "consent.withdrawing.failed": "Il n’a pas pu être inscrit : {reason}",
  "consent.withdrawing.retry": "Réessayer",
  "consent.withdrawn.elsewhere":
    "Votre autorisation a été retirée dans une autre fenêtre d’Outlook le {date} : l’enregistrement s’est donc arrêté ici aussi.",
  "consent.withdrawn.privacyOffice":
    "Le bureau de la protection de la vie privée a inscrit votre retrait le {date} (votre demande du {requested}) : l’enregistrement est arrêté.",
  "privacy.current.withdrawing":
    "Vous avez retiré votre autorisation et l’enregistrement est arrêté, mais le retrait n’est pas encore inscrit.",
  "privacy.history.byPrivacyOffice": "Retrait par le bureau de la protection de la vie privée",
  "privacy.org.title": "La politique de votre organisation",
  "privacy.org.file": "Le fichier de politique de votre administrateur s’applique.",
  "privacy.org.missing":
    "Aucun fichier de politique de l’organisation n’a été trouvé : SEPT applique ses paramètres les plus protecteurs.",
  "privacy.org.restrictive":
    "Le fichier de politique de votre organisation n’a pas pu être utilisé : SEPT applique ses paramètres les plus protecteurs.",
  "privacy.org.content.allowed":
    "Le contenu des courriels peut être enregistré, si vous l’autorisez.",
  "privacy.org.content.forbidden":
    "Seuls les détails des courriels peuvent être enregistrés ; leur contenu ne l’est jamais.",
  "privacy.org.controller":
    "Responsable du traitement : {name} ({email}), ressort juridique {jurisdiction}.",
  "privacy.org.processor": "Traitement pour son compte : {name}.",
  "privacy.org.policyVersion": "Politique de confidentialité en vigueur : version {version}.",
};
