/**
 * The main thread's serial work per appended v2 entry, with its parts
 * (docs/PERFORMANCE.md §append.serial_us_per_entry): statements are signed
 * before they are timed, as a server receives them, and their signatures are
 * taken as verified (workers do that in parallel). What remains is what caps
 * appends at 1 / serial time:
 *
 *   decode  admit: strict decoding, the kinds table, the statement's identity;
 *   rules   judge: the custody rules against the state;
 *   map     CustodyState.apply: records encoded and hashed, the state map updated;
 *   entry   the entry with the new map root, its leaf, the tree and the log.
 *
 * The ledger first holds `base` entries (register, transfer, accept cycles:
 * 4 map keys per 3 entries), appended from statements signed in chunks, and
 * a warm-up block; then `entries` more are timed, in blocks that alternate
 * between the whole path (Sequencer.submit) and the same steps timed one by
 * one, on the same ledger.
 *
 *   npx tsx bench/append-serial.ts [--entries N] [--base M]
 *   (or npm run build && node dist/bench/append-serial.js …)
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type Signer, signerFromSeed } from '../src/crypto/ed25519.js';
import { sha256 } from '../src/crypto/sha256.js';
import { admit } from '../src/custody/admit.js';
import { judge } from '../src/custody/judge.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../src/format/key-id.js';
import { ed25519Key } from '../src/format/sign-statement.js';
import { Sequencer } from '../src/ledger/sequencer.js';
import { benchStatement } from './v2-statement.js';

const ORIGIN = 'bench.custody.example/v2';
const T0 = Date.UTC(2026, 2, 1);
const NOW = T0 + 1000;
/** Timed entries per block; a multiple of 3, so each block is whole exhibit lives. */
const BLOCK = 3000;
const VERIFIED = { signaturesVerified: true };

export interface SerialResult {
  /** Entries in the ledger before the timed ones (with 3 of set-up and a warm-up block), and map keys at the end. */
  base: number;
  mapKeys: number;
  entries: number;
  /** µs per entry through Sequencer.submit. */
  serialUs: number;
  /** µs per entry of each step, timed alone. */
  parts: { decodeUs: number; rulesUs: number; mapUs: number; entryUs: number };
  /** µs per entry spent in garbage-collection pauses while timing (included in the above). */
  gcUs: number;
}

const enc = new TextEncoder();
const statement = (
  ...a: Parameters<typeof benchStatement> extends [string, number, ...infer R] ? R : never
) => benchStatement(ORIGIN, T0, ...a);

/** Signs the statements of exhibits `from` .. `to` − 1 (register, transfer, accept), packed in one buffer. */
function exhibitLives(from: number, to: number, a: Signer, b: Signer, bId: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let i = from; i < to; i++) {
    const r = statement('register', a, {
      label: `X-${i}`,
      caseRef: 'BENCH-1',
      description: 'Bench exhibit',
      digests: { sha256: sha256(enc.encode(`bytes ${i}`)) },
      size: 1,
    });
    const t = statement('transfer', a, { to: bId, reason: 'Bench' }, { exhibit: r.id, after: r.id });
    const c = statement('accept', b, {}, { exhibit: r.id, after: t.id });
    parts.push(r.bytes, t.bytes, c.bytes);
    total += r.bytes.length + t.bytes.length + c.bytes.length;
  }
  // One buffer for all of them, as a server reading a batch from the network
  // would have: the timed process then holds no array per statement.
  const all = new Uint8Array(total);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    out.push(all.subarray(at, at + p.length));
    at += p.length;
  }
  return out;
}

/**
 * Builds a ledger with two actors and `base` entries, then times `entries`
 * more (both rounded up to whole exhibit lives of 3 entries).
 */
export async function measureSerial(
  entries: number,
  { base = 0, onProgress }: { base?: number; onProgress?: (s: string) => void } = {},
): Promise<SerialResult> {
  const seq = new Sequencer(() => NOW);
  const authority = signerFromSeed(sha256(enc.encode('bench authority')));
  const log = signerFromSeed(sha256(enc.encode('bench log')));
  const a = signerFromSeed(sha256(enc.encode('bench a')));
  const b = signerFromSeed(sha256(enc.encode('bench b')));
  const must = async (bytes: Uint8Array, signaturesVerified = false) => {
    const r = await seq.submit(bytes, { signaturesVerified });
    if (!r.ok) throw new Error(`${r.violation.code}: ${r.violation.message}`);
  };
  const g = statement('genesis', authority, {
    name: 'Bench',
    jurisdiction: 'NL',
    org: 'Bench',
    logKey: [KEY_TYPES.ed25519, log.publicKey],
  });
  await must(g.bytes);
  let head = g.id;
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

  // The ledger before the timed entries, signed and appended in chunks.
  const baseLives = Math.ceil(base / 3);
  const CHUNK = 10_000;
  for (let i = 0; i < baseLives; i += CHUNK) {
    for (const bytes of exhibitLives(i, Math.min(baseLives, i + CHUNK), a, b, bId)) await must(bytes, true);
    if ((i / CHUNK) % 10 === 9) onProgress?.(`  ${seq.size} entries`);
  }
  // One block through the whole path, untimed: the code is then compiled as
  // it will be for the timed blocks, whatever `base` is.
  for (const bytes of exhibitLives(baseLives, baseLives + BLOCK / 3, a, b, bId)) await must(bytes, true);
  const lives = baseLives + BLOCK / 3;
  const signed = exhibitLives(lives, lives + Math.ceil(entries / 3), a, b, bId);

  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  let wholeMs = 0;
  let wholeN = 0;
  const parts = { decodeUs: 0, rulesUs: 0, mapUs: 0, entryUs: 0 };
  let partsN = 0;
  for (let start = 0, block = 0; start < signed.length; start += BLOCK, block++) {
    const end = Math.min(signed.length, start + BLOCK);
    if (block % 2 === 0) {
      // The whole path, as the sequencer runs it.
      const t0 = performance.now();
      for (let i = start; i < end; i++) {
        const r = await seq.submit(signed[i]!, VERIFIED);
        if (!r.ok) throw new Error(`${r.violation.code}: ${r.violation.message}`);
      }
      wholeMs += performance.now() - t0;
      wholeN += end - start;
      continue;
    }
    // The same steps, each timed: what Sequencer.submit does for a statement
    // without `seen`, whose signatures were verified.
    let last = performance.now();
    const lap = (k: keyof typeof parts) => {
      const now = performance.now();
      parts[k] += now - last;
      last = now;
    };
    for (let i = start; i < end; i++) {
      const bytes = signed[i]!;
      const ad = admit(bytes, false);
      lap('decodeUs');
      if ('violation' in ad) throw new Error(ad.violation.code);
      const id = seq.keepId(ad.id);
      const o = judge(
        seq.state,
        { statement: ad.statement, spec: ad.spec, id },
        { index: seq.size, time: NOW },
      );
      lap('rulesUs');
      if (!o.ok) throw new Error(o.violation.code);
      seq.state.apply(o.writes);
      lap('mapUs');
      seq.seal(bytes, id, NOW);
      lap('entryUs');
    }
    partsN += end - start;
  }
  // GC entries are delivered asynchronously: let the last ones arrive.
  await new Promise((resolve) => setTimeout(resolve, 10));
  gc.disconnect();
  const perEntry = (ms: number, n: number) => (n === 0 ? Number.NaN : (ms * 1000) / n);
  for (const k of Object.keys(parts) as (keyof typeof parts)[]) parts[k] = perEntry(parts[k], partsN);
  return {
    base: seq.size - signed.length,
    mapKeys: seq.state.map.size,
    entries: signed.length,
    serialUs: perEntry(wholeMs, wholeN),
    parts,
    gcUs: perEntry(gcMs, wholeN + partsN),
  };
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await measureSerial(arg('--entries', 30_000), {
    base: arg('--base', 0),
    onProgress: (s) => process.stderr.write(`${s}\n`),
  });
  const round = (x: number) => Math.round(x * 10) / 10;
  process.stdout.write(
    `${JSON.stringify(
      {
        ...r,
        serialUs: round(r.serialUs),
        gcUs: round(r.gcUs),
        parts: Object.fromEntries(Object.entries(r.parts).map(([k, v]) => [k, round(v)])),
      },
      null,
      2,
    )}\n`,
  );
}
