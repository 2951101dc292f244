/**
 * Composing a statement on the signer's side (docs/FORMAT.md §Statements):
 * the committed fields get fresh salts from the CSPRNG and become
 * commitments, the statement is checked against the kinds table and signed.
 * The result is what a workstation submits: the signed bytes and the
 * openings (cleartext and salts) that travel beside them, never inside.
 *
 * Security assumption: salts are 32 bytes from crypto.getRandomValues, so a
 * commitment reveals nothing of a low-entropy name without its opening.
 */
import type { Signer as KeySigner } from '../crypto/ed25519.js';
import { CustodyError } from '../errors.js';
import type { Canonical } from '../format/canonical.js';
import { FormatError } from '../format/format-error.js';
import { bodyVersionFor, KINDS_V2 } from '../format/kinds.js';
import { commitFields, encodeOpenings, type Openings } from '../format/openings.js';
import { ed25519Key, signStatement } from '../format/sign-statement.js';
import type { Ref, Seen, Statement, StatementClass } from '../format/statement.js';
import type { Clock } from './clock.js';

export interface Composed {
  bytes: Uint8Array;
  id: Uint8Array;
  statement: Statement;
  openings: Openings;
  /** Canonical openings to submit, or undefined when the kind commits nothing. */
  openingBytes: Uint8Array | undefined;
}

export interface ComposeInput {
  kind: string;
  origin: string;
  signer: KeySigner;
  cosigners?: readonly KeySigner[];
  /** Body fields in clear; committed ones are committed here. */
  fields: Record<string, Canonical | undefined>;
  exhibit?: Ref;
  after?: Uint8Array;
  seen?: Seen;
  clock: Clock;
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export function compose(input: ComposeInput): Composed {
  const spec = KINDS_V2[input.kind];
  if (!spec) throw new CustodyError('KIND_UNKNOWN', `no statement kind ${input.kind}`, 'internal');
  try {
    const { body, openings } = commitFields(spec, input.fields, random);
    const statement: Statement = {
      v: 2,
      origin: input.origin,
      class: spec.class as StatementClass,
      kind: input.kind,
      bv: bodyVersionFor(input.kind, input.fields),
      time: input.clock.now(),
      tz: input.clock.zone(),
      signer: { key: ed25519Key(input.signer.publicKey) },
      body,
    };
    if (input.exhibit !== undefined) statement.exhibit = input.exhibit;
    if (input.after !== undefined) statement.after = input.after;
    if (input.seen !== undefined) statement.seen = input.seen;
    const signed = signStatement(statement, input.signer, input.cosigners ?? []);
    const openingBytes = Object.keys(openings).length > 0 ? encodeOpenings(openings) : undefined;
    return { bytes: signed.bytes, id: signed.id, statement, openings, openingBytes };
  } catch (e) {
    // A field the user typed that the kinds table refuses (too long, a control character…).
    if (e instanceof FormatError) throw new CustodyError(e.code, e.message, 'input');
    throw e;
  }
}
