import { utf8 } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import type { SignedStatement } from '../../src/format/sign-statement.js';
import type { Seen } from '../../src/format/statement.js';
import { Sequencer } from '../../src/ledger/sequencer.js';
import { make, seededRandom, statementKeyId } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';

export const ORIGIN = 'ledger.nfi.example/2026';
export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

export interface Links {
  exhibit?: Uint8Array;
  after?: Uint8Array;
  seen?: Seen;
}

let saltCounter = 0;
/** Signs a bv-1 statement of `kind` (committed fields are given in clear and committed here). */
export function sign(
  kind: string,
  signer: Signer,
  fields: Record<string, Canonical | undefined>,
  links: Links = {},
  opts: { time?: number; cosigners?: Signer[]; origin?: string } = {},
): SignedStatement {
  return make(kind, signer, fields, links, {
    ...opts,
    time: opts.time ?? T0,
    random: seededRandom(`world ${saltCounter++}`),
  });
}

/** Digests of made-up exhibit bytes named by `label`. */
export const digestOf = (label: string) => ({ sha256: sha256(utf8(`exhibit bytes ${label}`)) });

export interface V2World {
  seq: Sequencer;
  authority: Signer;
  log: Signer;
  collector: Signer;
  examiner: Signer;
  deCustodian: Signer;
  court: Signer;
  /** Identity of the last ledger statement. */
  ledgerHead: Uint8Array;
  now: { t: number };
}

/** The current checkpoint as a signer online would see it. */
export async function seenNow(w: V2World): Promise<Seen> {
  return { size: w.seq.size, root: await w.seq.rootAt(w.seq.size) };
}

/** Submits and throws with the violation if refused. */
export async function submitOk(w: V2World, s: SignedStatement) {
  const r = await w.seq.submit(s.bytes);
  if (!r.ok) throw new Error(`${r.violation.code}: ${r.violation.message}`);
  return r;
}

export async function enrolActor(
  w: V2World,
  signer: Signer,
  roles: string[],
  jurisdiction: string,
  name: string,
): Promise<void> {
  const s = sign(
    'enrol',
    w.authority,
    {
      key: [KEY_TYPES.ed25519, signer.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles,
      jurisdiction,
      name,
      org: 'Org',
    },
    { after: w.ledgerHead, seen: await seenNow(w) },
    { time: w.now.t },
  );
  await submitOk(w, s);
  w.ledgerHead = s.id;
}

export async function makeV2World(prefix = ''): Promise<V2World> {
  const now = { t: T0 + 60_000 };
  const key = (l: string) => seededSigner(`${prefix}v2 world ${l}`);
  const w: V2World = {
    seq: new Sequencer(() => now.t),
    authority: key('authority'),
    log: key('log'),
    collector: key('collector'),
    examiner: key('examiner'),
    deCustodian: key('de custodian'),
    court: key('court'),
    ledgerHead: new Uint8Array(32),
    now,
  };
  const g = sign(
    'genesis',
    w.authority,
    { name: 'NFI ledger', jurisdiction: 'NL', org: 'NFI', logKey: [KEY_TYPES.ed25519, w.log.publicKey] },
    {},
    { time: T0 },
  );
  await submitOk(w, g);
  w.ledgerHead = g.id;
  await enrolActor(w, w.collector, ['collector', 'custodian'], 'NL', 'Insp. J. de Vries');
  await enrolActor(w, w.examiner, ['examiner'], 'NL', 'Dr. A. Jansen');
  await enrolActor(w, w.deCustodian, ['custodian', 'examiner'], 'DE', 'KHK K. Müller');
  await enrolActor(w, w.court, ['court'], 'FR', 'Greffe du tribunal de Paris');
  return w;
}

export const idOf = (s: Signer) => statementKeyId(s.publicKey);
