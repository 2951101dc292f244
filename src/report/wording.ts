/**
 * How the report words each event and annotation (docs/VERIFYING.md, the report). One
 * entry per kind of the kinds table (src/format/kinds.ts): the compiler asks
 * for a new kind's wording here, and nowhere else in the report.
 *
 * A template names the event's details in braces, `{who}` being the signer;
 * a part in square brackets is left out when a detail it names is absent, so
 * a template reads whole with or without the optional fields. Templates are
 * data, not code, so that the report can be worded in the court's language.
 */
import type { AnnotationKind, ChainKind } from '../format/kinds.js';
import type { HandoverRow } from './model-types.js';

export interface EventWording {
  /** The event's one-line summary. */
  summary: string;
  /** A registration that derives a copy from this exhibit (register only). */
  derived?: string;
  /** How a pending hand-over ended when this kind ends it (kinds whose custody effect is receive or return). */
  ended?: Exclude<HandoverRow['outcome'], 'pending'>;
}

export const EVENT_WORDING: Readonly<Record<ChainKind, EventWording>> = {
  register: {
    summary: 'Registered by {who}',
    derived: '{who} registered a derived copy, ["{label}" ]({derived})',
  },
  transfer: { summary: '{who} handed it over to {to}[ (legal basis: {legalBasis})]' },
  accept: { summary: 'Accepted by {who}', ended: 'accepted' },
  reject: { summary: 'Rejected by {who}[: {reason}]', ended: 'rejected' },
  cancel: { summary: 'Hand-over cancelled by {who}[: {reason}]', ended: 'cancelled' },
  examine: { summary: 'Examined by {who}[: {action}]' },
  dispose: { summary: 'Disposed of by {who}[ ({method})]' },
};

/** How the report words each annotation kind (a disclosure, a legal hold, an erasure). */
export const NOTE_WORDING: Readonly<Record<AnnotationKind, string>> = {
  disclose:
    'Disclosed to {recipient} ({profile} profile) by {who}[, under {legalBasis}]; cleartext given: {fields}',
  restrict: 'Placed under a legal hold by {who}: {fields}, disclosed only to: {recipients}[ ({ground})]',
  release: 'Legal hold released by {who}[ ({ground})]',
  erase: 'Erased by {who}: {fields}[ ({ground})]',
};

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * Fills a template from `values`. An optional part is dropped when any
 * detail it names is absent or empty; outside one, an absent detail reads
 * "not recorded", so a template never prints "undefined". One pass over the
 * template: a value is never scanned again, so text a signer wrote that
 * looks like a placeholder stays as written.
 */
export function fillWording(template: string, values: Readonly<Record<string, string | undefined>>): string {
  const has = (k: string) => {
    const v = Object.hasOwn(values, k) ? values[k] : undefined;
    return v !== undefined && v !== '';
  };
  const fill = (t: string) =>
    t.replace(PLACEHOLDER, (_, k: string) => (has(k) ? values[k]! : 'not recorded'));
  let out = '';
  for (const m of template.matchAll(/\[([^[\]]*)\]|([^[]+)/g)) {
    if (m[1] !== undefined) out += [...m[1].matchAll(PLACEHOLDER)].every((x) => has(x[1]!)) ? fill(m[1]) : '';
    else out += fill(m[2]!);
  }
  return out;
}
