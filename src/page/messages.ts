/**
 * The verifier page's wording, one catalogue per language (en, fr, de, nl). Every string the
 * page shows comes from here by key; nothing is assembled by concatenation, and a placeholder
 * such as {n} is filled by `format`. test/page/messages.test.ts fails on any key missing from a
 * catalogue. The legal meaning rests on the original-language record: each translation says so.
 */

import type { Verdict } from '../findings.js';

import { LANGUAGES, type Language } from '../report/i18n.js';

export { LANGUAGES, type Language };

const en = {
  title: 'Custody verifier',
  subtitle: 'Checks an evidence bundle offline, in this browser. Nothing is sent anywhere.',
  language: 'Language',
  framing: 'Legal framing of the report’s declaration',
  framing_eu: 'European Union (eIDAS, ISO/IEC 27037)',
  framing_us: 'United States (FRE 902(13)/(14))',
  framing_uk: 'England and Wales (Forensic Science Regulator’s Code)',
  about: 'Version {version}, commit {commit}. SHA-256 of the embedded code: {codeHash}',
  aboutCheck:
    'Compare the SHA-256 of this file with the one published for this release (docs/VERIFYING.md says how).',
  stepBundle: '1. The bundle',
  bundleHelp:
    'The .custody file you received (a bundle, or a journey across ledgers), or an HTML report made by custody, which carries its bundle.',
  stepTrust: '2. What you trust',
  trustHelp:
    'Keys obtained through an official channel, never from the bundle. Either the authority or log keys (and witnesses), or a trust policy file.',
  authorityKeys: 'Authority public keys (base64 or hex, one per line)',
  logKeys: 'Log public keys (base64 or hex, one per line)',
  witnesses: 'Witness keys (vkeys, one per line)',
  quorum: 'Witness cosignatures required (empty: all named; 0: the log key alone)',
  manifest: 'Or a trust policy file (trust manifest, JSON)',
  strict: 'Strict: recorded custody warnings (a broken seal, a digest mismatch) fail',
  stepFile: '3. The evidence file (optional)',
  fileHelp: 'Hashed here, in pieces, never loaded whole and never sent.',
  folderChoose: 'Or a folder (each of its files is hashed here):',
  folderManifest:
    'With a folder: its registered manifest file (.manifest), which names the files that differ:',
  segmentsChoose: 'Or every segment file of one image (case.E01 …, disk.001 …):',
  folderLimits:
    'A folder chooser shows no empty folder: drop the folder onto the evidence box instead. A browser cannot rebuild a file name that is not valid UTF-8.',
  folderMatches:
    'The folder matches its registration: its manifest root and digests are the registered ones.',
  folderRootOnly:
    'The folder’s manifest root is the registered one, but its digests or size were not confirmed: see the problems.',
  folderDiffersNamed:
    'The folder differs from its registration. Its registered manifest names the differences:',
  folderDiffers:
    'The folder differs from its registration. Its registered manifest file, given here, would name the files that differ.',
  folderManifestRefused: 'The manifest file given was not used: {reason}.',
  folderEmptyUnseen:
    '{n} of the removed entries are empty folders, which a folder chooser cannot show: drop the folder instead, or check it with the command-line tool.',
  folderReplaced:
    '{n} file names hold U+FFFD: they may not have been valid UTF-8 on disk, which a browser cannot rebuild; check this folder with the command-line tool.',
  folderAdded: 'Added: {path}',
  folderRemoved: 'Removed: {path}',
  folderChanged: 'Changed: {path}',
  verify: 'Verify',
  hashing: 'Hashing the evidence file: {percent} %',
  hashSkipped: 'The evidence file has a size no registration gives; it was not hashed.',
  verifying: 'Verifying…',
  needBundle: 'Choose the bundle file first.',
  inputError: 'The input was refused ({code}): {message}',
  verdict: 'Verdict',
  took: 'Verified in {ms} ms.',
  problems: 'Problems that decide the verdict',
  warnings: 'Warnings',
  none: 'None.',
  report: 'Report',
  reportOf: 'Report on the bundle of {origin}',
  saveHtml: 'Save the report (HTML)',
  saveJson: 'Save the report (JSON)',
  repeat: 'The same verification with the command-line tool:',
  translationNote: '',
  verdict_VERIFIED: 'VERIFIED',
  verdict_UNANCHORED: 'NOT VERIFIED: not anchored to a key you trust',
  verdict_UNWITNESSED: 'NOT VERIFIED: not witnessed as your policy asks',
  verdict_INCOMPLETE: 'INCOMPLETE: not everything could be checked',
  verdict_FAILED: 'FAILED',
  verdictMeaning_VERIFIED:
    'The record is intact, rests on the key you supplied, and as far as the bundle shows, custody had no gap.',
  verdictMeaning_UNANCHORED: 'The bundle may be intact, but nothing ties it to a key you supplied.',
  verdictMeaning_UNWITNESSED: 'The log key signed it, but the cosignatures your policy asks for are missing.',
  verdictMeaning_INCOMPLETE: 'Some checks could not be made; this is not a finding against the evidence.',
  verdictMeaning_FAILED: 'The record, a signature, a proof or a custody rule failed; see the problems below.',
  disclaimer:
    'This page checks cryptographic facts. It does not certify anything: the responsible expert reviews the report and signs any declaration.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;

const fr: Catalogue = {
  title: 'Vérificateur Custody',
  subtitle: 'Vérifie un dossier de preuve hors ligne, dans ce navigateur. Rien n’est envoyé nulle part.',
  language: 'Langue',
  framing: 'Cadre juridique de la déclaration du rapport',
  framing_eu: 'Union européenne (eIDAS, ISO/IEC 27037)',
  framing_us: 'États-Unis (FRE 902(13)/(14))',
  framing_uk: 'Angleterre et pays de Galles (code du Forensic Science Regulator)',
  about: 'Version {version}, commit {commit}. SHA-256 du code intégré : {codeHash}',
  aboutCheck:
    'Comparez le SHA-256 de ce fichier avec celui publié pour cette version (docs/VERIFYING.md explique comment).',
  stepBundle: '1. Le dossier',
  bundleHelp:
    'Le fichier .custody reçu (un dossier, ou un parcours entre plusieurs registres), ou un rapport HTML produit par custody, qui contient son dossier.',
  stepTrust: '2. Ce en quoi vous avez confiance',
  trustHelp:
    'Des clés obtenues par une voie officielle, jamais depuis le dossier : soit les clés de l’autorité ou du journal (et des témoins), soit un fichier de politique de confiance.',
  authorityKeys: 'Clés publiques de l’autorité (base64 ou hexadécimal, une par ligne)',
  logKeys: 'Clés publiques du journal (base64 ou hexadécimal, une par ligne)',
  witnesses: 'Clés des témoins (vkeys, une par ligne)',
  quorum: 'Cosignatures de témoins exigées (vide : tous les témoins indiqués ; 0 : la seule clé du journal)',
  manifest: 'Ou un fichier de politique de confiance (manifeste, JSON)',
  strict:
    'Strict : les avertissements de garde consignés (scellé rompu, empreinte divergente) font échouer la vérification',
  stepFile: '3. Le fichier de preuve (facultatif)',
  fileHelp: 'Haché ici, par morceaux, jamais chargé en entier et jamais envoyé.',
  folderChoose: 'Ou un dossier (chacun de ses fichiers est haché ici) :',
  folderManifest:
    'Avec un dossier : son fichier manifeste enregistré (.manifest), qui nomme les fichiers différents :',
  segmentsChoose: 'Ou tous les fichiers segments d’une même image (case.E01 …, disk.001 …) :',
  folderLimits:
    'Le sélecteur de dossier ne montre aucun dossier vide : déposez plutôt le dossier sur la zone de la preuve. Un navigateur ne peut pas reconstituer un nom de fichier qui n’est pas de l’UTF-8 valide.',
  folderMatches:
    'Le dossier correspond à son enregistrement : la racine et les empreintes de son manifeste sont celles enregistrées.',
  folderRootOnly:
    'La racine du manifeste du dossier est celle enregistrée, mais ses empreintes ou sa taille n’ont pas été confirmées : voir les problèmes.',
  folderDiffersNamed:
    'Le dossier diffère de son enregistrement. Son manifeste enregistré nomme les différences :',
  folderDiffers:
    'Le dossier diffère de son enregistrement. Son fichier manifeste enregistré, fourni ici, nommerait les fichiers différents.',
  folderManifestRefused: 'Le fichier manifeste fourni n’a pas été utilisé : {reason}.',
  folderEmptyUnseen:
    '{n} des entrées supprimées sont des dossiers vides, que le sélecteur de dossier ne peut pas montrer : déposez plutôt le dossier, ou vérifiez-le avec l’outil en ligne de commande.',
  folderReplaced:
    '{n} noms de fichier contiennent U+FFFD : ils n’étaient peut-être pas de l’UTF-8 valide sur le disque, ce qu’un navigateur ne peut pas reconstituer ; vérifiez ce dossier avec l’outil en ligne de commande.',
  folderAdded: 'Ajouté : {path}',
  folderRemoved: 'Supprimé : {path}',
  folderChanged: 'Modifié : {path}',
  verify: 'Vérifier',
  hashing: 'Hachage du fichier de preuve : {percent} %',
  hashSkipped:
    'Le fichier de preuve a une taille qui ne correspond à aucune taille enregistrée ; il n’a pas été haché.',
  verifying: 'Vérification…',
  needBundle: 'Choisissez d’abord le fichier du dossier.',
  inputError: 'Les données fournies ont été refusées ({code}) : {message}',
  verdict: 'Résultat',
  took: 'Vérifié en {ms} ms.',
  problems: 'Problèmes qui déterminent le résultat',
  warnings: 'Avertissements',
  none: 'Aucun.',
  report: 'Rapport',
  reportOf: 'Rapport sur le dossier de {origin}',
  saveHtml: 'Enregistrer le rapport (HTML)',
  saveJson: 'Enregistrer le rapport (JSON)',
  repeat: 'La même vérification avec l’outil en ligne de commande :',
  translationNote:
    'Traduction. La portée juridique repose sur l’enregistrement dans sa langue d’origine (le registre signé et le rapport en anglais) ; les messages propres au vérificateur (problèmes, avertissements) sont cités en anglais.',
  verdict_VERIFIED: 'VÉRIFIÉ',
  verdict_UNANCHORED: 'NON VÉRIFIÉ : non rattaché à une clé en laquelle vous avez confiance',
  verdict_UNWITNESSED: 'NON VÉRIFIÉ : non attesté par les témoins que votre politique exige',
  verdict_INCOMPLETE: 'INCOMPLET : tout n’a pas pu être vérifié',
  verdict_FAILED: 'ÉCHEC',
  verdictMeaning_VERIFIED:
    'L’enregistrement est intact, repose sur la clé que vous avez fournie et, pour autant que le dossier le montre, la garde n’a connu aucune interruption.',
  verdictMeaning_UNANCHORED:
    'Le dossier est peut-être intact, mais rien ne le rattache à une clé que vous avez fournie.',
  verdictMeaning_UNWITNESSED:
    'La clé du journal l’a signé, mais les cosignatures exigées par votre politique manquent.',
  verdictMeaning_INCOMPLETE:
    'Certaines vérifications n’ont pas pu être faites ; ce n’est pas une constatation défavorable à l’élément de preuve.',
  verdictMeaning_FAILED:
    'La vérification a échoué sur l’enregistrement, une signature, une preuve ou une règle de garde ; voir les problèmes ci-dessous.',
  disclaimer:
    'Cette page vérifie des faits cryptographiques. Elle ne certifie rien : l’expert responsable examine le rapport et signe toute déclaration.',
};

const de: Catalogue = {
  title: 'Custody-Prüfprogramm',
  subtitle: 'Prüft ein Beweismittelpaket offline in diesem Browser. Es wird nichts versendet.',
  language: 'Sprache',
  framing: 'Rechtlicher Rahmen der Erklärung im Bericht',
  framing_eu: 'Europäische Union (eIDAS, ISO/IEC 27037)',
  framing_us: 'Vereinigte Staaten (FRE 902(13)/(14))',
  framing_uk: 'England und Wales (Code des Forensic Science Regulator)',
  about: 'Version {version}, Commit {commit}. SHA-256 des eingebetteten Codes: {codeHash}',
  aboutCheck:
    'Vergleichen Sie den SHA-256-Wert dieser Datei mit dem für diese Version veröffentlichten Wert (wie, steht in docs/VERIFYING.md).',
  stepBundle: '1. Das Paket',
  bundleHelp:
    'Die erhaltene .custody-Datei (ein Paket oder ein Weg über mehrere Register) oder ein von custody erstellter HTML-Bericht, der sein Paket enthält.',
  stepTrust: '2. Worauf Sie vertrauen',
  trustHelp:
    'Schlüssel, die Sie auf amtlichem Weg erhalten haben, nie aus dem Paket: entweder die Schlüssel der Behörde oder des Protokolls (und Zeugen) oder eine Vertrauensrichtlinie.',
  authorityKeys: 'Öffentliche Schlüssel der Behörde (Base64 oder hexadezimal, einer je Zeile)',
  logKeys: 'Öffentliche Schlüssel des Protokolls (Base64 oder hexadezimal, einer je Zeile)',
  witnesses: 'Schlüssel der Zeugen (vkeys, einer je Zeile)',
  quorum: 'Erforderliche Zeugen-Mitsignaturen (leer: alle genannten; 0: nur der Protokollschlüssel)',
  manifest: 'Oder eine Vertrauensrichtlinie (Manifest, JSON)',
  strict:
    'Streng: aufgezeichnete Gewahrsamswarnungen (gebrochenes Siegel, abweichender Hashwert) führen zum Scheitern',
  stepFile: '3. Die Beweisdatei (optional)',
  fileHelp: 'Wird hier stückweise gehasht, nie ganz geladen und nie versendet.',
  folderChoose: 'Oder ein Ordner (jede seiner Dateien wird hier gehasht):',
  folderManifest:
    'Zu einem Ordner: seine registrierte Manifestdatei (.manifest), die abweichende Dateien nennt:',
  segmentsChoose: 'Oder alle Segmentdateien eines Abbilds (case.E01 …, disk.001 …):',
  folderLimits:
    'Die Ordnerauswahl zeigt keine leeren Ordner: Ziehen Sie den Ordner stattdessen auf das Feld der Beweisdatei. Ein Browser kann keinen Dateinamen nachbilden, der kein gültiges UTF-8 ist.',
  folderMatches:
    'Der Ordner entspricht seiner Registrierung: Wurzel und Hashwerte seines Manifests sind die registrierten.',
  folderRootOnly:
    'Die Manifestwurzel des Ordners ist die registrierte, aber seine Hashwerte oder seine Größe wurden nicht bestätigt: siehe die Probleme.',
  folderDiffersNamed:
    'Der Ordner weicht von seiner Registrierung ab. Sein registriertes Manifest nennt die Abweichungen:',
  folderDiffers:
    'Der Ordner weicht von seiner Registrierung ab. Seine registrierte Manifestdatei, hier angegeben, würde die abweichenden Dateien nennen.',
  folderManifestRefused: 'Die angegebene Manifestdatei wurde nicht verwendet: {reason}.',
  folderEmptyUnseen:
    '{n} der entfernten Einträge sind leere Ordner, die eine Ordnerauswahl nicht zeigen kann: Ziehen Sie den Ordner stattdessen auf die Seite oder prüfen Sie ihn mit dem Kommandozeilenprogramm.',
  folderReplaced:
    '{n} Dateinamen enthalten U+FFFD: Sie waren auf dem Datenträger vielleicht kein gültiges UTF-8, was ein Browser nicht nachbilden kann; prüfen Sie diesen Ordner mit dem Kommandozeilenprogramm.',
  folderAdded: 'Hinzugefügt: {path}',
  folderRemoved: 'Entfernt: {path}',
  folderChanged: 'Geändert: {path}',
  verify: 'Prüfen',
  hashing: 'Beweisdatei wird gehasht: {percent} %',
  hashSkipped: 'Die Beweisdatei hat eine Größe, die keine Registrierung nennt; sie wurde nicht gehasht.',
  verifying: 'Prüfung läuft…',
  needBundle: 'Wählen Sie zuerst die Paketdatei.',
  inputError: 'Die Eingabe wurde abgelehnt ({code}): {message}',
  verdict: 'Ergebnis',
  took: 'Geprüft in {ms} ms.',
  problems: 'Probleme, die das Ergebnis bestimmen',
  warnings: 'Warnungen',
  none: 'Keine.',
  report: 'Bericht',
  reportOf: 'Bericht über das Paket von {origin}',
  saveHtml: 'Bericht speichern (HTML)',
  saveJson: 'Bericht speichern (JSON)',
  repeat: 'Dieselbe Prüfung mit dem Kommandozeilenprogramm:',
  translationNote:
    'Übersetzung. Die rechtliche Bedeutung beruht auf der Aufzeichnung in ihrer Originalsprache (dem signierten Register und dem englischen Bericht); bei Abweichungen ist das Original maßgeblich.',
  verdict_VERIFIED: 'VERIFIZIERT',
  verdict_UNANCHORED: 'NICHT VERIFIZIERT: in keinem Schlüssel verankert, dem Sie vertrauen',
  verdict_UNWITNESSED: 'NICHT VERIFIZIERT: nicht so bezeugt, wie Ihre Richtlinie es verlangt',
  verdict_INCOMPLETE: 'UNVOLLSTÄNDIG: nicht alles konnte geprüft werden',
  verdict_FAILED: 'GESCHEITERT',
  verdictMeaning_VERIFIED:
    'Die Aufzeichnung ist unversehrt, beruht auf dem von Ihnen angegebenen Schlüssel, und soweit das Paket zeigt, war die Beweismittelkette lückenlos.',
  verdictMeaning_UNANCHORED:
    'Das Paket mag unversehrt sein, aber nichts bindet es an einen von Ihnen angegebenen Schlüssel.',
  verdictMeaning_UNWITNESSED:
    'Der Protokollschlüssel hat signiert, aber die von Ihrer Richtlinie verlangten Mitsignaturen fehlen.',
  verdictMeaning_INCOMPLETE:
    'Einige Prüfungen konnten nicht durchgeführt werden; das ist kein Befund gegen das Beweismittel.',
  verdictMeaning_FAILED:
    'Bei der Aufzeichnung, einer Signatur, einem Nachweis oder einer Gewahrsamsregel ist die Prüfung fehlgeschlagen; siehe die Probleme unten.',
  disclaimer:
    'Diese Seite prüft kryptographische Tatsachen. Sie bescheinigt nichts: Der verantwortliche Sachverständige prüft den Bericht und unterzeichnet jede Erklärung.',
};

const nl: Catalogue = {
  title: 'Custody-verificatie',
  subtitle: 'Controleert een bewijspakket offline, in deze browser. Er wordt niets verzonden.',
  language: 'Taal',
  framing: 'Juridisch kader van de verklaring in het rapport',
  framing_eu: 'Europese Unie (eIDAS, ISO/IEC 27037)',
  framing_us: 'Verenigde Staten (FRE 902(13)/(14))',
  framing_uk: 'Engeland en Wales (code van de Forensic Science Regulator)',
  about: 'Versie {version}, commit {commit}. SHA-256 van de ingebouwde code: {codeHash}',
  aboutCheck:
    'Vergelijk de SHA-256 van dit bestand met de waarde die voor deze versie is gepubliceerd (docs/VERIFYING.md legt uit hoe).',
  stepBundle: '1. Het pakket',
  bundleHelp:
    'Het ontvangen .custody-bestand (een pakket, of een traject langs meerdere registers), of een HTML-rapport van custody, dat zijn pakket bevat.',
  stepTrust: '2. Wat u vertrouwt',
  trustHelp:
    'Sleutels die u langs officiële weg hebt verkregen, nooit uit het pakket: de sleutels van de autoriteit of het logboek (en getuigen), of een vertrouwensbeleid.',
  authorityKeys: 'Publieke sleutels van de autoriteit (base64 of hexadecimaal, één per regel)',
  logKeys: 'Publieke sleutels van het logboek (base64 of hexadecimaal, één per regel)',
  witnesses: 'Sleutels van getuigen (vkeys, één per regel)',
  quorum: 'Vereiste medeondertekeningen van getuigen (leeg: alle genoemde; 0: alleen de logboeksleutel)',
  manifest: 'Of een vertrouwensbeleid (manifest, JSON)',
  strict: 'Strikt: vastgelegde waarschuwingen (verbroken zegel, afwijkende hashwaarde) leiden tot afkeuring',
  stepFile: '3. Het bewijsbestand (optioneel)',
  fileHelp: 'Wordt hier in delen gehasht, nooit in zijn geheel geladen en nooit verzonden.',
  folderChoose: 'Of een map (elk van haar bestanden wordt hier gehasht):',
  folderManifest:
    'Bij een map: haar geregistreerde manifestbestand (.manifest), dat de afwijkende bestanden noemt:',
  segmentsChoose: 'Of alle segmentbestanden van één image (case.E01 …, disk.001 …):',
  folderLimits:
    'De mapkiezer toont geen lege mappen: sleep de map in plaats daarvan naar het vak van het bewijs. Een browser kan een bestandsnaam die geen geldige UTF-8 is niet nabouwen.',
  folderMatches:
    'De map komt overeen met haar registratie: de wortel en de hashwaarden van haar manifest zijn de geregistreerde.',
  folderRootOnly:
    'De manifestwortel van de map is de geregistreerde, maar haar hashwaarden of grootte zijn niet bevestigd: zie de problemen.',
  folderDiffersNamed:
    'De map wijkt af van haar registratie. Haar geregistreerde manifest noemt de verschillen:',
  folderDiffers:
    'De map wijkt af van haar registratie. Haar geregistreerde manifestbestand, hier opgegeven, zou de afwijkende bestanden noemen.',
  folderManifestRefused: 'Het opgegeven manifestbestand is niet gebruikt: {reason}.',
  folderEmptyUnseen:
    '{n} van de verwijderde vermeldingen zijn lege mappen, die een mapkiezer niet kan tonen: sleep de map in plaats daarvan naar de pagina, of controleer haar met het opdrachtregelprogramma.',
  folderReplaced:
    '{n} bestandsnamen bevatten U+FFFD: zij waren op de schijf misschien geen geldige UTF-8, wat een browser niet kan nabouwen; controleer deze map met het opdrachtregelprogramma.',
  folderAdded: 'Toegevoegd: {path}',
  folderRemoved: 'Verwijderd: {path}',
  folderChanged: 'Gewijzigd: {path}',
  verify: 'Controleren',
  hashing: 'Bewijsbestand wordt gehasht: {percent} %',
  hashSkipped: 'Het bewijsbestand heeft een grootte die geen registratie vermeldt; het is niet gehasht.',
  verifying: 'Bezig met controleren…',
  needBundle: 'Kies eerst het pakketbestand.',
  inputError: 'De invoer is geweigerd ({code}): {message}',
  verdict: 'Uitkomst',
  took: 'Gecontroleerd in {ms} ms.',
  problems: 'Problemen die de uitkomst bepalen',
  warnings: 'Waarschuwingen',
  none: 'Geen.',
  report: 'Rapport',
  reportOf: 'Rapport over het pakket van {origin}',
  saveHtml: 'Rapport opslaan (HTML)',
  saveJson: 'Rapport opslaan (JSON)',
  repeat: 'Dezelfde controle met het opdrachtregelprogramma:',
  translationNote:
    'Vertaling. De juridische betekenis berust op de vastlegging in de oorspronkelijke taal; de eigen meldingen van de verificatiesoftware bij problemen en waarschuwingen worden in het Engels weergegeven.',
  verdict_VERIFIED: 'GEVERIFIEERD',
  verdict_UNANCHORED: 'NIET GEVERIFIEERD: niet verankerd aan een sleutel die u vertrouwt',
  verdict_UNWITNESSED: 'NIET GEVERIFIEERD: niet bevestigd door getuigen zoals uw beleid vereist',
  verdict_INCOMPLETE: 'ONVOLLEDIG: niet alles kon worden gecontroleerd',
  verdict_FAILED: 'AFGEKEURD',
  verdictMeaning_VERIFIED:
    'De vastlegging is intact, berust op de sleutel die u opgaf, en voor zover het pakket toont, was de bewaarketen zonder onderbreking.',
  verdictMeaning_UNANCHORED:
    'Het pakket is misschien intact, maar niets verbindt het met een sleutel die u opgaf.',
  verdictMeaning_UNWITNESSED:
    'De logboeksleutel heeft het ondertekend, maar de medeondertekeningen die uw beleid vereist, ontbreken.',
  verdictMeaning_INCOMPLETE:
    'Sommige controles konden niet worden uitgevoerd; dat is geen bevinding tegen het bewijs.',
  verdictMeaning_FAILED:
    'De controle van de vastlegging, een handtekening of een bewijs is niet geslaagd, of een regel van de bewaarketen is geschonden; zie de problemen hieronder.',
  disclaimer:
    'Deze pagina controleert cryptografische feiten. Zij certificeert niets: de verantwoordelijke deskundige beoordeelt het rapport en ondertekent elke verklaring.',
};

export const CATALOGUES: Record<Language, Catalogue> = { en, fr, de, nl };

/** The message for `key` in `lang`, its {placeholders} filled from `args`. */
export function format(lang: Language, key: MessageKey, args: Record<string, string | number> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in args ? String(args[name]) : m,
  );
}

/** The verdict's words, and what they mean, in the page's language. */
export const verdictKey = (verdict: Verdict): MessageKey => `verdict_${verdict}`;
export const meaningKey = (verdict: Verdict): MessageKey => `verdictMeaning_${verdict}`;
