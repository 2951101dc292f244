/**
 * Damaged v2 bundles (docs/BUNDLE.md §Checks and problem codes): one byte
 * flipped in each part, statements dropped, reordered or moved, openings
 * forged, a signer reported compromised, a file that is not the evidence.
 * Each must fail with its specific code, never verify.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type BundleV2, decodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { fromBase64, toBase64 } from '../../src/bytes.js';
import { parseCheckpoint, signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { cosignatureVerifier, signCosignature } from '../../src/checkpoint/cosignature.js';
import { formatNote, parseNote, signNoteLine } from '../../src/checkpoint/note.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, keyIdOf } from '../../src/format/key-id.js';
import { digestOf } from '../custody/v2-world.js';
import { seededSigner } from '../helpers/world.js';
import {
  bundleWorld,
  chain,
  checkpointOf,
  checksOf,
  codesOf,
  edit,
  enrol,
  expectFailed,
  expectVerified,
  flip,
  foundedWorld,
  govern,
  keyIdOfSigner,
  pinAuthority,
  register,
  type V2BundleWorld,
  verify,
} from './v2-helpers.js';

let w: V2BundleWorld;
let bytes: Uint8Array;

beforeAll(async () => {
  w = await bundleWorld('damage ');
  bytes = await exportBundleV2(w.ledger.store, w.ids.get('HDD-01')!, await checkpointOf(w));
});

const check = (b: Uint8Array) => verify(b, pinAuthority(w));
/** The item of `entries` at log index i. */
const at = (b: BundleV2, i: number) => b.entries.find((e) => e.index === i)!;

describe('one byte flipped in each part', () => {
  it('an entry: not proven in the log', async () => {
    const v = await check(edit(bytes, (b) => (at(b, 5).entry = flip(at(b, 5).entry, 20))));
    expectFailed(v, ['PROOF_INVALID'], ['inclusion-proofs']);
  });

  it('a payload: not the one its entry commits to', async () => {
    const v = await check(edit(bytes, (b) => (at(b, 6).payload = flip(at(b, 6).payload, 40))));
    expectFailed(v, ['PAYLOAD_HASH_MISMATCH'], ['records']);
  });

  it('an inclusion proof', async () => {
    const v = await check(edit(bytes, (b) => (at(b, 7).proof[0] = flip(at(b, 7).proof[0]!, 3))));
    expectFailed(v, ['PROOF_INVALID'], ['inclusion-proofs']);
  });

  it('the tail’s proof', async () => {
    const v = await check(edit(bytes, (b) => (b.tail.proof[0] = flip(b.tail.proof[0]!, 0))));
    expectFailed(v, ['TAIL_INVALID'], ['inclusion-proofs']);
    expect(v.checks.find((c) => c.id === 'history-complete')?.verdict).toBe('not-checked');
  });

  it('the checkpoint signature', async () => {
    const v = await check(
      edit(bytes, (b) => {
        // The signature line is "— <name> <base64(keyId ‖ signature)>": flip one signature bit.
        const lines = b.checkpoint.split('\n');
        const i = lines.findIndex((l) => l.startsWith('\u2014 '));
        const parts = lines[i]!.split(' ');
        const sig = fromBase64(parts[2]!)!;
        parts[2] = toBase64(flip(sig, 10));
        lines[i] = parts.join(' ');
        b.checkpoint = lines.join('\n');
      }),
    );
    expectFailed(v, ['CHECKPOINT_SIGNATURE_INVALID'], ['checkpoint-signature']);
  });

  it('a checkpoint signed by another key than the log key', async () => {
    const text = decodeBundleV2(bytes).checkpoint.split('\n\n')[0]!;
    const lines = text.split('\n');
    const forged = signCheckpoint(
      { origin: lines[0]!, size: Number(lines[1]), root: fromBase64(lines[2]!)! },
      lines[0]!,
      w.authority,
    );
    const v = await check(edit(bytes, (b) => (b.checkpoint = forged)));
    expectFailed(v, ['CHECKPOINT_UNSIGNED'], ['checkpoint-signature']);
  });

  it('the checkpoint root', async () => {
    const v = await check(
      edit(bytes, (b) => {
        const lines = b.checkpoint.split('\n');
        lines[2] = toBase64(flip(fromBase64(lines[2]!)!, 0));
        b.checkpoint = lines.join('\n');
      }),
    );
    // Nothing is proven against a root the log key did not sign, not even genesis, which names the
    // log key: the signature cannot even be checked, and nothing passes for it.
    expectFailed(v, ['PROOF_INVALID', 'GENESIS_MISSING'], ['inclusion-proofs']);
    expect(v.checks.find((c) => c.id === 'checkpoint-signature')?.verdict).toBe('not-checked');
    expect(v.checks.filter((c) => c.verdict === 'pass').map((c) => c.id)).toEqual(['bundle-structure']);
  });

  it('a record', async () => {
    const v = await check(
      edit(bytes, (b) => {
        const r = b.records.find((x) => x.ns === 'exhibit')!;
        r.record = flip(r.record!, r.record!.length - 1);
      }),
    );
    expectFailed(v, ['RECORD_HASH_MISMATCH'], ['history-complete']);
  });

  it('a map proof', async () => {
    const v = await check(
      edit(bytes, (b) => {
        const r = b.records.find((x) => x.ns === 'ledger')!;
        r.proof = flip(r.proof, r.proof.length - 1);
      }),
    );
    expectFailed(v, ['MAP_PROOF_INVALID'], ['history-complete']);
  });

  it('a seen root', async () => {
    const v = await check(edit(bytes, (b) => (b.seen[0]!.root = flip(b.seen[0]!.root, 31))));
    expectFailed(v, ['SEEN_PROOF_INVALID', 'SEEN_MISMATCH'], ['inclusion-proofs', 'custody-rules']);
  });

  it('the exhibit id', async () => {
    const v = await check(edit(bytes, (b) => (b.exhibit = flip(b.exhibit, 0))));
    expectFailed(v, ['EXHIBIT_UNKNOWN', 'RECORD_MISSING']);
  });
});

describe('statements left out, reordered, moved', () => {
  it('the exhibit’s last event dropped: the exhibit record’s head shows it', async () => {
    const v = await check(edit(bytes, (b) => (b.entries = b.entries.filter((e) => e.index !== 8))));
    expectFailed(v, ['EXHIBIT_HEAD_MISMATCH'], ['history-complete']);
    expect(v.problems.find((p) => p.code === 'EXHIBIT_HEAD_MISMATCH')?.seq).toBe(8);
  });

  it('an event in the middle dropped: the next one no longer links', async () => {
    const v = await check(edit(bytes, (b) => (b.entries = b.entries.filter((e) => e.index !== 6))));
    expectFailed(v, ['EXHIBIT_LINK_BROKEN', 'EXHIBIT_HEAD_MISMATCH'], ['exhibit-links']);
  });

  it('the last governance statement dropped: the ledger record’s head shows it', async () => {
    const v = await check(edit(bytes, (b) => (b.entries = b.entries.filter((e) => e.index !== 3))));
    expectFailed(v, ['LEDGER_HEAD_MISMATCH'], ['history-complete']);
  });

  it('an enrolment dropped: the ledger chain breaks and its key is unknown', async () => {
    const v = await check(edit(bytes, (b) => (b.entries = b.entries.filter((e) => e.index !== 1))));
    expectFailed(v, ['LEDGER_LINK_BROKEN', 'ACTOR_UNKNOWN'], ['exhibit-links', 'signers']);
  });

  it('genesis dropped', async () => {
    const v = await check(edit(bytes, (b) => (b.entries = b.entries.filter((e) => e.index !== 0))));
    expectFailed(v, ['GENESIS_MISSING'], ['custody-rules']);
  });

  it('entries out of order: the file is refused', async () => {
    const v = await check(
      edit(bytes, (b) => {
        const [x, y] = [b.entries[4]!, b.entries[5]!];
        b.entries[4] = y;
        b.entries[5] = x;
      }),
    );
    // (encodeBundleV2 writes its input as given; the decoder refuses the order.)
    expectFailed(v, ['BUNDLE_MALFORMED'], ['bundle-structure']);
  });

  it('two statements swapped between positions: neither is proven where it stands', async () => {
    const v = await check(
      edit(bytes, (b) => {
        const [x, y] = [at(b, 5), at(b, 6)];
        [x.entry, y.entry] = [y.entry, x.entry];
        [x.payload, y.payload] = [y.payload, x.payload];
      }),
    );
    expectFailed(v, ['PROOF_INVALID'], ['inclusion-proofs']);
  });

  it('a record left out', async () => {
    const v = await check(edit(bytes, (b) => (b.records = b.records.filter((r) => r.ns !== 'ledger'))));
    expectFailed(v, ['RECORD_MISSING'], ['history-complete']);
  });

  it('a seen root left out: the statement’s checkpoint is unknown', async () => {
    const v = await check(edit(bytes, (b) => (b.seen = b.seen.slice(1))));
    expectFailed(v, ['SEEN_MISMATCH'], ['custody-rules']);
  });
});

describe('openings', () => {
  it('a forged cleartext does not open its commitment', async () => {
    const v = await check(
      edit(bytes, (b) => {
        const e = at(b, 4);
        const salt = new Uint8Array(32);
        e.openings = encodeCanonical({ description: [salt, 'Something else entirely'] });
      }),
    );
    expectFailed(v, ['OPENING_INVALID'], ['openings']);
    expect(v.openings.find((o) => o.index === 4 && o.field === 'description')?.status).toBe('invalid');
  });

  it('a cleartext for a field that is not committed', async () => {
    const v = await check(
      edit(bytes, (b) => (at(b, 4).openings = encodeCanonical({ label: [new Uint8Array(32), 'x'] }))),
    );
    expectFailed(v, ['OPENING_INVALID'], ['openings']);
  });

  it('undecodable openings', async () => {
    const v = await check(edit(bytes, (b) => (at(b, 5).openings = new Uint8Array([0xc1]))));
    expectFailed(v, ['OPENING_INVALID'], ['openings']);
  });

  it('some withheld, others revealed: still verified', async () => {
    const v = await check(edit(bytes, (b) => delete at(b, 5).openings));
    expectVerified(v);
    expect(v.openings.find((o) => o.index === 5)?.status).toBe('withheld');
    expect(v.openings.find((o) => o.index === 4)?.status).toBe('revealed');
  });
});

describe('signers and the file in hand', () => {
  it('a signer later reported compromised since before it signed', async () => {
    const x = await foundedWorld('compromised ');
    const courier = seededSigner('compromised courier');
    await enrol(x, courier, ['custodian'], 'NL', 'Courier');
    await register(x, x.collector, 'USB-01');
    await chain(x, 'USB-01', 'transfer', x.collector, { to: keyIdOfSigner(courier), reason: 'Courier run' });
    const accepted = await chain(x, 'USB-01', 'accept', courier, { seal: 'intact' });
    const b0 = await exportBundleV2(x.ledger.store, x.ids.get('USB-01')!, await checkpointOf(x));
    expectVerified(await verify(b0, pinAuthority(x)));
    await govern(x, 'revoke', {
      key: keyIdOfSigner(courier),
      reason: 'Key stolen',
      compromisedSince: accepted.index,
    });
    const b = await exportBundleV2(x.ledger.store, x.ids.get('USB-01')!, await checkpointOf(x));
    const v = await verify(b, pinAuthority(x));
    expectFailed(v, ['SIGNER_COMPROMISED'], ['signers']);
    expect(v.problems.find((p) => p.code === 'SIGNER_COMPROMISED')?.seq).toBe(accepted.index);
    expect(v.actors.find((a) => a.name === 'Courier')?.revokedSeq).toBe(accepted.index + 1);
  });

  it('a revocation without compromise leaves earlier statements standing', async () => {
    const x = await foundedWorld('revoked ');
    await register(x, x.collector, 'DVD-01');
    await govern(x, 'revoke', { key: keyIdOfSigner(x.examiner), reason: 'Left the service' });
    const b = await exportBundleV2(x.ledger.store, x.ids.get('DVD-01')!, await checkpointOf(x));
    expectVerified(await verify(b, pinAuthority(x)));
  });

  it('a file whose digest differs', async () => {
    const file = { name: 'other.img', size: 1000, digests: digestOf('something else') };
    const v = await verify(bytes, pinAuthority(w, { file }));
    expectFailed(v, ['FILE_DIGEST_MISMATCH'], ['file-digests']);
    expect(v.file?.matches).toBe(false);
  });

  it('a file of another size, or with no digest to compare', async () => {
    const v = await verify(
      bytes,
      pinAuthority(w, { file: { name: 'f', size: 999, digests: digestOf('HDD-01') } }),
    );
    expectFailed(v, ['FILE_SIZE_MISMATCH'], ['file-digests']);
    const none = await verify(bytes, pinAuthority(w, { file: { name: 'f', size: 1000, digests: {} } }));
    expectFailed(none, ['FILE_NOT_COMPARED'], ['file-digests']);
  });

  it('another ledger’s bundle under the pinned authority', async () => {
    const forged = await bundleWorld('forger ');
    const b = await exportBundleV2(
      forged.ledger.store,
      forged.ids.get('HDD-01')!,
      await checkpointOf(forged),
    );
    const v = await check(b);
    expectFailed(v, ['ANCHOR_MISMATCH'], ['anchor']);
    expect(codesOf(v)).toEqual(['ANCHOR_MISMATCH']);
  });
});

// ---------------------------------------------------------------------------
// The v1 damage cases (test/bundle/damage.test.ts) that the cases above miss.

describe('more statements left out, duplicated or spliced in', () => {
  it('the registration dropped: the exhibit is unknown', async () => {
    const v = await check(edit(bytes, (b) => (b.entries = b.entries.filter((e) => e.index !== 4))));
    expectFailed(v, ['EXHIBIT_UNKNOWN']);
  });

  it('the receiver’s enrolment dropped: the hand-over names an unknown receiver', async () => {
    const v = await check(edit(bytes, (b) => (b.entries = b.entries.filter((e) => e.index !== 2))));
    expectFailed(v, ['RECEIVER_UNKNOWN', 'LEDGER_LINK_BROKEN'], ['custody-rules', 'exhibit-links']);
    expect(v.problems.find((p) => p.code === 'RECEIVER_UNKNOWN')?.seq).toBe(5);
  });

  it('a duplicated entry: the file is refused', async () => {
    const v = await check(edit(bytes, (b) => b.entries.splice(5, 0, structuredClone(at(b, 5)))));
    expectFailed(v, ['BUNDLE_MALFORMED'], ['bundle-structure']);
  });

  it('an entry of another ledger spliced in at the same position, with its own proof', async () => {
    const other = await bundleWorld('splice ');
    const theirs = decodeBundleV2(
      await exportBundleV2(other.ledger.store, other.ids.get('HDD-01')!, await checkpointOf(other)),
    );
    const v = await check(
      edit(bytes, (b) => {
        const i = b.entries.findIndex((e) => e.index === 5);
        b.entries[i] = at(theirs, 5);
      }),
    );
    expectFailed(v, ['PROOF_INVALID'], ['inclusion-proofs']);
    // Not proven, so not replayed: the accept after it no longer links.
    expect(v.timeline?.events.map((e) => e.seq)).not.toContain(5);
  });
});

describe('trust anchors', () => {
  it('a pinned key that is only an enrolled actor, not the authority, does not anchor', async () => {
    const v = await verify(bytes, { authorityKeys: [w.collector.publicKey] });
    expectFailed(v, ['ANCHOR_MISMATCH'], ['anchor']);
    expect(v.anchoredTo).toEqual([]);
  });

  it('one of several pinned authority keys is enough', async () => {
    const v = await verify(bytes, {
      authorityKeys: [seededSigner('unrelated').publicKey, w.authority.publicKey],
    });
    expect(v.anchoredTo).toEqual(['authority']);
    expect(v.anchors.map((a) => a.matched)).toEqual([false, true]);
    expectVerified(v);
  });

  it('after two rotations, any of the three authority keys anchors; a key that never was does not', async () => {
    const x = await foundedWorld('rotations ');
    const keys = [x.authority, seededSigner('rotations authority 2'), seededSigner('rotations authority 3')];
    for (const next of keys.slice(1)) {
      await govern(x, 'rotate', { key: [1, next.publicKey] }, x.authority, [next]);
      x.authority = next;
    }
    await register(x, x.collector, 'USB-02');
    const b = await exportBundleV2(x.ledger.store, x.ids.get('USB-02')!, await checkpointOf(x));
    for (const k of keys) expectVerified(await verify(b, { authorityKeys: [k.publicKey] }));
    expectFailed(
      await verify(b, { authorityKeys: [x.collector.publicKey] }),
      ['ANCHOR_MISMATCH'],
      ['anchor'],
    );
  });
});

describe('checkpoints', () => {
  it('a newer checkpoint of the same log for the older proofs: nothing is proven', async () => {
    const x = await bundleWorld('newer ');
    const b0 = await exportBundleV2(x.ledger.store, x.ids.get('HDD-01')!, await checkpointOf(x));
    await register(x, x.collector, 'LATER-01');
    const newer = await checkpointOf(x);
    const v = await verify(
      edit(b0, (b) => (b.checkpoint = newer)),
      pinAuthority(x),
    );
    expectFailed(v, ['PROOF_INVALID'], ['inclusion-proofs']);
  });

  it('an older checkpoint of the same log for the newer proofs: nothing is proven', async () => {
    const older = await checkpointOf(w, w.ledger.size - 1);
    const v = await check(edit(bytes, (b) => (b.checkpoint = older)));
    expect(v.ok).toBe(false);
    expect(checksOf(v)['inclusion-proofs']).toBe('fail');
  });

  it('signed by the log key under another key name: not a checkpoint of this log', async () => {
    const text = decodeBundleV2(bytes).checkpoint.split('\n\n')[0]! + '\n';
    const misnamed = formatNote(text, [signNoteLine(text, 'ledger.elsewhere.example', w.log)]);
    const v = await check(edit(bytes, (b) => (b.checkpoint = misnamed)));
    expect(v.ok).toBe(false);
    expect(checksOf(v)['checkpoint-signature']).toBe('fail');
  });

  it('validly signed by the log key over another root: every proof fails', async () => {
    const cp = parseCheckpoint(parseNote(decodeBundleV2(bytes).checkpoint).text);
    const forged = signCheckpoint({ ...cp, root: new Uint8Array(32).fill(9) }, cp.origin, w.log);
    const v = await check(edit(bytes, (b) => (b.checkpoint = forged)));
    expectFailed(v, ['PROOF_INVALID'], ['inclusion-proofs']);
    // Nothing proven, so no genesis: the log key is unknown and the signature cannot be checked.
    expect(checksOf(v)['checkpoint-signature']).toBe('not-checked');
  });

  it('not a checkpoint at all', async () => {
    const v = await check(edit(bytes, (b) => (b.checkpoint = 'hello\n\n— nobody AAAA\n')));
    expectFailed(v, ['CHECKPOINT_MALFORMED'], ['checkpoint-signature']);
  });

  it('witnesses are never counted as passing when the checkpoint is not signed by the log key', async () => {
    const witness = seededSigner('damage witness');
    const name = 'witness.damage.example';
    const cp = decodeBundleV2(bytes).checkpoint;
    const body = cp.split('\n\n')[0]! + '\n';
    const stranger = signCheckpoint(parseCheckpoint(body), parseCheckpoint(body).origin, seededSigner('x'));
    const cosigned = `${stranger}${signCosignature(body, name, witness, 1_772_400_000)}`;
    const v = await verify(
      edit(bytes, (b) => (b.checkpoint = cosigned)),
      pinAuthority(w, { witnesses: [cosignatureVerifier(name, witness.publicKey)], quorum: 1 }),
    );
    expect(v.ok).toBe(false);
    expect(checksOf(v)['witness-quorum']).toBe('not-checked');
    expect(checksOf(v)['checkpoint-signature']).toBe('fail');
  });

  it('a configured witness whose cosignature was altered: the quorum is not met', async () => {
    const witness = seededSigner('damage witness');
    const name = 'witness.damage.example';
    const cp = decodeBundleV2(bytes).checkpoint;
    const body = cp.split('\n\n')[0]! + '\n';
    const line = signCosignature(body, name, witness, 1_772_400_000);
    const trust = pinAuthority(w, { witnesses: [cosignatureVerifier(name, witness.publicKey)], quorum: 1 });
    expectVerified(
      await verify(
        edit(bytes, (b) => (b.checkpoint = `${cp}${line}`)),
        trust,
      ),
      ['file-digests'],
    );
    const parts = line.trimEnd().split(' ');
    const raw = fromBase64(parts[2]!)!;
    raw[raw.length - 1]! ^= 0x01;
    const altered = `${parts[0]} ${parts[1]} ${toBase64(raw)}\n`;
    const v = await verify(
      edit(bytes, (b) => (b.checkpoint = `${cp}${altered}`)),
      trust,
    );
    expectFailed(v, ['WITNESS_QUORUM'], ['witness-quorum']);
  });

  it('the log key revoked inside the checkpoint: its checkpoint no longer vouches for the log', async () => {
    const x = await foundedWorld('log revoked ');
    await register(x, x.collector, 'SSD-01');
    await govern(x, 'revoke', {
      key: keyIdOf({ type: 1, publicKey: x.log.publicKey }, KEY_PURPOSES.log),
      reason: 'Log key retired',
    });
    const b = await exportBundleV2(x.ledger.store, x.ids.get('SSD-01')!, await checkpointOf(x));
    const v = await verify(b, pinAuthority(x));
    expectFailed(v, ['LOG_KEY_REVOKED'], ['checkpoint-signature']);
  });
});

describe('derived copies and their sources (a v1 limit, closed in v2)', () => {
  it('the parent’s events after the derivation travel with the copy, and cannot be left out', async () => {
    const x = await bundleWorld('lineage ');
    // HDD-01 goes on after the copy was made from it.
    await chain(x, 'HDD-01', 'examine', x.custodian, { action: 'Second pass' });
    const copyId = x.ids.get('HDD-01-W1')!;
    const b = await exportBundleV2(x.ledger.store, copyId, await checkpointOf(x));
    const v = await verify(b, pinAuthority(x));
    expectVerified(v);
    const last = x.ledger.size - 1;
    expect(v.entriesShown).toContain(last);
    expect(v.ancestorTimelines[0]?.events.at(-1)?.seq).toBe(last);
    const dropped = await verify(
      edit(b, (d) => (d.entries = d.entries.filter((e) => e.index !== last))),
      pinAuthority(x),
    );
    expectFailed(dropped, ['EXHIBIT_HEAD_MISMATCH'], ['history-complete']);
  });
});
