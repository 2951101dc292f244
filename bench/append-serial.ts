/**
 * The main thread's serial work per appended v2 entry, with its parts
 * (docs/PERFORMANCE.md §append.serial_us_per_entry): statements are signed
 * before the timed phase, as a server receives them, and their signatures are
 * taken as verified (workers do that in parallel). What remains is what caps
 * appends at 1 / serial time: decoding and the kinds table, the rules, the
 * map updates, and building the entry and its leaf.
 *
 *   npm run build && node dist/bench/append-serial.js [--entries N]
 */
import { fileURLToPath } from 'node:url';
import { signerFromSeed } from '../src/crypto/ed25519.js';
import { sha256 } from '../src/crypto/sha256.js';
import { admit } from '../src/custody/admit.js';
import { judge } from '../src/custody/judge.js';
import { encodeEntry, PAYLOAD_TYPES } from '../src/format/entry.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../src/format/key-id.js';
import { KINDS_V2 } from '../src/format/kinds.js';
import { commitFields } from '../src/format/openings.js';
import { ed25519Key, signStatement } from '../src/format/sign-statement.js';
import type { Statement } from '../src/format/statement.js';
import { Sequencer } from '../src/ledger/sequencer.js';
import { hashLeaf } from '../src/merkle/hash.js';

const ORIGIN = 'bench.custody.example/v2';
const T0 = Date.UTC(2026, 2, 1);
const enc = new TextEncoder();
let saltI = 0;
const random = (n: number) => sha256(enc.encode(`salt ${saltI++}`)).slice(0, n);

function statement(
  kind: string,
  signer: ReturnType<typeof signerFromSeed>,
  fields: Record<string, unknown>,
  links: Partial<Statement> = {},
) {
  const spec = KINDS_V2[kind]!;
  const { body } = commitFields(spec, fields as never, random);
  const s: Statement = {
    v: 2,
    origin: ORIGIN,
    class: spec.class,
    kind,
    bv: 1,
    time: T0,
    tz: 'UTC',
    signer: { key: ed25519Key(signer.publicKey) },
    body,
    ...links,
  };
  return signStatement(s, signer);
}

export interface SerialResult {
  entries: number;
  serialUs: number;
  parts: { decodeUs: number; rulesUs: number; mapUs: number; entryUs: number };
}

/** Builds a ledger with actors, pre-signs `n` statements (register, transfer, accept cycles), times their append. */
export async function measureSerial(n: number): Promise<SerialResult> {
  const seq = new Sequencer(() => T0 + 1000);
  const authority = signerFromSeed(sha256(enc.encode('bench authority')));
  const log = signerFromSeed(sha256(enc.encode('bench log')));
  const a = signerFromSeed(sha256(enc.encode('bench a')));
  const b = signerFromSeed(sha256(enc.encode('bench b')));
  const g = statement('genesis', authority, {
    name: 'Bench',
    jurisdiction: 'NL',
    org: 'Bench',
    logKey: [KEY_TYPES.ed25519, log.publicKey],
  });
  let head = g.id;
  const must = async (bytes: Uint8Array) => {
    const r = await seq.submit(bytes);
    if (!r.ok) throw new Error(r.violation.code);
  };
  await must(g.bytes);
  for (const who of [a, b]) {
    const e = statement(
      'enrol',
      authority,
      {
        key: [KEY_TYPES.ed25519, who.publicKey],
        purpose: 1,
        roles: ['collector', 'custodian'],
        jurisdiction: 'NL',
        name: 'X',
        org: 'Y',
      },
      { after: head, seen: { size: seq.size, root: await seq.rootAt(seq.size) } },
    );
    await must(e.bytes);
    head = e.id;
  }
  const bId = keyIdOf(ed25519Key(b.publicKey), KEY_PURPOSES.statement);
  // Pre-sign: each exhibit is registered, handed over and accepted (3 entries).
  const signed: Uint8Array[] = [];
  for (let i = 0; signed.length < n; i++) {
    const r = statement('register', a, {
      label: `X-${i}`,
      caseRef: 'BENCH-1',
      description: 'Bench exhibit',
      digests: { sha256: sha256(enc.encode(`bytes ${i}`)) },
      size: 1,
    });
    const t = statement('transfer', a, { to: bId, reason: 'Bench' }, { exhibit: r.id, after: r.id });
    const c = statement('accept', b, {}, { exhibit: r.id, after: t.id });
    signed.push(r.bytes, t.bytes, c.bytes);
  }
  signed.length = n;

  // Whole path, as the sequencer runs it.
  const t0 = performance.now();
  for (const bytes of signed) {
    const r = await seq.submit(bytes, { signaturesVerified: true });
    if (!r.ok) throw new Error(r.violation.code);
  }
  const serialUs = ((performance.now() - t0) * 1000) / n;

  // Parts, on a second ledger fed the same statements step by step.
  const parts = { decodeUs: 0, rulesUs: 0, mapUs: 0, entryUs: 0 };
  const seq2 = new Sequencer(() => T0 + 1000);
  for (const s of seq.log.slice(0, 3)) await seq2.submit(s.payload);
  let last = performance.now();
  const lap = (k: keyof typeof parts) => {
    const now = performance.now();
    parts[k] += now - last;
    last = now;
  };
  for (const bytes of signed) {
    const ad = admit(bytes, false);
    lap('decodeUs');
    if ('violation' in ad) throw new Error(ad.violation.code);
    const o = judge(seq2.state, ad, { index: seq2.size, time: T0 + 1000 });
    lap('rulesUs');
    if (!o.ok) throw new Error(o.violation.code);
    seq2.state.apply(o.writes);
    lap('mapUs');
    const entry = encodeEntry({
      index: seq2.size,
      time: T0 + 1000,
      mapRoot: seq2.state.map.root,
      payloadType: PAYLOAD_TYPES.statement,
      payloadHash: sha256(bytes),
    });
    seq2.nodes.put(seq2.frontier.append(hashLeaf(entry)));
    lap('entryUs');
  }
  for (const k of Object.keys(parts) as (keyof typeof parts)[]) parts[k] = (parts[k] * 1000) / n;
  return { entries: n, serialUs, parts };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--entries');
  const n = i >= 0 ? Number(process.argv[i + 1]) : 30_000;
  const r = await measureSerial(n);
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
