/** English strings: the reference dictionary. Every key here must exist in every language. */
export const en = {
  "app.title": "SEPT for Outlook",
  "app.loading": "Loading…",
  "nav.label": "SEPT sections",
  "nav.message": "Message",
  "message.heading": "Current message",
  "message.subject": "Subject",
  "message.from": "From",
  "message.date": "Date",
  "message.attachments": "{count} attachment(s)",
  "message.noSubject": "(no subject)",
  "message.none": "Select a message in Outlook to save it to SEPT.",
  "message.compose":
    "SEPT saves messages you have received or sent. Drafts being written cannot be saved.",
  "message.pinnedHint": "Pin this pane to keep it open as you move between messages.",
  "host.unsupported": "This version of Outlook lacks a feature SEPT needs ({feature}).",
  "errors.consent_required": "SEPT needs your permission before it can save this.",
  "errors.no_item": "No message is selected.",
  "errors.compose_mode": "This message is still a draft. Send it or save it first.",
  "errors.unsupported_host": "This version of Outlook does not support this action.",
  "errors.office_call_failed": "Outlook could not complete the request. Try again.",
  "errors.auth_required": "Your sign-in has expired. Sign in again to continue.",
  "errors.access_denied": "Microsoft 365 refused access to SEPT storage. Ask your administrator.",
  "errors.not_found": "The item was not found. It may have been moved or deleted.",
  "errors.conflict": "The item changed at the same time elsewhere. Try again.",
  "errors.precondition_failed": "The item changed at the same time elsewhere. Try again.",
  "errors.throttled": "Microsoft 365 is busy. SEPT will retry in {seconds} s.",
  "errors.service_unavailable": "Microsoft 365 is temporarily unavailable. Try again in a moment.",
  "errors.timeout": "Microsoft 365 took too long to answer. Try again.",
  "errors.quota_full": "Your OneDrive storage is full. Free up space and try again.",
  "errors.too_large": "This message is too large to save.",
  "errors.protected_message":
    "This message is encrypted or rights-protected, so SEPT cannot save it.",
  "errors.bad_request": "The request was refused as malformed.",
  "errors.network": "No connection to Microsoft 365. Check your network and try again.",
  "errors.unknown": "Something went wrong. Nothing was lost; try again.",
  "errors.retention_out_of_bounds":
    "Choose a whole number of days between {min} and {max}: your organisation’s limits.",
  "errors.retention_forever_not_allowed":
    "Your organisation does not allow keeping emails until you delete them. Choose up to {max} days.",
  "nav.privacy": "Privacy",
  "consent.title": "Before SEPT saves anything",
  "consent.intro":
    "SEPT for Outlook saves the emails you choose to SEPT storage in your Microsoft 365 account, linked to your projects. Nothing leaves Outlook until you allow it here.",
  "consent.choose": "What may SEPT save?",
  "consent.metadata.label": "Email details (metadata)",
  "consent.metadata.help":
    "Sender, recipients, subject, dates and message ids of each email you save. Needed to save any email and link it to a project.",
  "consent.content.label": "Email content",
  "consent.content.help":
    "The body and attachments of each email you save, kept as the original .eml file. Needs email details.",
  "consent.why": "Why: to keep the emails you choose, search them and link them to projects.",
  "consent.where":
    "Where: in your Microsoft 365 storage (the SEPT app folder of your OneDrive), read and written through Microsoft Graph.",
  "consent.howLong":
    "How long: until you delete them, or until your retention setting removes them.",
  "consent.who":
    "Who sees it: you, and whoever your organisation lets into your SEPT storage. SEPT does not sell your data.",
  "consent.withdrawInfo":
    "You can withdraw this permission at any time under Privacy, in one step.",
  "consent.policyLink": "Read the full privacy policy (version {version})",
  "consent.allow": "Allow",
  "consent.notNow": "Not now",
  "consent.allowHint": "Choose at least email details to allow saving.",
  "consent.saving": "Saving your choice…",
  "consent.outdated.title": "The privacy policy has changed",
  "consent.outdated.body":
    "SEPT's privacy policy is now version {version}. Saving is paused until you review what changed and choose again.",
  "consent.outdated.noSummary": "No summary of the changes is available: please read the policy.",
  "consent.withdrawn.body":
    "You withdrew your permission on {date}. SEPT saves nothing until you allow it again.",
  "consent.declined.title": "Saving is off",
  "consent.declined.body":
    "You chose not to allow saving for now. You can still read the privacy policy, and allow saving whenever you like.",
  "consent.declined.review": "Choose permissions",
  "consent.loading": "Checking your privacy choices…",
  "consent.loadFailed": "Your privacy choices could not be read, so saving is off. {reason}",
  "consent.retry": "Try again",
  "consent.granted.metadata": "email details",
  "consent.granted.content": "email content",
  "privacy.title": "Privacy",
  "privacy.current.granted":
    "You allowed SEPT to save {purposes} on {date} (privacy policy {version}).",
  "privacy.current.none": "You have not allowed SEPT to save emails.",
  "privacy.current.outdated":
    "Your permission was given under an earlier privacy policy ({version}); saving is paused until you choose again.",
  "privacy.current.withdrawn": "You withdrew your permission on {date}.",
  "privacy.withdraw": "Withdraw permission",
  "privacy.review": "Review permissions",
  "privacy.policyLink": "Privacy policy (version {version})",
  "privacy.dialog.title": "Withdraw your permission?",
  "privacy.dialog.stop": "Saving stops at once, including a save in progress or waiting.",
  "privacy.dialog.keep":
    "Emails already saved stay until their retention period ends, unless you delete them now.",
  "privacy.dialog.deleteNow": "Also delete every email I saved, now",
  "privacy.dialog.signin":
    "SEPT's Microsoft sign-in permission stays until it is removed: remove it at My Apps (myapps.microsoft.com), or ask your administrator.",
  "privacy.dialog.signout":
    "SEPT forgets the sign-in it holds in this pane. You stay signed in to Outlook and Microsoft 365: where Outlook signs you in to SEPT (nested app authentication), only Outlook can sign you out, and it can give SEPT a new sign-in when the pane next reads your privacy choices.",
  "privacy.dialog.confirm": "Withdraw",
  "privacy.dialog.cancel": "Cancel",
  "privacy.withdrawing": "Withdrawing…",
  "privacy.withdrawn.done": "Permission withdrawn. Saving has stopped.",
  "privacy.withdrawn.deleted": "{count} saved email(s) deleted.",
  "privacy.history.title": "Consent history",
  "privacy.history.empty": "No consent recorded yet.",
  "privacy.history.grant": "Allowed {purposes}",
  "privacy.history.withdrawal": "Withdrawn",
  "privacy.history.policy": "policy {version}",
  "privacy.receipt.download": "Download receipt",
  "privacy.receipt.label": "Download receipt ({date})",
  "errors.cancelled": "The action was cancelled.",
} as const;
