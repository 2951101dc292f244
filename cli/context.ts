/** Opening the ledger and resolving what users type (ids, labels, names). */
import { CustodyError } from '../src/errors.js';
import { parseActorId, parseExhibitId } from '../src/format/ids.js';
import { foldLabel } from '../src/format/text.js';
import { Ledger } from '../src/ledger/ledger.js';
import { LevelStore } from '../src/store/level.js';
import type { GlobalOptions } from './io.js';

export async function openLedger(opts: GlobalOptions): Promise<Ledger> {
  const store = await LevelStore.open(opts.ledger, 'open');
  try {
    return await Ledger.open(store);
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** Runs `fn` with the ledger open and always closes it. */
export async function withLedger<T>(opts: GlobalOptions, fn: (l: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openLedger(opts);
  try {
    return await fn(ledger);
  } finally {
    await ledger.close();
  }
}

/** Refuses input shaped like an exhibit id whose check symbol is wrong: a typo, not a label. */
export function refuseMistypedExhibitId(input: string): void {
  if (/^EX[-\s]?[0-9A-Z]{5}[-\s]?[0-9A-Z]{5}$/i.test(input.trim()))
    throw new CustodyError(
      'EXHIBIT_ID_INVALID',
      `${input} is not a valid exhibit id: its check symbol does not match (a typo?)`,
      'input',
    );
}

/**
 * The exhibits whose label has the look-up key of `input` (docs/FORMAT.md §Text):
 * the signed bytes with only ASCII A–Z folded, so `hdd-01` finds `HDD-01` but
 * `lodz` does not find `Łódź`. Deliberately no wider matching (toLowerCase,
 * accents, locale): this decides which exhibit an action is signed for, and
 * every verifier must reach the same answer from the same bytes. Several
 * exhibits with the same key are ambiguous even if one matches exactly.
 */
export function labelMatches<T extends { label: string }>(exhibits: Iterable<T>, input: string): T[] {
  const key = foldLabel(input);
  const out: T[] = [];
  for (const x of exhibits) if (foldLabel(x.label) === key) out.push(x);
  return out;
}

/** An exhibit by id (any case, hyphens optional) or by its label if exactly one exhibit has it. */
export async function resolveExhibit(ledger: Ledger, input: string): Promise<string> {
  const id = parseExhibitId(input);
  if (id) {
    if (!(await ledger.exhibit(id)))
      throw new CustodyError('EXHIBIT_UNKNOWN', `no exhibit ${id} in this ledger`, 'input');
    return id;
  }
  refuseMistypedExhibitId(input);
  const matches = labelMatches(await ledger.exhibits(), input);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1)
    throw new CustodyError(
      'EXHIBIT_AMBIGUOUS',
      `${matches.length} exhibits are labelled ${input}; use the exhibit id (${matches.map((m) => m.id).join(', ')})`,
      'input',
    );
  throw new CustodyError(
    'EXHIBIT_UNKNOWN',
    `no exhibit with id or label ${input} (ids look like EX-XXXXX-XXXXX; a mistyped id fails its check symbol)`,
    'input',
  );
}

/** An actor by id or by its name if exactly one actor has it. */
export async function resolveActor(ledger: Ledger, input: string): Promise<string> {
  const id = parseActorId(input);
  if (id) {
    if (!(await ledger.actor(id)))
      throw new CustodyError('ACTOR_UNKNOWN', `no actor ${id} is enrolled in this ledger`, 'input');
    return id;
  }
  const matches = (await ledger.actors()).filter((a) => a.name === input);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1)
    throw new CustodyError(
      'ACTOR_AMBIGUOUS',
      `${matches.length} actors are named ${input}; use the actor id`,
      'input',
    );
  throw new CustodyError('ACTOR_UNKNOWN', `no actor with id or name ${input}`, 'input');
}
