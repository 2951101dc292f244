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
import { fill } from './i18n.js';
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

/**
 * Fills a template from `values` (src/report/i18n.ts `fill`): an optional part is dropped when
 * any detail it names is absent or empty; outside one, an absent detail reads `absent`, so a
 * template never prints "undefined". A value is never scanned again, so text a signer wrote that
 * looks like a placeholder stays as written.
 */
export function fillWording(
  template: string,
  values: Readonly<Record<string, string | undefined>>,
  absent = 'not recorded',
): string {
  return fill(template, values, absent);
}
