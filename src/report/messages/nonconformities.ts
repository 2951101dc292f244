/**
 * The report's non-conformities (src/report/model-nonconformities.ts; ISO/IEC 17025:2017 §7.10,
 * docs/CUSTODY-RULES.md §Non-conformities): what opens one, and each one, open or resolved. One
 * template per kind and outcome, so that each language words the whole sentence; the resolution's
 * optional parts are in brackets (a resolution the bundle does not show reads as "Resolved.").
 */
import { messages } from '../i18n.js';

export const NONCONFORMITIES = messages({
  en: {
    intro:
      'A seal recorded broken, or a SHA-256 re-computed on a re-check that differs from the registered one, opens a non-conformity (ISO/IEC 17025 §7.10); it stays open until a signed resolution names it.',
    sealOpen: 'Entry {seq}, {time}: the seal was recorded broken. OPEN: no resolution is recorded.',
    sealResolved:
      'Entry {seq}, {time}: the seal was recorded broken. Resolved[ at entry {rseq}, {rtime}, by {by}][: {action}].',
    digestOpen:
      'Entry {seq}, {time}: a re-computed SHA-256 differed from the registered one. OPEN: no resolution is recorded.',
    digestResolved:
      'Entry {seq}, {time}: a re-computed SHA-256 differed from the registered one. Resolved[ at entry {rseq}, {rtime}, by {by}][: {action}].',
  },
  fr: {
    intro:
      'Un scellé constaté rompu, ou une empreinte SHA-256 recalculée lors d’un contrôle qui diffère de celle enregistrée, ouvre une non-conformité (ISO/IEC 17025 §7.10) ; elle reste ouverte jusqu’à ce qu’une résolution signée la désigne.',
    sealOpen:
      'Entrée {seq}, {time} : le scellé a été constaté rompu. OUVERTE : aucune résolution n’est enregistrée.',
    sealResolved:
      'Entrée {seq}, {time} : le scellé a été constaté rompu. Résolue[ à l’entrée {rseq}, {rtime}, par {by}][ : {action}].',
    digestOpen:
      'Entrée {seq}, {time} : une empreinte SHA-256 recalculée différait de celle enregistrée. OUVERTE : aucune résolution n’est enregistrée.',
    digestResolved:
      'Entrée {seq}, {time} : une empreinte SHA-256 recalculée différait de celle enregistrée. Résolue[ à l’entrée {rseq}, {rtime}, par {by}][ : {action}].',
  },
  de: {
    intro:
      'Ein als gebrochen erfasstes Siegel oder ein bei einer Nachprüfung neu berechneter SHA-256-Hashwert, der vom registrierten abweicht, eröffnet eine Nichtkonformität (ISO/IEC 17025 §7.10); sie bleibt offen, bis eine signierte Behebung sie benennt.',
    sealOpen:
      'Eintrag {seq}, {time}: Das Siegel wurde als gebrochen erfasst. OFFEN: Es ist keine Behebung erfasst.',
    sealResolved:
      'Eintrag {seq}, {time}: Das Siegel wurde als gebrochen erfasst. Behoben[ in Eintrag {rseq}, {rtime}, durch {by}][: {action}].',
    digestOpen:
      'Eintrag {seq}, {time}: Ein neu berechneter SHA-256-Hashwert wich vom registrierten ab. OFFEN: Es ist keine Behebung erfasst.',
    digestResolved:
      'Eintrag {seq}, {time}: Ein neu berechneter SHA-256-Hashwert wich vom registrierten ab. Behoben[ in Eintrag {rseq}, {rtime}, durch {by}][: {action}].',
  },
  nl: {
    intro:
      'Een verzegeling die verbroken werd aangetroffen, of een bij een hercontrole opnieuw berekende SHA-256-hashwaarde die van de geregistreerde afwijkt, opent een non-conformiteit (ISO/IEC 17025 §7.10); die blijft open totdat een ondertekende afhandeling haar noemt.',
    sealOpen:
      'Vermelding {seq}, {time}: de verzegeling werd verbroken aangetroffen. OPEN: er is geen afhandeling vastgelegd.',
    sealResolved:
      'Vermelding {seq}, {time}: de verzegeling werd verbroken aangetroffen. Afgehandeld[ in vermelding {rseq}, {rtime}, door {by}][: {action}].',
    digestOpen:
      'Vermelding {seq}, {time}: een opnieuw berekende SHA-256-hashwaarde week af van de geregistreerde. OPEN: er is geen afhandeling vastgelegd.',
    digestResolved:
      'Vermelding {seq}, {time}: een opnieuw berekende SHA-256-hashwaarde week af van de geregistreerde. Afgehandeld[ in vermelding {rseq}, {rtime}, door {by}][: {action}].',
  },
});
