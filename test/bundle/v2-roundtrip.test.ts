/**
 * v2 evidence bundles, exported from a v2 ledger and verified offline
 * (docs/BUNDLE.md): what verifies, under which pins; what the verdict
 * shows (timeline, actors' revealed names, withheld cleartext); export at an
 * older checkpoint; the exporter's refusals; and the verifier's purity.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBundleV2, encodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { toHex } from '../../src/bytes.js';
import { parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { cosignatureVerifier, signCosignature } from '../../src/checkpoint/cosignature.js';
import { parseNote } from '../../src/checkpoint/note.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { ids45 } from '../../src/format/short-id.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { verifyInclusion } from '../../src/merkle/verify.js';
import { digestOf } from '../custody/v2-world.js';
import { seededSigner } from '../helpers/world.js';
import {
  bundleWorld,
  chain,
  checkpointOf,
  checksOf,
  codesOf,
  EIO,
  edit,
  enrol,
  expectFailed,
  expectVerified,
  foundedWorld,
  keyIdOfSigner,
  pinAuthority,
  register,
  type V2BundleWorld,
  verify,
} from './v2-helpers.js';

let w: V2BundleWorld;
let cp: string;
let hdd: Uint8Array;
let copy: Uint8Array;
let bytes: Uint8Array;

beforeAll(async () => {
  w = await bundleWorld();
  cp = await checkpointOf(w);
  hdd = w.ids.get('HDD-01')!;
  copy = w.ids.get('HDD-01-W1')!;
  bytes = await exportBundleV2(w.ledger.store, hdd, cp);
});

describe('v2 bundle round trip', () => {
  it('verifies with the authority key pinned, and shows the history', async () => {
    const v = await verify(bytes, pinAuthority(w));
    expectVerified(v);
    expect(v.format).toBe(2);
    expect(v.anchoredTo).toEqual(['authority']);
    expect(v.coveredSize).toBe(w.ledger.size);
    expect(v.exhibitId).toBe(toHex(hdd));
    // Governance 0–3, then HDD-01's own history: register, transfer, accept, examine, the derived copy.
    expect(v.entriesShown).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(v.lastEventSeq).toBe(8);
    expect(v.exhibit?.id).toBe(ids45('EX', hdd));
    expect(v.exhibit?.description).toBe('Seized HDD-01');
    expect(v.exhibit?.location).toBe('Amsterdam');
    expect(v.exhibit?.registeredBy.name).toBe('Insp. J. de Vries');
    const t = v.timeline!;
    expect(t.events.map((e) => [e.seq, e.kind])).toEqual([
      [4, 'register'],
      [5, 'transfer'],
      [6, 'accept'],
      [7, 'examine'],
      [8, 'register'],
    ]);
    expect(t.events[4]!.derived).toBe(ids45('EX', copy));
    expect(t.events[1]!.details['to']).toContain('KHK K. Müller');
    expect(t.events[1]!.details['reason']).toBe('EIO execution');
    expect(t.periods.map((p) => [p.status, p.holder.name, p.fromSeq, p.untilSeq])).toEqual([
      ['held', 'Insp. J. de Vries', 4, 5],
      ['in-transit', 'Insp. J. de Vries', 5, 6],
      ['held', 'KHK K. Müller', 6, null],
    ]);
    expect(t.status).toBe('held');
    expect(v.checkpoint?.signedBy?.name).toBe('log key');
    expect(v.actors.map((a) => a.name).sort()).toEqual(
      ['KHK K. Müller', 'Insp. J. de Vries', 'authority'].sort(),
    );
    expect(v.openings.every((o) => o.status === 'revealed')).toBe(true);
  });

  it('verifies with only the log key pinned', async () => {
    const v = await verify(bytes, { logKeys: [w.log.publicKey] });
    expectVerified(v);
    expect(v.anchoredTo).toEqual(['log']);
  });

  it('is never verified with nothing pinned, and says so', async () => {
    const v = await verify(bytes, {});
    expect(v.ok).toBe(false);
    expect(v.nothingPinned).toBe(true);
    expect(v.anchoredTo).toEqual([]);
    expect(v.verdict).toBe('UNANCHORED');
    expect(v.anchored).toBe(false);
    // The one problem, and what decides the verdict.
    expect(codesOf(v)).toEqual(['TRUST_NOT_PINNED']);
    expect(v.problems.every((p) => p.severity === 'error')).toBe(true);
    expect(checksOf(v)['anchor']).toBe('not-checked');
  });

  it('is not verified when another authority or log key is pinned', async () => {
    const other = seededSigner('someone else');
    expectFailed(await verify(bytes, { authorityKeys: [other.publicKey] }), ['ANCHOR_MISMATCH'], ['anchor']);
    expectFailed(await verify(bytes, { logKeys: [other.publicKey] }), ['LOG_KEY_MISMATCH'], ['anchor']);
    // Both pinned: both must match.
    expectFailed(await verify(bytes, pinAuthority(w, { logKeys: [other.publicKey] })), ['LOG_KEY_MISMATCH']);
  });

  it('bundles a derived copy with its parent’s history', async () => {
    const b = await exportBundleV2(w.ledger.store, copy, cp);
    const v = await verify(b, pinAuthority(w));
    expectVerified(v);
    expect(v.entriesShown).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 11]);
    expect(v.exhibit?.parent).toBe(ids45('EX', hdd));
    expect(v.ancestors.map((a) => a.id)).toEqual([ids45('EX', hdd)]);
    expect(v.timeline?.events.map((e) => e.seq)).toEqual([8, 11]);
    expect(v.ancestorTimelines[0]?.events.map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
  });

  it('bundles the second exhibit without the first one’s history', async () => {
    const b = await exportBundleV2(w.ledger.store, w.ids.get('PHONE-01')!, cp);
    const v = await verify(b, pinAuthority(w));
    expectVerified(v);
    expect(v.entriesShown).toEqual([0, 1, 2, 3, 9, 10]);
    expect(v.timeline?.status).toBe('in-transit');
  });

  it('verifies with openings withheld, and shows the cleartext as withheld', async () => {
    const b = await exportBundleV2(w.ledger.store, hdd, cp, { disclose: [] });
    expect(decodeBundleV2(b).entries.every((e) => e.openings === undefined)).toBe(true);
    const v = await verify(b, pinAuthority(w));
    expectVerified(v);
    expect(v.openings.length).toBeGreaterThan(0);
    expect(v.openings.every((o) => o.status === 'withheld' && o.value === undefined)).toBe(true);
    expect(v.exhibit?.description).toBe('withheld');
    expect(v.exhibit?.registeredBy.name).toBe('withheld');
    expect(v.timeline?.events[1]?.details['reason']).toBe('withheld');
  });

  it('compares the file in hand with the registered digests', async () => {
    const file = { name: 'hdd.img', size: 1000, digests: digestOf('HDD-01') };
    const v = await verify(bytes, pinAuthority(w, { file }));
    expectVerified(v, ['witness-quorum']);
    expect(v.file?.matches).toBe(true);
  });

  it('encodes canonically: decoding and encoding again gives the same bytes', () => {
    expect(encodeBundleV2(decodeBundleV2(bytes))).toEqual(bytes);
    expect(new TextDecoder().decode(bytes.subarray(0, 17))).toBe('CUSTODY-BUNDLE/2\n');
  });
});

describe('v2 bundle at an older checkpoint', () => {
  it('proves the history up to that checkpoint, even after the log and the records moved on', async () => {
    const x = await bundleWorld('older ');
    const hddX = x.ids.get('HDD-01')!;
    const old = await checkpointOf(x, 7); // after the accept at 6
    // The log moves on: HDD-01's record and the ledger record change after size 7.
    await chain(x, 'HDD-01', 'transfer', x.custodian, {
      to: keyIdOfSigner(x.collector),
      reason: 'Back',
      legalBasis: EIO,
    });
    const b = await exportBundleV2(x.ledger.store, hddX, old);
    // The store's record has moved on: the bundle carries the record as it was at 7, rebuilt.
    const carried = decodeBundleV2(b).records.find((r) => r.ns === 'exhibit')!.record!;
    expect(carried).not.toEqual(await x.ledger.store.record('exhibit', hddX));
    const v = await verify(b, pinAuthority(x));
    expectVerified(v);
    expect(v.entriesShown).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(v.coveredSize).toBe(7);
    expect(v.lastEventSeq).toBe(6);
    expect(v.timeline?.holder?.name).toBe('KHK K. Müller');
  });
});

describe('exportBundleV2 refusals', () => {
  const refusal = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(CustodyError);
    return (e as CustodyError).code;
  };

  it('refuses an exhibit unknown at the checkpoint', async () => {
    expect(await refusal(exportBundleV2(w.ledger.store, new Uint8Array(32), cp))).toBe('EXHIBIT_UNKNOWN');
    // PHONE-01 is registered at 9: unknown in the first 9 entries.
    const early = await checkpointOf(w, 9);
    expect(await refusal(exportBundleV2(w.ledger.store, w.ids.get('PHONE-01')!, early))).toBe(
      'EXHIBIT_UNKNOWN',
    );
  });

  it('refuses a checkpoint that is not one of this log', async () => {
    const other = await bundleWorld('other ');
    const foreign = await checkpointOf(other);
    expect(await refusal(exportBundleV2(w.ledger.store, hdd, foreign))).toBe('BUNDLE_CHECKPOINT_UNKNOWN');
    expect(await refusal(exportBundleV2(w.ledger.store, hdd, 'not a note'))).toBe('CHECKPOINT_MALFORMED');
  });
});

describe('verifier purity', () => {
  const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
  const FORBIDDEN =
    /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|os|dgram|tls|cluster|process)$|^(level|classic-level)$/;

  it('src/verify/bundle-v2.ts imports no I/O, storage, ledger or network module', () => {
    const seen = new Map<string, string[]>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      const text = readFileSync(file, 'utf8');
      const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
      seen.set(file, specs);
      for (const s of specs) if (s.startsWith('.')) visit(join(dirname(file), s.replace(/\.js$/, '.ts')));
    };
    visit(join(src, 'verify/bundle-v2.ts'));
    expect(seen.size).toBeGreaterThan(10);
    const offenders = [...seen].flatMap(([file, specs]) =>
      specs.filter((s) => FORBIDDEN.test(s)).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
    expect([...seen.keys()].filter((f) => /\/src\/(store|ledger|files|keys)\/|export-v2/.test(f))).toEqual(
      [],
    );
  });
});

// ---------------------------------------------------------------------------
// The v1 round-trip cases (test/bundle/roundtrip.test.ts) the cases above miss.

describe('a long cross-border history (one exhibit, 50+ events, NL/DE/FR)', () => {
  it('verifies; the periods carry the legal bases and the actors their jurisdictions', async () => {
    const x = await foundedWorld('long ');
    const court = seededSigner('long court');
    await enrol(x, court, ['court'], 'FR', 'Greffe du tribunal de Paris');
    await register(x, x.collector, 'HDD-77');
    const legs: [Signer, Signer, string][] = [
      [x.collector, x.custodian, 'EIO NL→DE 2026/1'],
      [x.custodian, court, 'JIT NL-DE-FR 2026/2'],
      [court, x.collector, 'MLA FR→NL 2026/3'],
    ];
    let events = 1;
    for (let round = 0; events < 50; round++)
      for (const [from, to, basis] of legs) {
        await chain(x, 'HDD-77', 'transfer', from, {
          to: keyIdOfSigner(to),
          reason: `round ${round}`,
          legalBasis: basis,
        });
        await chain(x, 'HDD-77', 'accept', to, { digests: digestOf('HDD-77'), seal: 'intact' });
        events += 2;
      }
    const b = await exportBundleV2(x.ledger.store, x.ids.get('HDD-77')!, await checkpointOf(x));
    const v = await verify(b, pinAuthority(x));
    expectVerified(v);
    const t = v.timeline!;
    expect(t.events).toHaveLength(events);
    expect(events).toBeGreaterThanOrEqual(50);
    const transit = t.periods.filter((p) => p.status === 'in-transit');
    expect(transit).toHaveLength((events - 1) / 2);
    expect(transit.slice(0, 3).map((p) => [p.holder.jurisdiction, p.to?.jurisdiction, p.legalBasis])).toEqual(
      [
        ['NL', 'DE', 'EIO NL→DE 2026/1'],
        ['DE', 'FR', 'JIT NL-DE-FR 2026/2'],
        ['FR', 'NL', 'MLA FR→NL 2026/3'],
      ],
    );
    expect(v.actors.map((a) => a.jurisdiction).sort()).toEqual(['DE', 'FR', 'NL', 'NL']);
    expect(t.holder?.jurisdiction).toBe('NL');
  });
});

describe('derived histories (a copy of a copy)', () => {
  let x: V2BundleWorld;
  let cpx: string;
  beforeAll(async () => {
    x = await bundleWorld('lineage rt ');
    // The custodian holds HDD-01-W1 (it registered it) and derives a copy of the copy.
    await register(x, x.custodian, 'HDD-01-W1-W1', 'HDD-01-W1');
    await chain(x, 'HDD-01-W1-W1', 'examine', x.custodian, { action: 'Keyword search' });
    cpx = await checkpointOf(x);
  });

  it("the grandchild's bundle carries its ancestors' events and lineage", async () => {
    const b = await exportBundleV2(x.ledger.store, x.ids.get('HDD-01-W1-W1')!, cpx);
    const v = await verify(b, pinAuthority(x));
    expectVerified(v);
    expect(v.ancestors.map((a) => a.label)).toEqual(['HDD-01-W1', 'HDD-01']);
    expect(v.exhibit?.parent).toBe(ids45('EX', x.ids.get('HDD-01-W1')!));
    expect(v.ancestorTimelines.map((t) => t.events.length)).toEqual([3, 5]);
    expect(v.timeline?.events.map((e) => e.kind)).toEqual(['register', 'examine']);
  });

  it("the child's bundle does not carry the grandchild's later events", async () => {
    const b = await exportBundleV2(x.ledger.store, x.ids.get('HDD-01-W1')!, cpx);
    const v = await verify(b, pinAuthority(x));
    expectVerified(v);
    const grandchild = x.ids.get('HDD-01-W1-W1')!;
    const examined = x.ledger.size - 1;
    expect(v.entriesShown).not.toContain(examined);
    // The derivation itself is an event of the child: it shows, as a derived copy.
    expect(v.timeline?.events.at(-1)?.derived).toBe(ids45('EX', grandchild));
  });
});

describe('witness cosignatures', () => {
  const names = ['witness.eurojust.example', 'witness.bka.example'];
  const keys = [seededSigner('rt witness 1'), seededSigner('rt witness 2')];
  const verifiers = names.map((n, i) => cosignatureVerifier(n, keys[i]!.publicKey));
  const cosigned = (n: number) => {
    const note = decodeBundleV2(bytes).checkpoint;
    const body = `${note.split('\n\n')[0]!}\n`;
    const lines = keys.slice(0, n).map((k, i) => signCosignature(body, names[i]!, k, 1_772_400_000 + i));
    return edit(bytes, (b) => (b.checkpoint = `${note}${lines.join('')}`));
  };

  it('quorum 1 of 1 passes, and names the witness', async () => {
    const v = await verify(cosigned(1), pinAuthority(w, { witnesses: [verifiers[0]!], quorum: 1 }));
    expectVerified(v, ['file-digests']);
    expect(v.checkpoint?.witnesses).toEqual([{ name: names[0], verified: true }]);
  });

  it('quorum 2 of 2 with one cosignature fails with WITNESS_QUORUM; 1 of 2 passes', async () => {
    const one = cosigned(1);
    const two = await verify(one, pinAuthority(w, { witnesses: verifiers, quorum: 2 }));
    expectFailed(two, ['WITNESS_QUORUM'], ['witness-quorum']);
    expectVerified(await verify(one, pinAuthority(w, { witnesses: verifiers, quorum: 1 })), ['file-digests']);
    expectVerified(await verify(cosigned(2), pinAuthority(w, { witnesses: verifiers })), ['file-digests']);
  });

  it('a checkpoint without any cosignature fails a quorum of 1', async () => {
    const v = await verify(bytes, pinAuthority(w, { witnesses: [verifiers[0]!], quorum: 1 }));
    expectFailed(v, ['WITNESS_QUORUM'], ['witness-quorum']);
  });
});

describe('bundle size follows the exhibit, not the ledger', () => {
  it('hundreds of unrelated events add only proof depth', async () => {
    const x = await bundleWorld('size ');
    const id = x.ids.get('HDD-01')!;
    const small = await exportBundleV2(x.ledger.store, id, await checkpointOf(x));
    for (let i = 0; i < 300; i++) await register(x, x.collector, `NOISE-${i}`);
    const large = await exportBundleV2(x.ledger.store, id, await checkpointOf(x));
    const d = decodeBundleV2(large);
    expect(d.entries.map((e) => e.index)).toEqual(decodeBundleV2(small).entries.map((e) => e.index));
    const items = d.entries.length + d.records.length + d.seen.length + 1;
    // A few hundred bytes per carried item at most: deeper inclusion and map proofs, nothing else.
    expect((large.length - small.length) / items).toBeLessThan(400);
    expectVerified(await verify(large, pinAuthority(x)));
  });
});

describe('the bundle decodes to what the ledger holds', () => {
  it('every entry is the stored entry and statement at its index, proven against the checkpoint', async () => {
    const d = decodeBundleV2(bytes);
    const root = parseCheckpoint(parseNote(d.checkpoint).text).root;
    for (const e of d.entries) {
      expect(e.entry).toEqual(await w.ledger.store.entry(e.index));
      expect(e.payload).toEqual(await w.ledger.store.payload(e.index));
      expect(e.openings).toEqual(await w.ledger.store.openings(e.index));
      expect(verifyInclusion(e.index, w.ledger.size, hashLeaf(e.entry), e.proof, root)).toBe(true);
    }
    expect(d.tail.entry).toEqual(await w.ledger.store.entry(w.ledger.size - 1));
  });
});
