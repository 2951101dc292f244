/**
 * Evidence bundles, round trips: exportBundle → verifyBundle verifies, and the
 * verdict tells the exhibit's story exactly as the ledger recorded it — long
 * histories, hand-overs across jurisdictions, derived copies of copies, the
 * head attestation, witness cosignatures, the file in hand, an authority
 * rotation before the exhibit's events, and a size that follows the exhibit's
 * history rather than the ledger's.
 */
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/export.js';
import { decodeBundle } from '../../src/bundle/format.js';
import { parseExhibitHead } from '../../src/bundle/head.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { toHex } from '../../src/bytes.js';
import {
  cosignatureVerifier,
  formatCosignerVkey,
  signCosignature,
  verifierFromVkey,
} from '../../src/checkpoint/cosignature.js';
import { parseNote } from '../../src/checkpoint/note.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { keyId } from '../../src/format/ids.js';
import { decodeRecord } from '../../src/format/record.js';
import { attachCosignature, checkpointLedger } from '../../src/ledger/checkpoints.js';
import { digestsOf, makeWorld, seededSigner, type World } from '../helpers/world.js';
import {
  accept,
  CONTENT,
  codesOf,
  EIO,
  examine,
  expectFailed,
  expectVerified,
  JIT,
  longHistory,
  MLA,
  noise,
  register,
  strangerSigner,
  transfer,
  trustAuthority,
} from './helpers.js';

const WITNESS = 'witness.eurojust.example';
const T0 = 1_780_000_000;

async function exhibitSeqs(w: World, id: string): Promise<number[]> {
  return (await w.store.exhibitEvents(id)).sort((a, b) => a - b);
}

describe('a long history (one exhibit, 50+ events, NL/DE/FR)', () => {
  it('verifies without the head attestation; history-complete is not checked', async () => {
    const w = await makeWorld();
    const { exhibit, events } = await longHistory(w, 3);
    expect(events).toBeGreaterThanOrEqual(50);
    await checkpointLedger(w.ledger, w.authority.signer);
    const { bytes, bundle } = await exportBundle(w.ledger, exhibit);
    expect(bundle.head).toBeUndefined();

    const v = await verifyBundle(bytes, trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'history-complete', 'file-digests']);

    const seqs = await exhibitSeqs(w, exhibit);
    expect(seqs).toHaveLength(events);
    // Genesis, the enrolments of the five actors who signed or received (not the witness), the events.
    expect(bundle.entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, ...seqs]);
    expect(v.entriesShown).toEqual(bundle.entries.map((e) => e.seq));
    expect(v.exhibit?.id).toBe(exhibit);
    expect(v.ancestors).toEqual([]);
    expect(v.ancestorTimelines).toEqual([]);
    expect(v.timeline?.events.map((e) => e.seq)).toEqual(seqs);
    expect(v.lastEventSeq).toBe(seqs.at(-1));
    expect(v.timeline?.status).toBe('held');
    expect(v.timeline?.holder?.id).toBe(w.nlCollector.id);
    expect(v.recordedMismatches).toEqual([]);
    expect(v.recordedBrokenSeals).toEqual([]);
    expect(v.checkpoint?.size).toBe(w.ledger.size);
    expect(v.checkpoint?.root).toBe(toHex(w.ledger.root()));
    expect(v.checkpoint?.signedBy?.id).toBe(w.authority.id);
    expect(v.anchors).toEqual([
      expect.objectContaining({ role: 'authority', matched: true }),
      expect.objectContaining({ role: 'log', name: expect.stringContaining(w.authority.id), matched: true }),
    ]);
    // Kinds as recorded, in order.
    const kinds = v.timeline!.events.map((e) => e.kind);
    for (const k of ['register', 'transfer', 'accept', 'examine', 'reject', 'cancel'])
      expect(kinds).toContain(k);
    expect(kinds.filter((k) => k === 'examine')).toHaveLength(6);
    expect(v.actors.map((a) => a.id).sort()).toEqual(
      [w.authority, w.nlCollector, w.nlExaminer, w.deCustodian, w.deExaminer, w.frCourt]
        .map((a) => a.id)
        .sort(),
    );
  });

  it('verifies with the head attestation of the log key; history-complete passes', async () => {
    const w = await makeWorld();
    const { exhibit } = await longHistory(w, 3);
    const { bytes, bundle } = await exportBundle(w.ledger, exhibit, { logKey: w.authority.signer });
    expect(bundle.head).toBeDefined();
    const x = (await w.ledger.exhibit(exhibit))!;
    const head = parseExhibitHead(parseNote(bundle.head!).text);
    expect(head).toEqual({
      origin: w.ledger.origin,
      size: w.ledger.size,
      exhibit,
      lastSeq: x.lastSeq,
      lastHash: x.lastHash,
    });
    const v = await verifyBundle(bytes, trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'file-digests']);
    expect(v.checks.find((c) => c.id === 'history-complete')?.detail).toContain(`entry ${x.lastSeq}`);
  });

  it('export with a log key signs a checkpoint only when none covers the current size', async () => {
    const w = await makeWorld();
    const x = await register(w);
    const first = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const again = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    expect(again.bundle.checkpoint).toBe(first.bundle.checkpoint);
    expect(again.bytes).toEqual(first.bytes);
    expect(await w.store.checkpointSizes()).toEqual([w.ledger.size]);
  });
});

describe('cross-jurisdiction hand-overs', () => {
  it('NL → DE (EIO) → FR (JIT) → NL (MLA): periods carry the legal bases and the actors their jurisdictions', async () => {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.deCustodian, EIO);
    await accept(w, x, w.deCustodian);
    await transfer(w, x, w.deCustodian, w.frCourt, JIT);
    await accept(w, x, w.frCourt);
    await transfer(w, x, w.frCourt, w.nlExaminer, MLA);
    await accept(w, x, w.nlExaminer);
    await examine(w, x, w.nlExaminer);
    const { bytes } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const v = await verifyBundle(bytes, trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'file-digests']);
    const transit = v.timeline!.periods.filter((p) => p.status === 'in-transit');
    expect(transit.map((p) => [p.holder.jurisdiction, p.to?.jurisdiction, p.legalBasis])).toEqual([
      ['NL', 'DE', EIO],
      ['DE', 'FR', JIT],
      ['FR', 'NL', MLA],
    ]);
    const held = v.timeline!.periods.filter((p) => p.status === 'held');
    expect(held.map((p) => p.holder.id)).toEqual([
      w.nlCollector.id,
      w.deCustodian.id,
      w.frCourt.id,
      w.nlExaminer.id,
    ]);
    expect(held.at(-1)?.until).toBeNull();
    const byId = new Map(v.actors.map((a) => [a.id, a.jurisdiction]));
    expect(byId.get(w.deCustodian.id)).toBe('DE');
    expect(byId.get(w.frCourt.id)).toBe('FR');
    expect(byId.get(w.nlExaminer.id)).toBe('NL');
    // The DE examiner and the witness took no part: their enrolments are not in the bundle.
    expect(byId.has(w.deExaminer.id)).toBe(false);
    expect(v.entriesShown).not.toContain(4);
    expect(v.entriesShown).not.toContain(6);
  });
});

describe('derived histories (a copy of a copy)', () => {
  async function lineage() {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    await accept(w, x, w.nlExaminer);
    const copy = async (parent: string, by: World['nlExaminer'], label: string) =>
      (
        await w.ledger.append(
          {
            kind: 'register',
            body: {
              label,
              caseRef: 'NL-2026-0042',
              description: `working copy of ${parent}`,
              digests: digestsOf(`${label} bytes`),
              size: `${label} bytes`.length,
              parent,
            },
          },
          by.signer,
        )
      ).exhibit!;
    const y = await copy(x, w.nlExaminer, 'HDD-01-WC1');
    // The original goes on after the derivation.
    await examine(w, x, w.nlExaminer);
    await transfer(w, x, w.nlExaminer, w.nlCollector);
    await transfer(w, y, w.nlExaminer, w.deExaminer, EIO);
    await accept(w, y, w.deExaminer, false);
    const z = await copy(y, w.deExaminer, 'HDD-01-WC1-X');
    await transfer(w, z, w.deExaminer, w.frCourt, JIT);
    await accept(w, z, w.frCourt, false);
    await noise(w, 30);
    return { w, x, y, z };
  }

  it("the grandchild's bundle carries its ancestors' events and lineage", async () => {
    const { w, x, y, z } = await lineage();
    const { bytes, bundle } = await exportBundle(w.ledger, z, { logKey: w.authority.signer });
    const v = await verifyBundle(bytes, trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'file-digests']);

    const [sx, sy, sz] = await Promise.all([x, y, z].map((id) => exhibitSeqs(w, id)));
    const shown = new Set(bundle.entries.map((e) => e.seq));
    for (const s of [...sx!, ...sy!, ...sz!]) expect(shown.has(s)).toBe(true);
    // No unrelated noise.
    const noiseSeqs = new Set<number>();
    for (const e of await w.ledger.exhibits())
      if (![x, y, z].includes(e.id)) for (const s of await w.store.exhibitEvents(e.id)) noiseSeqs.add(s);
    expect([...shown].filter((s) => noiseSeqs.has(s))).toEqual([]);

    expect(v.exhibit?.id).toBe(z);
    expect(v.exhibit?.parent).toBe(y);
    expect(v.ancestors.map((a) => a.id)).toEqual([y, x]);
    expect(v.ancestors[0]?.parent).toBe(x);
    expect(v.ancestors[1]?.parent).toBeUndefined();
    expect(v.timeline?.exhibit).toBe(z);
    expect(v.timeline?.events.map((e) => e.seq)).toEqual(sz);
    expect(v.ancestorTimelines.map((t) => t.exhibit)).toEqual([y, x]);
    expect(v.ancestorTimelines[0]?.events.map((e) => e.seq)).toEqual(sy);
    expect(v.ancestorTimelines[1]?.events.map((e) => e.seq)).toEqual(sx);
    // The derivations appear in the parents' timelines as derived events.
    expect(v.ancestorTimelines[0]?.events.find((e) => e.derived)?.derived).toBe(z);
    expect(v.ancestorTimelines[1]?.events.find((e) => e.derived)?.derived).toBe(y);
    expect(v.timeline?.holder?.id).toBe(w.frCourt.id);
    expect(v.ancestorTimelines[0]?.holder?.id).toBe(w.deExaminer.id);
    expect(v.ancestorTimelines[1]?.status).toBe('in-transit');
    expect(v.checks.find((c) => c.id === 'exhibit-links')?.detail).toContain('derives from');
  });

  it("the child's bundle does not carry the grandchild's later events", async () => {
    const { w, y, z } = await lineage();
    const { bytes } = await exportBundle(w.ledger, y, { logKey: w.authority.signer });
    const v = await verifyBundle(bytes, trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'file-digests']);
    const zEvents = await exhibitSeqs(w, z);
    // Only the derivation (an event of y as well) is shown, not z's hand-over to FR.
    expect(v.entriesShown.filter((s) => zEvents.includes(s))).toEqual([zEvents[0]]);
  });
});

describe('witness cosignatures', () => {
  async function witnessed(cosigned: boolean) {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.deCustodian, EIO);
    await accept(w, x, w.deCustodian);
    const { note, size } = await checkpointLedger(w.ledger, w.authority.signer);
    const witness = cosignatureVerifier(WITNESS, w.witness.signer.publicKey);
    if (cosigned) {
      const line = signCosignature(parseNote(note).text, WITNESS, w.witness.signer, T0);
      await attachCosignature(w.ledger, size, line, witness);
    }
    const { bytes } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const other = seededSigner('second witness');
    const second = cosignatureVerifier('witness.other.example', other.publicKey);
    return { w, bytes, witness, second };
  }

  it('quorum 1 of 1 passes (and so does the vkey form the CLI takes)', async () => {
    const { w, bytes, witness } = await witnessed(true);
    const v = await verifyBundle(bytes, trustAuthority(w, { witnesses: [witness], quorum: 1 }));
    expectVerified(v, ['file-digests']);
    expect(v.checkpoint?.witnesses).toEqual([{ name: WITNESS, verified: true }]);
    expect(v.anchors.find((a) => a.role === 'witness')?.matched).toBe(true);
    const fromVkey = verifierFromVkey(formatCosignerVkey(WITNESS, w.witness.signer.publicKey));
    expectVerified(await verifyBundle(bytes, trustAuthority(w, { witnesses: [fromVkey], quorum: 1 })), [
      'file-digests',
    ]);
    // Quorum defaults to every witness given.
    expectVerified(await verifyBundle(bytes, trustAuthority(w, { witnesses: [witness] })), ['file-digests']);
  });

  it('quorum 2 of 2 with one cosignature fails with WITNESS_QUORUM; 1 of 2 passes', async () => {
    const { w, bytes, witness, second } = await witnessed(true);
    const v = await verifyBundle(bytes, trustAuthority(w, { witnesses: [witness, second], quorum: 2 }));
    expectFailed(v, { codes: ['WITNESS_QUORUM'], failed: ['witness-quorum'] });
    expect(codesOf(v)).toEqual(['WITNESS_QUORUM']);
    expect(v.checks.filter((c) => c.verdict === 'fail').map((c) => c.id)).toEqual(['witness-quorum']);
    expect(v.checkpoint?.witnesses).toEqual([
      { name: WITNESS, verified: true },
      { name: 'witness.other.example', verified: false },
    ]);
    const one = await verifyBundle(bytes, trustAuthority(w, { witnesses: [witness, second], quorum: 1 }));
    expectVerified(one, ['file-digests']);
  });

  it('a checkpoint without any cosignature fails a quorum of 1', async () => {
    const { w, bytes, witness } = await witnessed(false);
    const v = await verifyBundle(bytes, trustAuthority(w, { witnesses: [witness], quorum: 1 }));
    expectFailed(v, { codes: ['WITNESS_QUORUM'], failed: ['witness-quorum'] });
    // Quorum 0 asks for nothing.
    const zero = await verifyBundle(bytes, trustAuthority(w, { witnesses: [witness], quorum: 0 }));
    expect(zero.ok).toBe(true);
  });
});

describe('the file in hand', () => {
  async function bundleBytes() {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    await accept(w, x, w.nlExaminer);
    return { w, x, bytes: (await exportBundle(w.ledger, x, { logKey: w.authority.signer })).bytes };
  }

  it('matching digests and size: file-digests passes', async () => {
    const { w, bytes } = await bundleBytes();
    const file = { name: 'HDD-01.dd', size: CONTENT.length, digests: digestsOf(CONTENT) };
    const v = await verifyBundle(bytes, trustAuthority(w, { file }));
    expectVerified(v, ['witness-quorum']);
    expect(v.file).toEqual({
      name: 'HDD-01.dd',
      size: CONTENT.length,
      digests: { sha256: toHex(sha256(new TextEncoder().encode(CONTENT))) },
      matches: true,
    });
  });

  it('another file: FILE_DIGEST_MISMATCH, file-digests fails, not ok', async () => {
    const { w, bytes } = await bundleBytes();
    const other = 'disk image bytez';
    const file = { name: 'HDD-01.dd', size: other.length, digests: digestsOf(other) };
    const v = await verifyBundle(bytes, trustAuthority(w, { file }));
    expectFailed(v, { codes: ['FILE_DIGEST_MISMATCH'], failed: ['file-digests'] });
    expect(codesOf(v)).toEqual(['FILE_DIGEST_MISMATCH']);
    expect(v.file?.matches).toBe(false);
  });

  it('right digest, wrong size: FILE_SIZE_MISMATCH; no comparable digest: FILE_NOT_COMPARED', async () => {
    const { w, bytes } = await bundleBytes();
    const sized = await verifyBundle(
      bytes,
      trustAuthority(w, { file: { name: 'f', size: CONTENT.length + 1, digests: digestsOf(CONTENT) } }),
    );
    expectFailed(sized, { codes: ['FILE_SIZE_MISMATCH'], failed: ['file-digests'] });
    const md5Only = await verifyBundle(
      bytes,
      trustAuthority(w, { file: { name: 'f', size: CONTENT.length, digests: { md5: new Uint8Array(16) } } }),
    );
    expectFailed(md5Only, { codes: ['FILE_NOT_COMPARED'], failed: ['file-digests'] });
  });
});

describe('an authority rotation before the exhibit events', () => {
  async function rotated() {
    const w = await makeWorld();
    const next = seededSigner('authority 2');
    const rot = await w.ledger.append({ kind: 'rotate', newAuthority: next }, w.authority.signer);
    // An actor enrolled by the new authority takes part too.
    const be = seededSigner('be-custodian');
    const enrolled = await w.ledger.append(
      {
        kind: 'enrol',
        body: {
          publicKey: be.publicKey,
          name: 'Police fédérale',
          roles: ['custodian'],
          jurisdiction: 'BE',
          org: 'PJF',
        },
      },
      next,
    );
    const x = await register(w);
    await transfer(w, x, w.nlCollector, { signer: be, id: keyId(be.publicKey) }, EIO);
    await w.ledger.append({ kind: 'accept', body: { exhibit: x, digests: digestsOf(CONTENT) } }, be);
    const { bytes, bundle } = await exportBundle(w.ledger, x, { logKey: next });
    return { w, next, rotSeq: rot.seq, enrolSeq: enrolled.seq, bytes, bundle };
  }

  it('verifies trusting the original authority key (anchored at genesis)', async () => {
    const { w, next, rotSeq, enrolSeq, bytes, bundle } = await rotated();
    expect(bundle.entries.map((e) => e.seq)).toEqual(expect.arrayContaining([0, 1, rotSeq, enrolSeq]));
    const v = await verifyBundle(bytes, trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'file-digests']);
    expect(v.checkpoint?.signedBy?.id).toBe(keyId(next.publicKey));
    expect(v.checks.find((c) => c.id === 'anchor')?.detail).toContain('trust');
  });

  it('verifies trusting the new authority key (anchored at the rotation)', async () => {
    const { next, rotSeq, bytes } = await rotated();
    const v = await verifyBundle(bytes, { trustedKeys: [next.publicKey] });
    expectVerified(v, ['witness-quorum', 'file-digests']);
    expect(v.checks.find((c) => c.id === 'anchor')?.detail).toContain(`entry ${rotSeq}`);
    expect(v.anchors[0]).toMatchObject({ role: 'authority', matched: true });
  });

  it('a key that never was the authority does not anchor it', async () => {
    const { bytes } = await rotated();
    const v = await verifyBundle(bytes, { trustedKeys: [strangerSigner('x').publicKey] });
    expectFailed(v, { codes: ['ANCHOR_MISMATCH'], failed: ['anchor'] });
  });
});

describe('bundle size follows the exhibit, not the ledger', () => {
  async function sized(noiseEvents: number) {
    const w = await makeWorld();
    await noise(w, noiseEvents / 2, 'BEFORE');
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.deCustodian, EIO);
    await accept(w, x, w.deCustodian);
    await noise(w, noiseEvents / 2, 'AFTER');
    await transfer(w, x, w.deCustodian, w.frCourt, JIT);
    await accept(w, x, w.frCourt);
    const { bytes, bundle } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const v = await verifyBundle(bytes, trustAuthority(w));
    expect(v.ok).toBe(true);
    let ledgerBytes = 0;
    for await (const r of w.store.entries(0, w.ledger.size)) ledgerBytes += r.bytes.length;
    return { bytes: bytes.length, entries: bundle.entries.length, ledgerSize: w.ledger.size, ledgerBytes };
  }

  it('2,000 unrelated events add only proof depth (a few hundred bytes per entry at most)', async () => {
    const small = await sized(20);
    const big = await sized(2000);
    expect(big.ledgerSize).toBeGreaterThan(2000);
    expect(big.entries).toBe(small.entries);
    // Each inclusion proof grows by at most log2(2035) - log2(25) < 8 hashes of 32 bytes.
    expect(big.bytes - small.bytes).toBeLessThanOrEqual(small.entries * 8 * 32);
    expect(big.bytes).toBeLessThan(small.bytes * 1.6);
    // And it is a small fraction of the ledger itself.
    expect(big.bytes).toBeLessThan(big.ledgerBytes / 20);
  });
});

describe('the bundle decodes to what the ledger holds', () => {
  it('every entry is the stored record at its seq, with a proof against the checkpoint', async () => {
    const w = await makeWorld();
    const x = await register(w);
    await noise(w, 10);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    const { bytes } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const b = decodeBundle(bytes);
    expect(b.origin).toBe(w.ledger.origin);
    expect(b.exhibit).toBe(x);
    for (const e of b.entries) {
      expect(e.record).toEqual(await w.store.entry(e.seq));
      expect(decodeRecord(e.record).payload.seq).toBe(e.seq);
      expect(e.proof).toEqual(await w.ledger.inclusionProof(e.seq, w.ledger.size));
    }
    const v = await verifyBundle(bytes, trustAuthority(w));
    expect(codesOf(v)).toEqual([]);
  });
});
