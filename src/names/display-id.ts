/**
 * Labels that read as an exhibit id (docs/ERRORS.md LABEL_LOOKS_LIKE_ID): the
 * CLI takes what is typed for an exhibit as a full id (64 hex digits), then a
 * short id (EX-XXXXX-XXXXC, src/format/short-id.ts), then anything of an id's
 * shape whose check symbol fails is refused as a typo (cli/context.ts
 * refuseMistypedExhibitId), and only then a label. A label of any of those
 * shapes could never be typed to find its exhibit, and one that only looks
 * like an id would be read aloud, or copied from a report, as another
 * exhibit's id. So registration refuses them.
 */
import { parse45 } from '../format/short-id.js';
import { skeleton } from './skeleton.js';

/** An exhibit short id's shape, any case, check symbol or not: cli/context.ts refuseMistypedExhibitId's test. */
const SHORT_SHAPE = /^EX[-\s]?[0-9A-Z]{5}[-\s]?[0-9A-Z]{5}$/i;
const FULL_ID = /^[0-9a-f]{64}$/i;

const readsAsId = (s: string) =>
  parse45('EX', s) !== undefined || SHORT_SHAPE.test(s.trim()) || FULL_ID.test(s);

/**
 * True when `label` reads as an exhibit's id: a short id with a valid or a
 * wrong check symbol, in any case, with or without hyphens (the lenient forms
 * parse45 accepts, Crockford aliases O, I, L included), a full 64-hex id, or
 * text confusable with one (UTS #39 skeleton of its NFKC form: fullwidth
 * "ＥＸ－…", Cyrillic "ЕХ-…", an en dash for the hyphen).
 */
export function looksLikeDisplayId(label: string): boolean {
  return readsAsId(label) || readsAsId(skeleton(label.normalize('NFKC')));
}
