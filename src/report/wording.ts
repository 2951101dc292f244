/**
 * How the report words each event and annotation (docs/VERIFYING.md, the report), in each
 * language of the report. The templates are in src/report/messages/events.ts; this module ties
 * them to the kinds table (src/format/kinds.ts): the tables below are keyed by its literal
 * types, so a new kind does not compile until it is worded here and, through `messages`, in
 * every language, and nowhere else in the report.
 *
 * A template names the event's details in braces, `{who}` being the signer; a part in square
 * brackets is left out when a detail it names is absent, so a template reads whole with or
 * without the optional fields.
 */
import type { AnnotationKind, ChainKind } from '../format/kinds.js';
import { COMMON, fill, type Language, type Messages } from './i18n.js';
import { EVENTS, NOTES } from './messages/events.js';
import type { HandoverRow } from './model-types.js';

/** The message of each chain kind's one-line summary: named like the kind, in every language. */
const EVENT_SUMMARY: Messages<ChainKind> = EVENTS;

/** How the report words each annotation kind (a disclosure, a legal hold, an erasure), per language. */
export const NOTE_WORDING: Messages<AnnotationKind> = NOTES;

export interface EventKindWording {
  /** The message for a registration that derives a copy from this exhibit (register only). */
  derived?: keyof (typeof EVENTS)['en'];
  /** How a pending hand-over ended when this kind ends it (kinds whose custody effect is receive or return); a machine value, not wording. */
  ended?: Exclude<HandoverRow['outcome'], 'pending'>;
}

export const EVENT_WORDING: Readonly<Record<ChainKind, EventKindWording>> = {
  register: { derived: 'registerDerived' },
  transfer: {},
  accept: { ended: 'accepted' },
  reject: { ended: 'rejected' },
  cancel: { ended: 'cancelled' },
  examine: {},
  dispose: {},
};

/** The templates of a chain kind in `lang`: its summary and, for a registration, a derived copy's. */
export interface EventWording {
  summary: string;
  derived?: string;
}

export function eventWording(lang: Language, kind: ChainKind): EventWording {
  const d = EVENT_WORDING[kind].derived;
  const summary = EVENT_SUMMARY[lang][kind];
  return d ? { summary, derived: EVENTS[lang][d] } : { summary };
}

/** The template of an annotation kind in `lang`. */
export function noteWording(lang: Language, kind: AnnotationKind): string {
  return NOTE_WORDING[lang][kind];
}

/**
 * Fills a template from `values` (src/report/i18n.ts `fill`): an optional part is dropped when
 * any detail it names is absent or empty; outside one, an absent detail reads `absent` (the
 * language's "not recorded"), so a template never prints "undefined". A value is never scanned
 * again, so text a signer wrote that looks like a placeholder stays as written.
 */
export function fillWording(
  template: string,
  values: Readonly<Record<string, string | undefined>>,
  absent: string = COMMON.en.notRecorded,
): string {
  return fill(template, values, absent);
}
