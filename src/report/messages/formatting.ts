/** Sizes and durations in the report's language (src/report/model-formatting.ts). */
import { messages } from '../i18n.js';

export const FORMATTING = messages({
  en: {
    bytes_one: '{n} byte',
    bytes_other: '{n} bytes',
    open: 'open (still lasting at the end of the record)',
    invalid: 'invalid ({ms} ms)',
    sameMoment: '0 s (same moment)',
    days_one: '{n} day',
    days_other: '{n} days',
  },
  fr: {
    bytes_one: '{n} octet',
    bytes_other: '{n} octets',
    open: 'en cours (encore à la fin de l’enregistrement)',
    invalid: 'invalide ({ms} ms)',
    sameMoment: '0 s (même instant)',
    days_one: '{n} jour',
    days_other: '{n} jours',
  },
  de: {
    bytes_one: '{n} Byte',
    bytes_other: '{n} Byte',
    open: 'offen (dauert am Ende der Aufzeichnung noch an)',
    invalid: 'ungültig ({ms} ms)',
    sameMoment: '0 s (derselbe Zeitpunkt)',
    days_one: '{n} Tag',
    days_other: '{n} Tage',
  },
  nl: {
    bytes_one: '{n} byte',
    bytes_other: '{n} bytes',
    open: 'open (nog lopend aan het einde van de vastlegging)',
    invalid: 'ongeldig ({ms} ms)',
    sameMoment: '0 s (hetzelfde moment)',
    days_one: '{n} dag',
    days_other: '{n} dagen',
  },
});
