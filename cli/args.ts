/** Argument parsers shared by commands. */
import { CustodyError } from '../src/errors.js';

/** A non-negative integer option or argument. */
export const natural = (what: string) => (v: string) => {
  if (!/^\d{1,15}$/.test(v))
    throw new CustodyError('USAGE', `${what} must be a non-negative integer`, 'input');
  return Number(v);
};

/** A comma-separated list option: trimmed, empty items dropped, unique, sorted (undefined: none). */
export const commaList = (v: string | undefined): string[] =>
  v === undefined
    ? []
    : [
        ...new Set(
          v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        ),
      ].sort();

/** Repeatable option (default []). */
export const collect = (v: string, prev: string[]) => [...prev, v];
/** Repeatable required option: no default, so commander can tell that it is missing. */
export const collectRequired = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

export { witnessPolicy } from '../src/verify/relying-party.js';
