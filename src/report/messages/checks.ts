/**
 * The checks of a verdict in the report's language (src/report/model-areas.ts): each check's
 * title by id, its result word, and what a failure of an unlisted check concerns. What each
 * check means is in check-meanings.ts. The English titles are the verifier's (CHECKS_V2 in
 * src/verify/bundle-v2-checks.ts; a test keeps them equal); an English report shows the title
 * the verdict carries.
 */
import { messages } from '../i18n.js';

/** Titles by check id: the v2 checks, and "hash-chain" of older verdicts. */
export const CHECK_TITLES = messages({
  en: {
    'bundle-structure': 'Bundle structure',
    anchor: 'Trust anchor',
    'checkpoint-signature': 'Checkpoint signature',
    'witness-quorum': 'Witness cosignatures',
    'inclusion-proofs': 'Inclusion in the log',
    records: 'Entry and statement format',
    signatures: 'Signatures',
    signers: 'Signers entitled to act',
    'custody-rules': 'Custody rules',
    'exhibit-links': 'No missing events',
    'history-complete': 'Nothing left out up to the checkpoint',
    openings: 'Revealed cleartext',
    'recorded-integrity': 'Integrity on every re-check',
    'file-digests': 'The file in hand',
    'hash-chain': 'Hash chain',
  },
  fr: {
    'bundle-structure': 'Structure du dossier',
    anchor: 'Ancre de confiance',
    'checkpoint-signature': 'Signature du point de contrôle',
    'witness-quorum': 'Cosignatures des témoins',
    'inclusion-proofs': 'Inclusion dans le journal',
    records: 'Format des entrées et des déclarations signées',
    signatures: 'Signatures des entrées',
    signers: 'Habilitation des signataires',
    'custody-rules': 'Règles de garde',
    'exhibit-links': 'Aucun événement manquant',
    'history-complete': 'Rien d’omis jusqu’au point de contrôle',
    openings: 'Texte en clair révélé',
    'recorded-integrity': 'Intégrité à chaque nouveau contrôle',
    'file-digests': 'Le fichier présenté',
    'hash-chain': 'Chaînage par empreintes',
  },
  de: {
    'bundle-structure': 'Struktur des Pakets',
    anchor: 'Vertrauensanker',
    'checkpoint-signature': 'Signatur des Prüfpunkts',
    'witness-quorum': 'Mitsignaturen der Zeugen',
    'inclusion-proofs': 'Aufnahme in das Protokoll',
    records: 'Format der Einträge und signierten Erklärungen',
    signatures: 'Signaturen',
    signers: 'Berechtigung der Unterzeichner',
    'custody-rules': 'Gewahrsamsregeln',
    'exhibit-links': 'Keine fehlenden Ereignisse',
    'history-complete': 'Nichts ausgelassen bis zum Prüfpunkt',
    openings: 'Offengelegter Klartext',
    'recorded-integrity': 'Integrität bei jeder Nachprüfung',
    'file-digests': 'Die vorliegende Datei',
    'hash-chain': 'Hash-Verkettung',
  },
  nl: {
    'bundle-structure': 'Structuur van het pakket',
    anchor: 'Vertrouwensanker',
    'checkpoint-signature': 'Handtekening van het controlepunt',
    'witness-quorum': 'Medeondertekeningen van getuigen',
    'inclusion-proofs': 'Opname in het logboek',
    records: 'Formaat van vermeldingen en ondertekende verklaringen',
    signatures: 'Handtekeningen',
    signers: 'Bevoegdheid van de ondertekenaars',
    'custody-rules': 'Regels van de bewaarketen',
    'exhibit-links': 'Geen ontbrekende gebeurtenissen',
    'history-complete': 'Niets weggelaten tot het controlepunt',
    openings: 'Onthulde klaartekst',
    'recorded-integrity': 'Integriteit bij elke hercontrole',
    'file-digests': 'Het voorliggende bestand',
    'hash-chain': 'Hashketen',
  },
});

/** A check's result, as the checks table shows it (the `verdict` field stays the machine value). */
export const CHECK_VERDICTS = messages({
  en: { pass: 'PASSED', fail: 'FAILED', 'not-checked': 'NOT CHECKED' },
  fr: { pass: 'RÉUSSI', fail: 'ÉCHEC', 'not-checked': 'NON VÉRIFIÉ' },
  de: { pass: 'BESTANDEN', fail: 'FEHLGESCHLAGEN', 'not-checked': 'NICHT GEPRÜFT' },
  nl: { pass: 'GESLAAGD', fail: 'NIET GESLAAGD', 'not-checked': 'NIET GECONTROLEERD' },
});

/**
 * What a check this report does not describe concerns, by the area its id falls in; an
 * essential ("core") check gets no such sentence.
 */
export const AREA_MEANINGS = messages({
  en: {
    core: '',
    checkpoint: 'Concerns the signed checkpoint and the proofs that the entries are included in it.',
    witness: 'Concerns the independent witnesses who cosign checkpoints.',
    file: 'Concerns the evidence file you supplied.',
    recorded: 'Concerns digests and seals recorded by receivers and examiners.',
    head: "Concerns the log's statement that no later event of the exhibit exists.",
  },
  fr: {
    core: '',
    checkpoint: 'Concerne le point de contrôle signé et les preuves que les entrées y sont incluses.',
    witness: 'Concerne les témoins indépendants qui cosignent les points de contrôle.',
    file: 'Concerne le fichier de preuve que vous avez fourni.',
    recorded: 'Concerne les empreintes et les scellés consignés par les destinataires et les examinateurs.',
    head: 'Concerne la déclaration du journal selon laquelle il n’existe aucun événement ultérieur de la pièce à conviction.',
  },
  de: {
    core: '',
    checkpoint:
      'Betrifft den signierten Prüfpunkt und die Nachweise, dass die Einträge darin enthalten sind.',
    witness: 'Betrifft die unabhängigen Zeugen, die Prüfpunkte mitsignieren.',
    file: 'Betrifft die von Ihnen angegebene Beweisdatei.',
    recorded: 'Betrifft von Empfängern und Untersuchern aufgezeichnete Hashwerte und Siegel.',
    head: 'Betrifft die Erklärung des Protokolls, dass kein späteres Ereignis des Beweisstücks existiert.',
  },
  nl: {
    core: '',
    checkpoint:
      'Betreft het ondertekende controlepunt en de bewijzen dat de vermeldingen erin zijn opgenomen.',
    witness: 'Betreft de onafhankelijke getuigen die controlepunten medeondertekenen.',
    file: 'Betreft het door u opgegeven bewijsbestand.',
    recorded: 'Betreft hashwaarden en zegels die door ontvangers en onderzoekers zijn vastgelegd.',
    head: 'Betreft de verklaring van het logboek dat er geen latere gebeurtenis van het stuk van overtuiging bestaat.',
  },
});
