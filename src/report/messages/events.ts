/**
 * How the report words each event and annotation (src/report/wording.ts). EVENTS has one
 * message per chain kind, named like the kind, plus the wording of a derived copy; NOTES one
 * per annotation kind. wording.ts types both against the kinds table, so a new kind does not
 * compile until it is worded here, and `messages` makes every language word it.
 *
 * `{who}` is the signer; the other names are the event's details. A part in square brackets
 * is left out when a detail it names is absent.
 */
import { messages } from '../i18n.js';

export const EVENTS = messages({
  en: {
    register: 'Registered by {who}',
    registerDerived: '{who} registered a derived copy, ["{label}" ]({derived})',
    transfer: '{who} handed it over to {to}[ (legal basis: {legalBasis})]',
    accept: 'Accepted by {who}',
    reject: 'Rejected by {who}[: {reason}]',
    cancel: 'Hand-over cancelled by {who}[: {reason}]',
    examine: 'Examined by {who}[: {action}]',
    dispose: 'Disposed of by {who}[ ({method})]',
  },
  fr: {
    register: 'Enregistrement par {who}',
    registerDerived: '{who} a enregistré une copie dérivée, [« {label} » ]({derived})',
    transfer: 'Remise par {who} à {to}[ (base légale : {legalBasis})]',
    accept: 'Acceptation par {who}',
    reject: 'Refus par {who}[ : {reason}]',
    cancel: 'Annulation de la remise par {who}[ : {reason}]',
    examine: 'Examen par {who}[ : {action}]',
    dispose: 'Sortie définitive par {who}[ ({method})]',
  },
  de: {
    register: 'Registriert von {who}',
    registerDerived: '{who} hat eine abgeleitete Kopie registriert, [„{label}“ ]({derived})',
    transfer: '{who} hat es an {to} übergeben[ (Rechtsgrundlage: {legalBasis})]',
    accept: 'Angenommen von {who}',
    reject: 'Abgelehnt von {who}[: {reason}]',
    cancel: 'Übergabe zurückgenommen von {who}[: {reason}]',
    examine: 'Untersucht von {who}[: {action}]',
    dispose: 'Abschließende Verfügung durch {who}[ ({method})]',
  },
  nl: {
    register: 'Geregistreerd door {who}',
    registerDerived: '{who} heeft een afgeleide kopie geregistreerd, ["{label}" ]({derived})',
    transfer: '{who} heeft het overgedragen aan {to}[ (rechtsgrondslag: {legalBasis})]',
    accept: 'Aanvaard door {who}',
    reject: 'Geweigerd door {who}[: {reason}]',
    cancel: 'Overdracht geannuleerd door {who}[: {reason}]',
    examine: 'Onderzocht door {who}[: {action}]',
    dispose: 'Afgedaan door {who}[ ({method})]',
  },
});

export const NOTES = messages({
  en: {
    disclose:
      "Disclosed to {recipient} ({profile} profile) by {who}[, under {legalBasis}]; cleartext given: {fields}[; with the folder's manifest, every file's path (root {manifest})]",
    restrict: 'Placed under a legal hold by {who}: {fields}, disclosed only to: {recipients}[ ({ground})]',
    release: 'Legal hold released by {who}[ ({ground})]',
    erase: 'Erased by {who}: {fields}[ ({ground})]',
    resolve: 'Non-conformity resolved by {who}[: {action}]',
  },
  fr: {
    disclose:
      'Communication à {recipient} (profil {profile}) par {who}[, en vertu de {legalBasis}] ; champs communiqués en clair : {fields}[ ; avec le manifeste du dossier, le chemin de chaque fichier (racine {manifest})]',
    restrict:
      'Placement sous restriction légale par {who} : {fields}, communiqués uniquement à : {recipients}[ ({ground})]',
    release: 'Levée de la restriction légale par {who}[ ({ground})]',
    erase: 'Effacement par {who} : {fields}[ ({ground})]',
    resolve: 'Non-conformité traitée par {who}[ : {action}]',
  },
  de: {
    disclose:
      'Offengelegt gegenüber {recipient} (Profil {profile}) von {who}[, gestützt auf {legalBasis}]; im Klartext übermittelt: {fields}[; mit dem Manifest des Ordners, dem Pfad jeder Datei (Wurzel {manifest})]',
    restrict:
      'Von {who} unter rechtliche Sperre gestellt: {fields}, offengelegt nur gegenüber: {recipients}[ ({ground})]',
    release: 'Rechtliche Sperre aufgehoben von {who}[ ({ground})]',
    erase: 'Gelöscht von {who}: {fields}[ ({ground})]',
    resolve: 'Nichtkonformität behoben von {who}[: {action}]',
  },
  nl: {
    disclose:
      'Verstrekt aan {recipient} (profiel {profile}) door {who}[, op grond van {legalBasis}]; in klare tekst verstrekt: {fields}[; met het manifest van de map, het pad van elk bestand (wortel {manifest})]',
    restrict:
      'Onder juridische blokkade geplaatst door {who}: {fields}, uitsluitend verstrekt aan: {recipients}[ ({ground})]',
    release: 'Juridische blokkade opgeheven door {who}[ ({ground})]',
    erase: 'Gewist door {who}: {fields}[ ({ground})]',
    resolve: 'Non-conformiteit afgehandeld door {who}[: {action}]',
  },
});
