// The export's README.txt, in English and French: the archive documents itself, in the user's
// language. A document, not a UI string: kept out of the pane's dictionary (and so out of the
// initial bundle), loaded with the export. Placeholders: {format}; {savedId} and {id} stay as is.
import type { Language } from "../../core/i18n/index.js";

const README_EN = `SEPT for Outlook: a copy of your data
=====================================

This archive holds everything SEPT for Outlook stored for you in your SEPT storage (the
OneDrive app folder "Apps/SEPT for Outlook", or the library your organisation chose), as it was
when you exported it. You asked for it under the privacy policy (access and data portability,
GDPR Articles 15 and 20). Every JSON file is UTF-8, and every field is described below. Times are
ISO 8601 in UTC (e.g. 2026-11-25T10:15:00.000Z) unless said otherwise. File names are built from
identifiers only, never from email subjects or addresses.

Files
-----
README.txt                  This file.
manifest.json               What the archive holds (see "manifest.json" below).
emails/{savedId}.eml        The original message you saved, exactly as Microsoft 365 gave it
                            (MIME, RFC 5322): body and attachments. Open it with any mail program.
                            Absent when you saved the details only.
records/{savedId}.json      The record SEPT keeps of each saved email, byte for byte as stored.
consent/records.json        Every consent you gave or withdrew (your consent ledger).
consent/receipts/{id}.json  A consent receipt for each ledger record, in the Kantara Initiative
                            Consent Receipt Specification v1.1 format.
activity/log.json           The plugin activity log: every save, deletion, purge, correction,
                            export, settings change and consent change, with its hash chain.
projects.json               Your project catalogue. Absent if you never created a project.
settings.json               Your account settings (retention). Absent if you kept the defaults.

records/{savedId}.json
----------------------
schema                  Record format version (1).
savedId                 The identifier of this saved email: the first 32 hex characters of
                        SHA-256 of the message's Internet Message-ID and the project id.
projectId               The SEPT project the email is linked to.
savedAt                 When you saved it. Retention counts from this time.
consentGrantId          The consent record (consent/records.json, "id") it was saved under.
purposes                What was stored: "email_metadata" (details) and, if content was
                        stored, "email_content" (body and attachments).
message.immutableId     The message's id in your Microsoft 365 mailbox when it was saved
                        (for most saves its REST id, which changes if the message moves).
message.internetMessageId  The message's Internet Message-ID header, or null.
message.conversationId  Microsoft 365's conversation (thread) id, or null.
message.subject         The subject.
message.from            The sender: {"name", "address"}, or null.
message.to, message.cc  The recipients: lists of {"name", "address"}.
message.receivedDateTime, message.sentDateTime  When it was received and sent, or null.
message.hasAttachments  Whether it has attachments (Microsoft 365 counts inline images out).
content.stored          true when the .eml was stored; then also:
content.path            Where it was stored (emails/{savedId}.eml).
content.sizeBytes       Its size in bytes.
content.sha256          SHA-256 (hex) of the .eml, to check emails/{savedId}.eml is intact.
note                    Your note on the email, if you added one.

consent/records.json
--------------------
{"schema": 1, "records": [...]}, oldest first. Each record:
kind                    "grant" (you gave consent) or "withdrawal" (you withdrew it).
id                      The record's identifier.
policyVersion           The version of the privacy policy the record refers to.
policyUrl               (grant) Where that policy is published.
purposes                (grant) What you allowed: "email_metadata", "email_content".
grantedAt / withdrawnAt When.
grantId                 (withdrawal) The grant it ended, or null.
collection              How it was collected: method ("taskpane"), addinVersion, host,
                        platform, hostVersion and language of the Outlook you used.

consent/receipts/{id}.json
--------------------------
Kantara Consent Receipt v1.1 fields: version, jurisdiction, consentTimestamp (Unix seconds),
collectionMethod, consentReceiptID (the ledger record's id), language, piiPrincipalId (you),
piiControllers (SEPT Software Inc., its contact and address), policyUrl, services (each with
its purposes: purpose, purposeCategory, consentType, piiCategory, primaryPurpose, termination,
thirdPartyDisclosure), sensitive, spiCat. SEPT adds "sept:policyVersion", "sept:recordKind"
("grant" or "withdrawal") and, for a withdrawal, "sept:grantId".

activity/log.json
-----------------
{"schema": 1, "verified", "problems", "events": [...]}, events oldest first.
verified                true when the integrity check passed: every event's hash matches its
                        content, the one chain runs unbroken from the newest event to the first,
                        no event lies outside it, and every consent record matches the hash its
                        consent event carries. Else "problems" lists each finding:
                        {"kind", "eventId", "seq"?}, kind one of "edited", "gap", "tail_cut",
                        "outside_chain", "head_missing", "head_unreadable", "consent_edited",
                        "consent_missing", "consent_unlogged", and for events of older versions
                        (checked per session) "missing" or "unchained".
                        The check finds accidental corruption, lost files, edits by other apps
                        and partial deletes. It cannot find a complete rewrite of your SEPT
                        storage by someone who can write all of it, you included.
Each event:
id                      The event's identifier.
at                      When it happened.
kind                    consent_granted, consent_withdrawn, email_saved, email_deleted,
                        email_purged (deleted at the end of its retention period),
                        email_corrected, data_exported, settings_changed, all_data_deleted.
outcome                 "success", "failure" or "cancelled".
refs                    Identifiers only: savedId, consentRecordId, grantId...; a consent
                        event also carries consentRecordHash, the SHA-256 of its consent record.
projectId               The project concerned, if any.
sizeBytes               Bytes concerned (a saved .eml, an export), if any.
errorCode               For a failure: an error code, never a message text.
details                 Codes about the event: purposes, reason ("user_request",
                        "consent_withdrawn", "retention"), retention ("P90D" = 90 days, an
                        ISO 8601 duration, or "forever"), oldRetention/newRetention, fields
                        corrected, savedAt of a deleted email, counts.
hash                    SHA-256 (hex) of the event's canonical JSON (keys sorted, without
                        "hash"): change one character of the event and it no longer matches.
seq                     The event's place in your one chain (1 for the first). Absent on events
                        written by older versions, which chained each session on its own.
prevHash                The hash of the event before this one in the chain, or null for the
                        first (older versions: the newest event that session knew of).
Events never hold an email's subject, addresses or content, and never a sign-in token.

projects.json
-------------
{"schema": 1, "projects": [...]}. Each project: id, name, archived (true when you archived it),
createdAt, updatedAt.

settings.json
-------------
schema                  Settings format version (1).
retention               How long stored emails are kept: {"kind": "days", "days": N} (deleted N
                        days after savedAt) or {"kind": "forever"} (kept until you delete them).
                        Your organisation may bound it; the bounded value is what applies.
updatedAt               When you last changed your settings.

manifest.json
-------------
format                  "{format}".
exportedAt              When this archive was made.
principalId             Whom the data is about (your mailbox address).
counts                  emails (saved emails), emlFiles (of which with content), consentRecords,
                        activityEvents.
activityLogVerified     Same as "verified" in activity/log.json.
files                   Every file in the archive.
`;

const README_FR = `SEPT pour Outlook : une copie de vos données
============================================

Cette archive contient tout ce que SEPT pour Outlook a conservé pour vous dans votre stockage
SEPT (le dossier d'application OneDrive « Apps/SEPT for Outlook », ou la bibliothèque choisie par
votre organisation), tel qu'il était au moment de l'exportation. Vous l'avez demandée en vertu de
la politique de confidentialité (droit d'accès et portabilité des données, articles 15 et 20 du
RGPD). Chaque fichier JSON est en UTF-8 et chaque champ est décrit ci-dessous. Les noms de champs
et les codes restent en anglais : ce sont ceux que lisent les programmes. Les dates sont au format
ISO 8601 en UTC (p. ex. 2026-11-25T10:15:00.000Z), sauf indication contraire. Les noms de fichiers
sont faits d'identifiants seulement, jamais d'objets ni d'adresses de courriels.

Fichiers
--------
README.txt                  Ce fichier.
manifest.json               Le contenu de l'archive (voir « manifest.json » plus bas).
emails/{savedId}.eml        Le message original que vous avez enregistré, tel que Microsoft 365
                            l'a fourni (MIME, RFC 5322) : corps et pièces jointes. Il s'ouvre
                            dans tout logiciel de courriel. Absent si vous n'avez enregistré que
                            les détails.
records/{savedId}.json      La fiche que SEPT conserve pour chaque courriel enregistré, octet
                            pour octet telle qu'elle est stockée.
consent/records.json        Chaque consentement donné ou retiré (votre registre de consentement).
consent/receipts/{id}.json  Un reçu de consentement pour chaque entrée du registre, au format
                            Kantara Initiative Consent Receipt Specification v1.1.
activity/log.json           Le journal d'activité du module : chaque enregistrement, suppression,
                            purge, correction, exportation, changement de paramètres et de
                            consentement, avec sa chaîne de hachage.
projects.json               Votre catalogue de projets. Absent si vous n'avez créé aucun projet.
settings.json               Les paramètres de votre compte (conservation). Absent si vous avez
                            gardé les valeurs par défaut.

records/{savedId}.json
----------------------
schema                  Version du format de la fiche (1).
savedId                 L'identifiant de ce courriel enregistré : les 32 premiers caractères
                        hexadécimaux du SHA-256 du Message-ID Internet et de l'identifiant du
                        projet.
projectId               Le projet SEPT auquel le courriel est lié.
savedAt                 Quand vous l'avez enregistré. La conservation se compte à partir de là.
consentGrantId          Le consentement (consent/records.json, « id ») sous lequel il a été
                        enregistré.
purposes                Ce qui a été conservé : « email_metadata » (les détails) et, si le
                        contenu l'a été, « email_content » (corps et pièces jointes).
message.immutableId     L'identifiant du message dans votre boîte aux lettres Microsoft 365
                        lors de l'enregistrement (le plus souvent son identifiant REST, qui
                        change si le message est déplacé).
message.internetMessageId  L'en-tête Message-ID Internet du message, ou null.
message.conversationId  L'identifiant de conversation (fil) Microsoft 365, ou null.
message.subject         L'objet.
message.from            L'expéditeur : {"name", "address"}, ou null.
message.to, message.cc  Les destinataires : des listes de {"name", "address"}.
message.receivedDateTime, message.sentDateTime  Quand il a été reçu et envoyé, ou null.
message.hasAttachments  S'il a des pièces jointes (Microsoft 365 ne compte pas les images
                        intégrées).
content.stored          true quand le fichier .eml a été conservé ; alors aussi :
content.path            Où il a été conservé (emails/{savedId}.eml).
content.sizeBytes       Sa taille en octets.
content.sha256          Le SHA-256 (hexadécimal) du .eml, pour vérifier que
                        emails/{savedId}.eml est intact.
note                    Votre note sur le courriel, si vous en avez ajouté une.

consent/records.json
--------------------
{"schema": 1, "records": [...]}, du plus ancien au plus récent. Chaque entrée :
kind                    « grant » (vous avez consenti) ou « withdrawal » (vous avez retiré
                        votre consentement).
id                      L'identifiant de l'entrée.
policyVersion           La version de la politique de confidentialité visée.
policyUrl               (grant) Où cette politique est publiée.
purposes                (grant) Ce que vous avez permis : « email_metadata », « email_content ».
grantedAt / withdrawnAt Quand.
grantId                 (withdrawal) Le consentement qu'il a retiré, ou null.
collection              Comment il a été recueilli : méthode (« taskpane »), addinVersion,
                        host, platform, hostVersion et language de l'Outlook utilisé.

consent/receipts/{id}.json
--------------------------
Champs du reçu Kantara v1.1 : version, jurisdiction, consentTimestamp (secondes Unix),
collectionMethod, consentReceiptID (l'identifiant de l'entrée du registre), language,
piiPrincipalId (vous), piiControllers (SEPT Software Inc., son contact et son adresse), policyUrl,
services (chacun avec ses finalités : purpose, purposeCategory, consentType, piiCategory,
primaryPurpose, termination, thirdPartyDisclosure), sensitive, spiCat. SEPT ajoute
« sept:policyVersion », « sept:recordKind » (« grant » ou « withdrawal ») et, pour un retrait,
« sept:grantId ».

activity/log.json
-----------------
{"schema": 1, "verified", "problems", "events": [...]}, événements du plus ancien au plus récent.
verified                true quand la vérification d'intégrité a réussi : le hachage de chaque
                        événement correspond à son contenu, la chaîne unique va sans rupture du
                        plus récent au premier, aucun événement n'est hors de la chaîne, et
                        chaque enregistrement de consentement correspond au hachage que porte
                        son événement. Sinon « problems » nomme chaque constat :
                        {"kind", "eventId", "seq"?}, kind parmi « edited », « gap »,
                        « tail_cut », « outside_chain », « head_missing », « head_unreadable »,
                        « consent_edited », « consent_missing », « consent_unlogged » et, pour
                        les événements des versions antérieures (vérifiés session par session),
                        « missing » ou « unchained ».
                        La vérification détecte une corruption accidentelle, des fichiers
                        perdus, des modifications par d'autres applications et des suppressions
                        partielles. Elle ne peut pas détecter une réécriture complète de votre
                        stockage SEPT par quelqu'un qui peut tout y écrire, vous compris.
Chaque événement :
id                      L'identifiant de l'événement.
at                      Quand il a eu lieu.
kind                    consent_granted (consentement donné), consent_withdrawn (retiré),
                        email_saved (enregistré), email_deleted (supprimé), email_purged
                        (supprimé à la fin de sa durée de conservation), email_corrected
                        (corrigé), data_exported (exportation), settings_changed (paramètres
                        modifiés), all_data_deleted (toutes les données supprimées).
outcome                 « success », « failure » ou « cancelled ».
refs                    Des identifiants seulement : savedId, consentRecordId, grantId... ; un
                        événement de consentement porte aussi consentRecordHash, le SHA-256 de
                        son enregistrement de consentement.
projectId               Le projet concerné, s'il y a lieu.
sizeBytes               Les octets concernés (un .eml enregistré, une exportation), s'il y a lieu.
errorCode               Pour un échec : un code d'erreur, jamais un texte de message.
details                 Des codes sur l'événement : purposes, reason (« user_request » : à votre
                        demande, « consent_withdrawn » : retrait du consentement, « retention » :
                        fin de conservation), retention (« P90D » = 90 jours, une durée
                        ISO 8601, ou « forever »), oldRetention/newRetention, champs corrigés,
                        savedAt d'un courriel supprimé, décomptes.
hash                    Le SHA-256 (hexadécimal) du JSON canonique de l'événement (clés triées,
                        sans « hash ») : changez un seul caractère de l'événement et il ne
                        correspond plus.
seq                     La place de l'événement dans votre chaîne unique (1 pour le premier).
                        Absent des événements écrits par les versions antérieures, qui
                        chaînaient chaque session à part.
prevHash                Le hachage de l'événement qui le précède dans la chaîne, ou null pour le
                        premier (versions antérieures : le plus récent que la session
                        connaissait).
Les événements ne contiennent jamais l'objet, les adresses ni le contenu d'un courriel, ni aucun
jeton de connexion.

projects.json
-------------
{"schema": 1, "projects": [...]}. Chaque projet : id, name (nom), archived (true si vous l'avez
archivé), createdAt, updatedAt.

settings.json
-------------
schema                  Version du format des paramètres (1).
retention               Combien de temps les courriels sont conservés : {"kind": "days",
                        "days": N} (supprimés N jours après savedAt) ou {"kind": "forever"}
                        (conservés jusqu'à ce que vous les supprimiez). Votre organisation peut
                        l'encadrer ; c'est la valeur encadrée qui s'applique.
updatedAt               Quand vous avez modifié vos paramètres pour la dernière fois.

manifest.json
-------------
format                  « {format} ».
exportedAt              Quand cette archive a été faite.
principalId             La personne concernée (votre adresse de boîte aux lettres).
counts                  emails (courriels enregistrés), emlFiles (dont avec contenu),
                        consentRecords, activityEvents.
activityLogVerified     Comme « verified » dans activity/log.json.
files                   Chaque fichier de l'archive.
`;

export const EXPORT_README: Readonly<Record<Language, string>> = { en: README_EN, fr: README_FR };
