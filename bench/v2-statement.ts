/**
 * Signing v2 statements for the benchmarks: bv 1, a fixed claimed time and
 * zone, salts from a counter (benchmarks need speed and repeatability, not
 * secrecy; real salts come from the CSPRNG).
 */
import type { Signer } from '../src/crypto/ed25519.js';
import { sha256 } from '../src/crypto/sha256.js';
import type { Canonical } from '../src/format/canonical.js';
import { KINDS_V2 } from '../src/format/kinds.js';
import { commitFields, encodeOpenings } from '../src/format/openings.js';
import { ed25519Key, signStatement } from '../src/format/sign-statement.js';
import type { Statement } from '../src/format/statement.js';

const enc = new TextEncoder();
let saltI = 0;
const random = (n: number) => sha256(enc.encode(`salt ${saltI++}`)).slice(0, n);

/**
 * A signed statement of `kind` for the ledger `origin`, claimed at `time`,
 * with the canonical openings of its committed fields (undefined when it
 * commits nothing), as a workstation submits them; `cosigners` sign after
 * the signer (a rotation's new key).
 */
export function benchStatement(
  origin: string,
  time: number,
  kind: string,
  signer: Signer,
  fields: Record<string, Canonical | undefined>,
  links: Partial<Statement> = {},
  cosigners: readonly Signer[] = [],
) {
  const spec = KINDS_V2[kind]!;
  const { body, openings } = commitFields(spec, fields, random);
  const s: Statement = {
    v: 2,
    origin,
    class: spec.class,
    kind,
    bv: 1,
    time,
    tz: 'UTC',
    signer: { key: ed25519Key(signer.publicKey) },
    body,
    ...links,
  };
  const signed = signStatement(s, signer, cosigners);
  return {
    bytes: signed.bytes,
    id: signed.id,
    openings: Object.keys(openings).length > 0 ? encodeOpenings(openings) : undefined,
  };
}
