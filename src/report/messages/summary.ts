/**
 * The report's title, what was verified (the source), the checkpoint in one line and each
 * problem's line, in the report's language (src/report/model.ts). A problem's {code} and
 * {message} are the verifier's, kept as they are. The checkpoint line is its parts joined by
 * the language's list separator.
 */
import { messages } from '../i18n.js';

export const SUMMARY = messages({
  en: {
    title: 'Custody verification report',
    titleOf: 'Custody verification report: {label} ({exhibitId})',
    sourceBundle: 'evidence bundle "{name}"[ ({size})] from ledger "{origin}"',
    sourceLive: 'live ledger "{name}" (origin "{origin}")',
    cpSigned: 'checkpoint of size {size}, root {root}, signed by the {signer}',
    cpUnsigned: 'checkpoint of size {size}, root {root}, NOT signed by a known log key',
    cpWitnesses: '{n} of {quorum} required witness cosignatures verified',
    cpAuditors: '{n} of {quorum} required auditor cosignatures verified',
    cpNoAuditor: 'no auditor asked for',
    cpPostQuantum: '{n} of {quorum} required post-quantum (ML-DSA-44) cosignatures verified',
    cpAsOf: 'as of size {size}, cosigned at {at} by {by}',
    problemError: 'PROBLEM {code}[ at entry {seq}][ (exhibit {exhibit})]: {message}',
    problemWarning: 'warning {code}[ at entry {seq}][ (exhibit {exhibit})]: {message}',
  },
  fr: {
    title: 'Rapport de vérification de la chaîne de possession',
    titleOf: 'Rapport de vérification de la chaîne de possession : {label} ({exhibitId})',
    sourceBundle: 'dossier de preuve « {name} »[ ({size})] du registre « {origin} »',
    sourceLive: 'registre consulté directement « {name} » (origine « {origin} »)',
    cpSigned: 'point de contrôle de taille {size}, racine {root}, signé par {signer}',
    cpUnsigned: 'point de contrôle de taille {size}, racine {root}, NON signé par une clé de journal connue',
    cpWitnesses: 'cosignatures de témoins vérifiées : {n} sur {quorum} requises',
    cpAuditors: 'cosignatures d’auditeurs vérifiées : {n} sur {quorum} requises',
    cpNoAuditor: 'aucun auditeur demandé',
    cpPostQuantum: 'cosignatures post-quantiques (ML-DSA-44) vérifiées : {n} sur {quorum} requises',
    cpAsOf: 'à la taille {size}, cosigné le {at} par {by}',
    problemError: 'PROBLÈME {code}[ à l’entrée {seq}][ (pièce à conviction {exhibit})] : {message}',
    problemWarning: 'avertissement {code}[ à l’entrée {seq}][ (pièce à conviction {exhibit})] : {message}',
  },
  de: {
    title: 'Prüfbericht zur Beweismittelkette',
    titleOf: 'Prüfbericht zur Beweismittelkette: {label} ({exhibitId})',
    sourceBundle: 'Beweismittelpaket „{name}“[ ({size})] aus dem Register „{origin}“',
    sourceLive: 'direkt abgefragtes Register „{name}“ (Ursprung „{origin}“)',
    cpSigned: 'Prüfpunkt der Größe {size}, Wurzel {root}, signiert von {signer}',
    cpUnsigned:
      'Prüfpunkt der Größe {size}, Wurzel {root}, NICHT mit einem bekannten Protokollschlüssel signiert',
    cpWitnesses: '{n} von {quorum} erforderlichen Mitsignaturen von Zeugen verifiziert',
    cpAuditors: '{n} von {quorum} erforderlichen Mitsignaturen von Prüfern verifiziert',
    cpNoAuditor: 'kein Prüfer verlangt',
    cpPostQuantum: '{n} von {quorum} erforderlichen Post-Quanten-Mitsignaturen (ML-DSA-44) verifiziert',
    cpAsOf: 'Stand bei Größe {size}, mitsigniert am {at} von {by}',
    problemError: 'PROBLEM {code}[ bei Eintrag {seq}][ (Beweisstück {exhibit})]: {message}',
    problemWarning: 'Warnung {code}[ bei Eintrag {seq}][ (Beweisstück {exhibit})]: {message}',
  },
  nl: {
    title: 'Verificatierapport van de bewaarketen',
    titleOf: 'Verificatierapport van de bewaarketen: {label} ({exhibitId})',
    sourceBundle: 'bewijspakket "{name}"[ ({size})] uit het register "{origin}"',
    sourceLive: 'rechtstreeks geraadpleegd register "{name}" (oorsprong "{origin}")',
    cpSigned: 'controlepunt met grootte {size}, wortel {root}, ondertekend door {signer}',
    cpUnsigned:
      'controlepunt met grootte {size}, wortel {root}, NIET ondertekend met een bekende logboeksleutel',
    cpWitnesses: '{n} van {quorum} vereiste medeondertekeningen van getuigen geverifieerd',
    cpAuditors: '{n} van {quorum} vereiste medeondertekeningen van auditors geverifieerd',
    cpNoAuditor: 'geen auditor gevraagd',
    cpPostQuantum: '{n} van {quorum} vereiste post-kwantum-medeondertekeningen (ML-DSA-44) geverifieerd',
    cpAsOf: 'bij grootte {size}, medeondertekend op {at} door {by}',
    problemError: 'PROBLEEM {code}[ bij vermelding {seq}][ (stuk van overtuiging {exhibit})]: {message}',
    problemWarning:
      'waarschuwing {code}[ bij vermelding {seq}][ (stuk van overtuiging {exhibit})]: {message}',
  },
});
