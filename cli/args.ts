/** Argument parsers shared by commands. */
import { verifierFromVkey } from '../src/checkpoint/cosignature.js';
import type { NoteVerifier } from '../src/checkpoint/note.js';
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

/** --witness <vkey>… and --quorum <k> (default: every witness given; one name with two keys is one witness). */
export function witnessPolicy(
  vkeys: string[],
  quorumArg: string | undefined,
): { witnesses: NoteVerifier[]; quorum: number } {
  const witnesses = vkeys.map((v) => verifierFromVkey(v));
  const names = new Set(witnesses.map((w) => w.name)).size;
  const quorum = quorumArg === undefined ? names : Number(quorumArg);
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > names)
    throw new CustodyError(
      'USAGE',
      `--quorum must be between 0 and the number of witnesses named by --witness (${names})`,
      'input',
    );
  return { witnesses, quorum };
}
