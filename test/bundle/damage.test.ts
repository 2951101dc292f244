/**
 * Evidence bundles, damaged on purpose: every kind of defect is rejected with
 * the specific problem code and failed check — removed, reordered and foreign
 * entries, a wrong trust anchor, a checkpoint that is stale, unsigned or signed
 * by the wrong key, a head attestation that hides a later event, a bad file
 * structure — and the limits of what a bundle can prove are pinned down.
 *
 * Regression tests for bugs found here assert the correct behaviour.
 */
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/export.js';
import { BUNDLE_MAGIC, type Bundle, decodeBundle, encodeBundle } from '../../src/bundle/format.js';
import { formatExhibitHead, signExhibitHead } from '../../src/bundle/head.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { fromBase64, toBase64, utf8 } from '../../src/bytes.js';
import { formatCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { cosignatureVerifier, signCosignature } from '../../src/checkpoint/cosignature.js';
import { formatNote, parseNote, signNoteLine } from '../../src/checkpoint/note.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { type Canonical, encodeCanonical } from '../../src/format/canonical.js';
import { keyId } from '../../src/format/ids.js';
import { decodeRecord } from '../../src/format/record.js';
import { attachCosignature, checkpointLedger } from '../../src/ledger/checkpoints.js';
import { MerkleFrontier } from '../../src/merkle/frontier.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { MemoryNodeStore } from '../../src/merkle/memory.js';
import { inclusionProof } from '../../src/merkle/proofs.js';
import { collect, Forger } from '../helpers/forge.js';
import { digestsOf, makeWorld, seededSigner, type World } from '../helpers/world.js';
import {
  accept,
  CONTENT,
  checksOf,
  codesOf,
  EIO,
  examine,
  expectFailed,
  expectMalformed,
  expectVerified,
  makeWorldAt,
  prngBytes,
  rebuild,
  register,
  strangerSigner,
  transfer,
  trustAuthority,
  withHead,
} from './helpers.js';

/**
 * The base case: seq 0 genesis, 1–6 enrolments (collector, NL examiner, DE
 * custodian, DE examiner, FR court, witness), 7 register, 8 transfer NL→NL,
 * 9 accept, 10 examine, 11 transfer NL→DE (EIO), 12 accept.
 */
async function baseCase(w?: World) {
  w ??= await makeWorld();
  const x = await register(w);
  await transfer(w, x, w.nlCollector, w.nlExaminer);
  await accept(w, x, w.nlExaminer);
  await examine(w, x, w.nlExaminer);
  await transfer(w, x, w.nlExaminer, w.deCustodian, EIO);
  await accept(w, x, w.deCustodian);
  const { bytes, bundle } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
  return { w, x, bytes, bundle };
}

const without = (bytes: Uint8Array, seq: number) =>
  rebuild(bytes, (b) => ({ ...b, entries: b.entries.filter((e) => e.seq !== seq) }));

describe('the base case verifies', () => {
  it('and carries exactly genesis, the three enrolments involved and the six events', async () => {
    const { w, bytes, bundle } = await baseCase();
    expect(bundle.entries.map((e) => e.seq)).toEqual([0, 1, 2, 3, 7, 8, 9, 10, 11, 12]);
    expectVerified(await verifyBundle(bytes, trustAuthority(w)), ['witness-quorum', 'file-digests']);
  });
});

describe('removed entries', () => {
  it('an exhibit event in the middle: EXHIBIT_LINK_BROKEN (exhibit-links), and the head no longer matches', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(without(bytes, 9), trustAuthority(w));
    expectFailed(v, {
      codes: ['EXHIBIT_LINK_BROKEN', 'HEAD_ATTESTATION_INVALID'],
      failed: ['exhibit-links', 'history-complete'],
    });
    expect(v.problems.find((p) => p.code === 'EXHIBIT_LINK_BROKEN')?.seq).toBe(10);
    expect(v.entriesShown).not.toContain(9);
  });

  it('the last exhibit event, with the head attestation: HEAD_ATTESTATION_INVALID (history-complete)', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(without(bytes, 12), trustAuthority(w));
    expectFailed(v, { codes: ['HEAD_ATTESTATION_INVALID'], failed: ['history-complete'] });
    expect(codesOf(v)).toEqual(['HEAD_ATTESTATION_INVALID']);
  });

  it('the enrolment of a signer: ACTOR_UNKNOWN (signers)', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(without(bytes, 1), trustAuthority(w));
    expectFailed(v, { codes: ['ACTOR_UNKNOWN'], failed: ['signers'] });
    expect(v.problems.find((p) => p.code === 'ACTOR_UNKNOWN')?.seq).toBe(7);
  });

  it('the enrolment of a receiver: RECEIVER_UNKNOWN (custody-rules)', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(without(bytes, 3), trustAuthority(w));
    expectFailed(v, { codes: ['RECEIVER_UNKNOWN'], failed: ['custody-rules'] });
  });

  it('genesis: GENESIS_MISSING, and nothing is anchored or signed by a known log key', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(without(bytes, 0), trustAuthority(w));
    expectFailed(v, {
      codes: ['GENESIS_MISSING', 'ANCHOR_MISMATCH', 'CHECKPOINT_UNSIGNED'],
      failed: ['signers', 'anchor', 'checkpoint-signature'],
    });
  });

  it('the registration: EXHIBIT_UNKNOWN', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(without(bytes, 7), trustAuthority(w));
    expectFailed(v, { codes: ['EXHIBIT_UNKNOWN'], failed: ['custody-rules'] });
    expect(v.exhibit).toBeNull();
  });
});

describe('order, duplicates and positions', () => {
  it('reordered entries are BUNDLE_MALFORMED (strictly ascending seq)', async () => {
    const { w, bytes } = await baseCase();
    const b = decodeBundle(bytes);
    const swapped = [...b.entries];
    [swapped[4], swapped[5]] = [swapped[5]!, swapped[4]!];
    await expectMalformed(encodeBundle({ ...b, entries: swapped }), trustAuthority(w), /ascending/);
    const reversed = encodeBundle({ ...b, entries: [...b.entries].reverse() });
    await expectMalformed(reversed, trustAuthority(w), /ascending/);
  });

  it('a duplicated entry is BUNDLE_MALFORMED', async () => {
    const { w, bytes } = await baseCase();
    const b = decodeBundle(bytes);
    const dup = [...b.entries.slice(0, 5), b.entries[4]!, ...b.entries.slice(5)];
    await expectMalformed(encodeBundle({ ...b, entries: dup }), trustAuthority(w), /ascending/);
  });

  it('an entry moved to another position: PROOF_INVALID and SEQ_MISMATCH (inclusion-proofs)', async () => {
    const { w, bytes } = await baseCase();
    const moved = rebuild(bytes, (b) => ({
      ...b,
      entries: b.entries.map((e) => (e.seq === 7 ? { ...e, seq: 6 } : e)),
    }));
    const v = await verifyBundle(moved, trustAuthority(w));
    expectFailed(v, { codes: ['PROOF_INVALID', 'SEQ_MISMATCH'], failed: ['inclusion-proofs'] });
  });

  it('a record that is not a record: RECORD_MALFORMED (records) and PROOF_INVALID', async () => {
    const { w, bytes } = await baseCase();
    const junk = rebuild(bytes, (b) => ({
      ...b,
      entries: b.entries.map((e) => (e.seq === 10 ? { ...e, record: utf8('not a record') } : e)),
    }));
    const v = await verifyBundle(junk, trustAuthority(w));
    expectFailed(v, {
      codes: ['RECORD_MALFORMED', 'PROOF_INVALID'],
      failed: ['records', 'inclusion-proofs'],
    });
  });
});

describe('entries from another ledger', () => {
  async function twoLedgers() {
    const base = await baseCase();
    const other = await baseCase(await makeWorldAt('custody.test/other-ledger'));
    // Same keys, same positions, same exhibit id: only the log differs.
    expect(other.x).toBe(base.x);
    return { base, other };
  }
  const entryAt = (b: Bundle, seq: number) => b.entries.find((e) => e.seq === seq)!;

  it.each([
    ['an enrolment', 1],
    ['the registration', 7],
    ['a hand-over', 11],
  ])('%s at the same position (with its own proof): PROOF_INVALID and SIGNATURE_INVALID', async (_, seq) => {
    const { base, other } = await twoLedgers();
    for (const keepProof of [true, false]) {
      const foreign = rebuild(base.bytes, (b) => ({
        ...b,
        entries: b.entries.map((e) =>
          e.seq === seq
            ? {
                ...e,
                record: entryAt(other.bundle, seq).record,
                proof: keepProof ? e.proof : entryAt(other.bundle, seq).proof,
              }
            : e,
        ),
      }));
      const v = await verifyBundle(foreign, trustAuthority(base.w));
      expectFailed(v, {
        codes: ['PROOF_INVALID', 'SIGNATURE_INVALID'],
        failed: ['inclusion-proofs', 'signatures'],
      });
      expect(v.problems.filter((p) => p.code === 'PROOF_INVALID').map((p) => p.seq)).toEqual([seq]);
      expect(v.problems.filter((p) => p.code === 'SIGNATURE_INVALID').map((p) => p.seq)).toEqual([seq]);
    }
  });

  it("the other ledger's whole bundle under this ledger's origin: origin mismatches", async () => {
    const { base, other } = await twoLedgers();
    const relabelled = rebuild(other.bytes, (b) => ({ ...b, origin: base.w.ledger.origin }));
    const v = await verifyBundle(relabelled, trustAuthority(base.w));
    expectFailed(v, {
      codes: ['CHECKPOINT_ORIGIN_MISMATCH', 'ORIGIN_MISMATCH'],
      failed: ['checkpoint-signature'],
    });
  });
});

describe('trust anchor', () => {
  it('a wrong trusted key: ANCHOR_MISMATCH, and only the anchor check fails', async () => {
    const { bytes } = await baseCase();
    const v = await verifyBundle(bytes, { trustedKeys: [strangerSigner('not the authority').publicKey] });
    expectFailed(v, { codes: ['ANCHOR_MISMATCH'], failed: ['anchor'] });
    expect(codesOf(v)).toEqual(['ANCHOR_MISMATCH']);
    expect(v.checks.filter((c) => c.verdict === 'fail').map((c) => c.id)).toEqual(['anchor']);
    expect(v.anchors[0]).toMatchObject({ role: 'authority', matched: false });
  });

  it('a trusted key that is only an enrolled actor (not the authority) does not anchor', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(bytes, { trustedKeys: [w.nlCollector.signer.publicKey] });
    expectFailed(v, { codes: ['ANCHOR_MISMATCH'], failed: ['anchor'] });
  });

  it('no trusted key at all: anchor not checked and the verdict is never ok', async () => {
    const { bytes } = await baseCase();
    const v = await verifyBundle(bytes, { trustedKeys: [] });
    expect(v.problems).toEqual([]);
    expect(checksOf(v)['anchor']).toBe('not-checked');
    expect(v.ok).toBe(false);
  });

  it('one of several trusted keys is enough', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(bytes, {
      trustedKeys: [strangerSigner('a').publicKey, w.authority.signer.publicKey],
    });
    expectVerified(v, ['witness-quorum', 'file-digests']);
    expect(v.anchors.map((a) => a.matched)).toEqual([false, true, true]);
  });
});

describe('checkpoints', () => {
  it('a proof for another tree size: swap in a newer checkpoint → PROOF_INVALID (inclusion-proofs)', async () => {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    await checkpointLedger(w.ledger, w.authority.signer);
    const older = await exportBundle(w.ledger, x);
    await accept(w, x, w.nlExaminer);
    const newer = await checkpointLedger(w.ledger, w.authority.signer);
    // The older bundle is valid on its own.
    expectVerified(await verifyBundle(older.bytes, trustAuthority(w)), [
      'witness-quorum',
      'history-complete',
      'file-digests',
    ]);
    const swapped = rebuild(older.bytes, (b) => ({ ...b, checkpoint: newer.note }));
    const v = await verifyBundle(swapped, trustAuthority(w));
    expectFailed(v, { codes: ['PROOF_INVALID'], failed: ['inclusion-proofs'] });
    // Every entry: none of the proofs is for the newer tree.
    expect(v.problems.filter((p) => p.code === 'PROOF_INVALID')).toHaveLength(older.bundle.entries.length);
  });

  it('an older checkpoint for newer proofs: PROOF_INVALID', async () => {
    const w = await makeWorld();
    const x = await register(w);
    const first = await checkpointLedger(w.ledger, w.authority.signer);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    const { bytes } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const v = await verifyBundle(
      rebuild(bytes, (b) => ({ ...b, checkpoint: first.note })),
      trustAuthority(w),
    );
    expectFailed(v, { codes: ['PROOF_INVALID'], failed: ['inclusion-proofs'] });
  });

  it('signed by an enrolled actor that is not a log key: CHECKPOINT_UNSIGNED', async () => {
    const { w, bytes, bundle } = await baseCase();
    const text = parseNote(bundle.checkpoint).text;
    for (const signer of [w.nlCollector.signer, w.witness.signer, strangerSigner('log')]) {
      const note = formatNote(text, [signNoteLine(text, w.ledger.origin, signer)]);
      const v = await verifyBundle(
        rebuild(bytes, (b) => ({ ...b, checkpoint: note })),
        trustAuthority(w),
      );
      expectFailed(v, { codes: ['CHECKPOINT_UNSIGNED'], failed: ['checkpoint-signature'] });
      // The head cannot be checked without a log key.
      expect(checksOf(v)['history-complete']).toBe('not-checked');
    }
  });

  it('signed under another key name: CHECKPOINT_UNSIGNED', async () => {
    const { w, bytes, bundle } = await baseCase();
    const text = parseNote(bundle.checkpoint).text;
    const note = formatNote(text, [signNoteLine(text, 'custody.test/another-name', w.authority.signer)]);
    const v = await verifyBundle(
      rebuild(bytes, (b) => ({ ...b, checkpoint: note })),
      trustAuthority(w),
    );
    expectFailed(v, { codes: ['CHECKPOINT_UNSIGNED'], failed: ['checkpoint-signature'] });
  });

  it("the log key's signature altered: CHECKPOINT_SIGNATURE_INVALID", async () => {
    const { w, bytes, bundle } = await baseCase();
    const { text, signatures } = parseNote(bundle.checkpoint);
    const sig = fromBase64(signatures[0]!.line.split(' ')[2]!.trimEnd())!;
    sig[10]! ^= 0x01;
    const note = `${text}\n\u2014 ${signatures[0]!.name} ${toBase64(sig)}\n`;
    const v = await verifyBundle(
      rebuild(bytes, (b) => ({ ...b, checkpoint: note })),
      trustAuthority(w),
    );
    expectFailed(v, { codes: ['CHECKPOINT_SIGNATURE_INVALID'], failed: ['checkpoint-signature'] });
  });

  it('a validly signed checkpoint for a different root: every proof fails', async () => {
    const { w, bytes, bundle } = await baseCase();
    const cp = parseNote(bundle.checkpoint).text.split('\n');
    const text = formatCheckpoint({ origin: cp[0]!, size: Number(cp[1]), root: prngBytes('root', 32) });
    const note = formatNote(text, [signNoteLine(text, w.ledger.origin, w.authority.signer)]);
    const v = await verifyBundle(
      rebuild(bytes, (b) => ({ ...withHead(b, undefined), checkpoint: note })),
      trustAuthority(w),
    );
    expectFailed(v, { codes: ['PROOF_INVALID'], failed: ['inclusion-proofs'] });
  });

  it('not a checkpoint at all: CHECKPOINT_MALFORMED', async () => {
    const { w, bytes } = await baseCase();
    const v = await verifyBundle(
      rebuild(bytes, (b) => ({ ...b, checkpoint: 'hello\n' })),
      trustAuthority(w),
    );
    expectFailed(v, { codes: ['CHECKPOINT_MALFORMED', 'PROOF_INVALID'], failed: ['checkpoint-signature'] });
    expect(v.checkpoint).toBeNull();
  });

  it('witness-quorum reports pass ("0 of 1 … cosigned") when the log signature is missing or the checkpoint malformed', async () => {
    // Regression: src/bundle/verify.ts builds the witness-quorum check from
    // checkCheckpointNote's problems only; when the log signature does not verify
    // (CHECKPOINT_UNSIGNED / CHECKPOINT_SIGNATURE_INVALID) or the checkpoint does not
    // parse, no WITNESS_QUORUM problem is produced and the check shows verdict
    // 'pass' with the detail "0 of 1 required witnesses cosigned the checkpoint ()".
    // The verdict is still not ok, but the report states that an unmet quorum passed.
    // Expected: 'fail' (or 'not-checked'), never 'pass' with 0 of 1.
    const { w, bytes, bundle } = await baseCase();
    const text = parseNote(bundle.checkpoint).text;
    const witness = cosignatureVerifier('witness.example', w.witness.signer.publicKey);
    const opts = trustAuthority(w, { witnesses: [witness], quorum: 1 });
    const unsigned = formatNote(text, [signNoteLine(text, w.ledger.origin, w.nlCollector.signer)]);
    for (const checkpoint of [unsigned, 'not a checkpoint\n']) {
      const v = await verifyBundle(
        rebuild(bytes, (b) => ({ ...b, checkpoint })),
        opts,
      );
      expect(v.ok).toBe(false);
      expect(checksOf(v)['witness-quorum'], v.checks.find((c) => c.id === 'witness-quorum')?.detail).not.toBe(
        'pass',
      );
    }
  });

  it('a dedicated log key verifies while enrolled; once revoked, its checkpoints are CHECKPOINT_UNSIGNED', async () => {
    const w = await makeWorld();
    const log = seededSigner('log key');
    const enrolled = await w.ledger.append(
      {
        kind: 'enrol',
        body: { publicKey: log.publicKey, name: 'NFI log', roles: ['log'], jurisdiction: 'NL', org: 'NFI' },
      },
      w.authority.signer,
    );
    const x = await register(w);
    await checkpointLedger(w.ledger, log);
    const live = await exportBundle(w.ledger, x);
    expect(live.bundle.entries.map((e) => e.seq)).toContain(enrolled.seq);
    const v = await verifyBundle(live.bytes, trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'history-complete', 'file-digests']);
    expect(v.checkpoint?.signedBy?.id).toBe(keyId(log.publicKey));

    const revoked = await w.ledger.append(
      { kind: 'revoke', body: { actor: keyId(log.publicKey), reason: 'key compromised' } },
      w.authority.signer,
    );
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    const after = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    // The revocation of a log key travels with the bundle.
    expect(after.bundle.entries.map((e) => e.seq)).toContain(revoked.seq);
    expectVerified(await verifyBundle(after.bytes, trustAuthority(w)), ['witness-quorum', 'file-digests']);
    const text = parseNote(after.bundle.checkpoint).text;
    const byRevoked = formatNote(text, [signNoteLine(text, w.ledger.origin, log)]);
    const forged = rebuild(after.bytes, (b) => ({ ...b, checkpoint: byRevoked }));
    expectFailed(await verifyBundle(forged, trustAuthority(w)), {
      codes: ['CHECKPOINT_UNSIGNED'],
      failed: ['checkpoint-signature'],
    });
  });

  it('a configured witness whose cosignature was altered: the checkpoint is refused', async () => {
    const w = await makeWorld();
    const x = await register(w);
    const { note, size } = await checkpointLedger(w.ledger, w.authority.signer);
    const witness = cosignatureVerifier('witness.example', w.witness.signer.publicKey);
    await attachCosignature(
      w.ledger,
      size,
      signCosignature(parseNote(note).text, 'witness.example', w.witness.signer, 1),
      witness,
    );
    const { bytes, bundle } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const { text, signatures } = parseNote(bundle.checkpoint);
    const cosig = signatures.find((s) => s.name === 'witness.example')!;
    const raw = fromBase64(cosig.line.split(' ')[2]!.trimEnd())!;
    raw[raw.length - 1]! ^= 0x01;
    const altered = `${text}\n${signatures[0]!.line}\u2014 witness.example ${toBase64(raw)}\n`;
    const damaged = rebuild(bytes, (b) => ({ ...b, checkpoint: altered }));
    const v = await verifyBundle(damaged, trustAuthority(w, { witnesses: [witness], quorum: 1 }));
    expectFailed(v, { codes: ['CHECKPOINT_SIGNATURE_INVALID'], failed: ['checkpoint-signature'] });
    // Without witness keys, an unknown cosignature line is simply ignored (it proves nothing either way).
    expect((await verifyBundle(damaged, trustAuthority(w))).ok).toBe(true);
  });
});

describe('the head attestation', () => {
  async function twoExports() {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    const first = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    // A later event: the NL examiner takes it over.
    const later = await accept(w, x, w.nlExaminer);
    const second = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    return { w, x, first, second, laterSeq: later.seq };
  }

  it('an old head with the later event present: HEAD_ATTESTATION_INVALID (history-complete)', async () => {
    const { w, first, second } = await twoExports();
    const v = await verifyBundle(
      rebuild(second.bytes, (b) => withHead(b, first.bundle.head)),
      trustAuthority(w),
    );
    expectFailed(v, { codes: ['HEAD_ATTESTATION_INVALID'], failed: ['history-complete'] });
    expect(codesOf(v)).toEqual(['HEAD_ATTESTATION_INVALID']);
  });

  it('an old head with the later event left out: HEAD_ATTESTATION_INVALID (it names an older tree)', async () => {
    const { w, first, second, laterSeq } = await twoExports();
    const hidden = rebuild(second.bytes, (b) => ({
      ...withHead(b, first.bundle.head),
      entries: b.entries.filter((e) => e.seq !== laterSeq),
    }));
    const v = await verifyBundle(hidden, trustAuthority(w));
    expectFailed(v, { codes: ['HEAD_ATTESTATION_INVALID'], failed: ['history-complete'] });
  });

  it('signed by a key that is not the log key, or for another exhibit or size: HEAD_ATTESTATION_INVALID', async () => {
    const { w, x, second } = await twoExports();
    const xr = (await w.ledger.exhibit(x))!;
    const h = {
      origin: w.ledger.origin,
      size: w.ledger.size,
      exhibit: x,
      lastSeq: xr.lastSeq,
      lastHash: xr.lastHash,
    };
    const other = await register(w, 'HDD-02');
    const heads: [string, string][] = [
      ['by the collector', signExhibitHead(h, w.nlCollector.signer)],
      ['by a stranger', signExhibitHead(h, strangerSigner('h'))],
      ['for another exhibit', signExhibitHead({ ...h, exhibit: other }, w.authority.signer)],
      ['for another size', signExhibitHead({ ...h, size: h.size + 1 }, w.authority.signer)],
      ['for another seq', signExhibitHead({ ...h, lastSeq: h.lastSeq - 1 }, w.authority.signer)],
      ['for another hash', signExhibitHead({ ...h, lastHash: prngBytes('h', 32) }, w.authority.signer)],
      ['unsigned text', formatExhibitHead(h)],
      ['not a note', 'garbage'],
      ['empty', ''],
    ];
    // The genuine head, re-signed, passes: the cases below differ from it in one respect each.
    const genuine = rebuild(second.bytes, (b) => ({ ...b, head: signExhibitHead(h, w.authority.signer) }));
    expect((await verifyBundle(genuine, trustAuthority(w))).ok).toBe(true);
    for (const [why, head] of heads) {
      const v = await verifyBundle(
        rebuild(second.bytes, (b) => ({ ...b, head })),
        trustAuthority(w),
      );
      expect(codesOf(v), why).toEqual(['HEAD_ATTESTATION_INVALID']);
      expect(checksOf(v)['history-complete'], why).toBe('fail');
      expect(v.ok, why).toBe(false);
    }
  });
});

describe('malformed files (BUNDLE_MALFORMED, never another exception)', () => {
  const body = (b: Bundle, extra: Record<string, Canonical> = {}): Record<string, Canonical> => ({
    v: 1,
    origin: b.origin,
    exhibit: b.exhibit,
    checkpoint: b.checkpoint,
    ...(b.head !== undefined ? { head: b.head } : {}),
    entries: b.entries.map((e) => ({ seq: e.seq, record: e.record, proof: e.proof })),
    ...extra,
  });
  const withMagic = (magic: string, enc: Uint8Array) => {
    const m = utf8(magic);
    const out = new Uint8Array(m.length + enc.length);
    out.set(m);
    out.set(enc, m.length);
    return out;
  };

  it('the canonical body with the right magic is exactly encodeBundle', async () => {
    const { bytes, bundle } = await baseCase();
    expect(withMagic(BUNDLE_MAGIC, encodeCanonical(body(bundle)))).toEqual(bytes);
    expect(BUNDLE_MAGIC).toBe('CUSTODY-BUNDLE/1\n');
    expect(utf8(BUNDLE_MAGIC)).toHaveLength(17);
  });

  it('a valid body behind a wrong magic or version', async () => {
    const { w, bundle } = await baseCase();
    const enc = encodeCanonical(body(bundle));
    const opts = trustAuthority(w);
    await expectMalformed(enc, opts, /header/);
    await expectMalformed(withMagic('CUSTODY-BUNDLE/2\n', enc), opts, /unsupported bundle version/);
    await expectMalformed(withMagic('CUSTODY-BUNDLE/1\r\n', enc), opts);
    await expectMalformed(withMagic('custody-bundle/1\n', enc), opts, /header/);
    await expectMalformed(withMagic('CUSTODY-LEDGER/1\n', enc), opts, /header/);
    await expectMalformed(withMagic(BUNDLE_MAGIC, encodeCanonical(body(bundle, { v: 2 }))), opts, /version/);
    await expectMalformed(withMagic(BUNDLE_MAGIC, encodeCanonical(body(bundle, { v: 0 }))), opts, /version/);
  });

  it('fields missing, unknown, of the wrong type, or out of bounds', async () => {
    const { w, bundle } = await baseCase();
    const opts = trustAuthority(w);
    const drop = (k: string) => {
      const b = body(bundle);
      delete b[k];
      return withMagic(BUNDLE_MAGIC, encodeCanonical(b));
    };
    for (const k of ['v', 'origin', 'exhibit', 'checkpoint', 'entries']) await expectMalformed(drop(k), opts);
    const variants: Record<string, Canonical>[] = [
      { extra: 1 },
      { origin: 7 },
      { origin: 'has a space' },
      { exhibit: 'EX-NOT-AN-ID' },
      { exhibit: 'HDD-01' },
      { checkpoint: utf8('bytes') },
      { head: 5 },
      { entries: [] },
      { entries: 'none' },
      { entries: [{ seq: 0, record: bundle.entries[0]!.record }] },
      { entries: [{ seq: 0, record: bundle.entries[0]!.record, proof: [], x: 1 }] },
      { entries: [{ seq: '0', record: bundle.entries[0]!.record, proof: [] }] },
      { entries: [{ seq: 0, record: new Uint8Array(0), proof: [] }] },
      { entries: [{ seq: 0, record: 'text', proof: [] }] },
      { entries: [{ seq: 0, record: bundle.entries[0]!.record, proof: [new Uint8Array(31)] }] },
      {
        entries: [
          {
            seq: 0,
            record: bundle.entries[0]!.record,
            proof: Array.from({ length: 65 }, () => new Uint8Array(32)),
          },
        ],
      },
      { entries: [[0, bundle.entries[0]!.record, []]] },
    ];
    for (const extra of variants)
      await expectMalformed(withMagic(BUNDLE_MAGIC, encodeCanonical(body(bundle, extra))), opts);
    await expectMalformed(withMagic(BUNDLE_MAGIC, encodeCanonical([1, 2, 3])), opts, /not a map/);
  });

  it('trailing bytes after the body', async () => {
    const { w, bytes } = await baseCase();
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    await expectMalformed(longer, trustAuthority(w));
  });

  it('truncated at every length', async () => {
    const { w, bytes } = await baseCase();
    const opts = trustAuthority(w);
    for (let n = 0; n < bytes.length; n++) {
      const err = await verifyBundle(bytes.subarray(0, n), opts).then(
        () => 'verified',
        (e: unknown) => (e instanceof CustodyError ? e.code : String(e)),
      );
      if (err !== 'BUNDLE_MALFORMED') expect.fail(`truncated at ${n} of ${bytes.length}: ${err}`);
    }
  });

  it('random bytes, with and without the magic', async () => {
    const { w } = await baseCase();
    const opts = trustAuthority(w);
    for (let i = 0; i < 200; i++) {
      const junk = prngBytes(`junk ${i}`, 1 + ((i * 37) % 700));
      await expectMalformed(junk, opts);
      await expectMalformed(withMagic(BUNDLE_MAGIC, junk), opts);
    }
  });
});

describe('what a bundle cannot prove (documented limits, not defects)', () => {
  it('without a head attestation, leaving out the last event goes unnoticed', async () => {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    const last = await accept(w, x, w.nlExaminer);
    await checkpointLedger(w.ledger, w.authority.signer);
    const { bytes } = await exportBundle(w.ledger, x);
    const v = await verifyBundle(without(bytes, last.seq), trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'history-complete', 'file-digests']);
    expect(v.timeline?.status).toBe('in-transit');
  });

  it('the revocation of a signer after its events can be left out; the bundle still verifies', async () => {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    await accept(w, x, w.nlExaminer);
    const revoked = await w.ledger.append(
      { kind: 'revoke', body: { actor: w.nlExaminer.id, reason: 'left the service' } },
      w.authority.signer,
    );
    const { bytes, bundle } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    expect(bundle.entries.map((e) => e.seq)).toContain(revoked.seq);
    const full = await verifyBundle(bytes, trustAuthority(w));
    expect(full.ok).toBe(true);
    expect(full.actors.find((a) => a.id === w.nlExaminer.id)?.revokedSeq).toBe(revoked.seq);
    const v = await verifyBundle(without(bytes, revoked.seq), trustAuthority(w));
    expect(v.ok).toBe(true);
    expect(v.actors.find((a) => a.id === w.nlExaminer.id)?.revokedSeq).toBeUndefined();
  });

  it("the head attests the exhibit's own last event only, not its sources' later events", async () => {
    const w = await makeWorld();
    const x = await register(w);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    await accept(w, x, w.nlExaminer);
    const copy = await w.ledger.append(
      {
        kind: 'register',
        body: {
          label: 'WC',
          caseRef: 'NL-2026-0042',
          description: 'copy',
          digests: digestsOf('wc'),
          size: 2,
          parent: x,
        },
      },
      w.nlExaminer.signer,
    );
    await transfer(w, x, w.nlExaminer, w.nlCollector);
    // The original's later re-check records a mismatch.
    const bad = await w.ledger.append(
      { kind: 'accept', body: { exhibit: x, digests: digestsOf('tampered') } },
      w.nlCollector.signer,
    );
    const { bytes } = await exportBundle(w.ledger, copy.exhibit!, { logKey: w.authority.signer });
    const full = await verifyBundle(bytes, trustAuthority(w));
    expectFailed(full, { codes: ['DIGEST_MISMATCH_RECORDED'], failed: ['recorded-integrity'] });
    expect(full.recordedMismatches).toEqual([bad.seq]);
    const trimmed = await verifyBundle(without(bytes, bad.seq), trustAuthority(w));
    expectVerified(trimmed, ['witness-quorum', 'file-digests']);
  });
});

describe('the exporter', () => {
  it('refuses an unknown exhibit, a ledger without checkpoint, a stale checkpoint and a non-log key', async () => {
    const w = await makeWorld();
    const x = await register(w);
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'exported',
        (e: unknown) => (e instanceof CustodyError ? e.code : String(e)),
      );
    expect(await code(exportBundle(w.ledger, x))).toBe('CHECKPOINT_NEEDED');
    await checkpointLedger(w.ledger, w.authority.signer);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    expect(await code(exportBundle(w.ledger, x))).toBe('CHECKPOINT_STALE');
    expect(await code(exportBundle(w.ledger, 'EX-00000-00000'))).toBe('EXHIBIT_UNKNOWN');
    expect(await code(exportBundle(w.ledger, x, { logKey: w.nlCollector.signer }))).toBe(
      'CHECKPOINT_SIGNER_NOT_LOG',
    );
  });

  it('export --key <authority> over a checkpoint signed by another log key writes a bundle that fails', async () => {
    // Regression: src/bundle/export.ts re-uses the stored checkpoint at the current size
    // (signed by the dedicated log key L) but signs the head with opts.logKey (the
    // authority, also an active log key); src/bundle/verify.ts checks the head only
    // against the key that signed the checkpoint → HEAD_ATTESTATION_INVALID, ok false.
    // Expected: a bundle the exporter just wrote verifies (sign the head with the
    // checkpoint's signer, refuse, or accept a head by any active log key).
    const w = await makeWorld();
    const log = seededSigner('log key');
    await w.ledger.append(
      {
        kind: 'enrol',
        body: { publicKey: log.publicKey, name: 'NFI log', roles: ['log'], jurisdiction: 'NL', org: 'NFI' },
      },
      w.authority.signer,
    );
    const x = await register(w);
    await checkpointLedger(w.ledger, log);
    const { bytes } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const v = await verifyBundle(bytes, trustAuthority(w));
    expect(codesOf(v)).toEqual([]);
    expect(v.ok).toBe(true);
  });
});

describe('authority rotation and checkpoints', () => {
  it('two rotations: trusting any of the three authority keys anchors the bundle', async () => {
    const w = await makeWorld();
    const second = seededSigner('authority 2');
    const third = seededSigner('authority 3');
    await w.ledger.append({ kind: 'rotate', newAuthority: second }, w.authority.signer);
    const x = await register(w);
    await w.ledger.append({ kind: 'rotate', newAuthority: third }, second);
    await transfer(w, x, w.nlCollector, w.nlExaminer);
    const { bytes } = await exportBundle(w.ledger, x, { logKey: third });
    for (const k of [w.authority.signer, second, third])
      expectVerified(await verifyBundle(bytes, { trustedKeys: [k.publicKey] }), [
        'witness-quorum',
        'file-digests',
      ]);
  });

  it('a checkpoint signed by a retired authority key is accepted (a forged history verifies against the NEW key)', async () => {
    // Regression: src/verify/checkpoint-note.ts (checkCheckpointNote) skips revoked log
    // keys but not retired ones (ActorRecord.retiredSeq, "same effect as
    // revocation"); checkpointLedger refuses them. Whoever holds the OLD authority
    // key after a rotation (the usual reason to rotate) can sign a tree of its
    // choosing: here an actor F enrolled by the old key in place of entry 6 (the
    // sparse replay takes positions from the proofs and cannot see the hash chain),
    // the genuine rotation at 7, and an exhibit registered by F. Trusting only the
    // NEW authority key, this verifies as ok with every check passing.
    // Expected: CHECKPOINT_UNSIGNED (a retired key is not a log key), ok false.
    const w = await makeWorld();
    const next = seededSigner('authority 2');
    await w.ledger.append({ kind: 'rotate', newAuthority: next }, w.authority.signer);
    const real = await collect(w.store.entries(0, w.ledger.size));
    const fake = seededSigner('fabricated collector');
    const f1 = Forger.after(real.slice(0, 6));
    const enrolF = f1.add({
      signer: w.authority.signer,
      event: {
        kind: 'enrol',
        body: {
          publicKey: fake.publicKey,
          name: 'F',
          roles: ['collector'],
          jurisdiction: 'NL',
          org: 'nowhere',
        },
      },
    });
    expect(decodeRecord(real[7]!.bytes).payload.kind).toBe('rotate');
    const f2 = Forger.after([...real.slice(0, 6), enrolF, real[7]!]);
    const reg = f2.add({
      signer: fake,
      event: {
        kind: 'register',
        body: {
          label: 'PLANTED',
          caseRef: 'NL-2026-0042',
          description: 'never seized',
          digests: digestsOf(CONTENT),
          size: CONTENT.length,
        },
      },
    });
    const bytes = await forgedBundle(w.ledger.origin, f2.records, [0, 6, 7, 8], w.authority.signer);
    expect(decodeRecord(reg.bytes).payload.kind).toBe('register');
    // The planted exhibit does not exist in the genuine ledger.
    expect(await w.ledger.exhibit(decodeBundle(bytes).exhibit)).toBeUndefined();
    const v = await verifyBundle(bytes, { trustedKeys: [next.publicKey] });
    expect(
      codesOf(v),
      `forged history verdict: ok=${v.ok}, signed by ${v.checkpoint?.signedBy?.id}`,
    ).toContain('CHECKPOINT_UNSIGNED');
    expect(v.ok).toBe(false);
  });

  it('a checkpoint of the genuine log signed by the retired authority key is accepted', async () => {
    // Regression: same cause as above, on the genuine log: expected CHECKPOINT_UNSIGNED.
    const w = await makeWorld();
    const next = seededSigner('authority 2');
    await w.ledger.append({ kind: 'rotate', newAuthority: next }, w.authority.signer);
    const x = await register(w);
    const { bytes } = await exportBundle(w.ledger, x, { logKey: next });
    const text = formatCheckpoint({ origin: w.ledger.origin, size: w.ledger.size, root: w.ledger.root() });
    const byRetired = formatNote(text, [signNoteLine(text, w.ledger.origin, w.authority.signer)]);
    const v = await verifyBundle(
      rebuild(bytes, (b) => ({ ...withHead(b, undefined), checkpoint: byRetired })),
      trustAuthority(w),
    );
    expectFailed(v, { codes: ['CHECKPOINT_UNSIGNED'], failed: ['checkpoint-signature'] });
  });
});

/** A bundle over an arbitrary list of records: a tree, proofs, a checkpoint signed by `signer`. */
async function forgedBundle(
  origin: string,
  records: readonly { seq: number; bytes: Uint8Array }[],
  show: number[],
  signer: Signer,
): Promise<Uint8Array> {
  const frontier = MerkleFrontier.empty();
  const nodes = new MemoryNodeStore();
  for (const r of records) nodes.put(frontier.append(hashLeaf(r.bytes)));
  const size = records.length;
  const text = formatCheckpoint({ origin, size, root: frontier.root() });
  const checkpoint = formatNote(text, [signNoteLine(text, origin, signer)]);
  const entries = [];
  for (const seq of show)
    entries.push({ seq, record: records[seq]!.bytes, proof: await inclusionProof(nodes, seq, size) });
  const exhibit = decodeRecord(records[show.at(-1)!]!.bytes).payload.body as { exhibit: string };
  return encodeBundle({ origin, exhibit: exhibit.exhibit, checkpoint, entries });
}
