/**
 * Disclosure records (src/format/log-record.ts, src/verify/log-records.ts):
 * what a log appends when it hands a peer a segment. The record round-trips
 * strictly; it holds only if the embedded request's Ed25519 signature
 * verifies with the requester's key and the request asks for exactly that
 * exhibit, recipient and profile; a ledger that logs a false one fails its
 * whole-ledger verification at that entry.
 */
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { FormatError } from '../../src/format/format-error.js';
import {
  DISCLOSURES_INDEX,
  type DisclosureRecord,
  decodeLogRecord,
  encodeLogRecord,
  recordIndexOf,
} from '../../src/format/log-record.js';
import { checkDisclosureRecord } from '../../src/verify/log-records.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { foundedWorld, register } from '../bundle/v2-helpers.js';
import { seededSigner } from '../helpers/world.js';

const requester = seededSigner('peer credential');
const exhibit = sha256(utf8('an exhibit'));

/** A record as a server makes it, over an RFC 9421-shaped signature base. */
function disclosure(target: string, over: Partial<DisclosureRecord> = {}, method = 'GET'): DisclosureRecord {
  const base = [
    `"@method": ${method}`,
    `"@target-uri": ${target}`,
    '"content-digest": sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:',
    '"@signature-params": ("@method" "@target-uri" "content-digest");created=1765000000;keyid="ab";alg="ed25519";nonce="n"',
  ].join('\n');
  return {
    kind: 'disclosure',
    requester: 'ledger.nfi.example/2026 (peer)',
    key: requester.publicKey,
    base,
    signature: requester.sign(utf8(base)),
    exhibit,
    recipient: 'Tribunal judiciaire de Paris',
    profile: 'statements',
    bundle: sha256(utf8('the segment')),
    ...over,
  };
}
const url = (x = exhibit, recipient = 'Tribunal judiciaire de Paris', profile = 'statements') =>
  `http://127.0.0.1:8443/v1/federation/segment/${toHex(x)}?recipient=${encodeURIComponent(recipient)}&profile=${profile}`;
const codes = (r: DisclosureRecord) => checkDisclosureRecord(r, 7).map((p) => p.code);

describe('a disclosure record', () => {
  it('round-trips strictly and is listed apart from archived checkpoints', () => {
    const r = disclosure(url());
    const bytes = encodeLogRecord(r);
    expect(decodeLogRecord(bytes)).toEqual(r);
    expect(recordIndexOf(r)).toEqual(DISCLOSURES_INDEX);
    expect(() => decodeLogRecord(new Uint8Array([...bytes, 0]))).toThrow(FormatError);
  });

  it('holds when the signed request asks for exactly what it records', () => {
    expect(codes(disclosure(url()))).toEqual([]);
  });

  it('is refused for a forged signature, another exhibit, recipient or profile, or another method', () => {
    const forged = disclosure(url());
    expect(codes({ ...forged, signature: seededSigner('someone else').sign(utf8(forged.base)) })).toEqual([
      'DISCLOSURE_RECORD_INVALID',
    ]);
    expect(codes(disclosure(url(sha256(utf8('another exhibit')))))).toEqual(['DISCLOSURE_RECORD_INVALID']);
    expect(codes(disclosure(url(exhibit, 'someone else')))).toEqual(['DISCLOSURE_RECORD_INVALID']);
    expect(codes(disclosure(url(exhibit, 'Tribunal judiciaire de Paris', 'court')))).toEqual([
      'DISCLOSURE_RECORD_INVALID',
    ]);
    expect(codes(disclosure(url(), {}, 'POST'))).toEqual(['DISCLOSURE_RECORD_INVALID']);
    expect(codes(disclosure('not a url'))).toEqual(['DISCLOSURE_RECORD_INVALID']);
  });

  it('logged false, fails the whole-ledger verification at its entry; logged true, passes', async () => {
    const w = await foundedWorld('disclosure ');
    await register(w, w.collector, 'HDD-01');
    const good = await w.ledger.appendRecord(encodeLogRecord(disclosure(url())));
    const bad = await w.ledger.appendRecord(
      encodeLogRecord(disclosure(url(), { recipient: 'not whom the request named' })),
    );
    const r = await verifyLogStore(w.ledger.store);
    const found = r.allProblems().filter((p) => p.code === 'DISCLOSURE_RECORD_INVALID');
    expect(found.map((p) => p.seq)).toEqual([bad.index]);
    expect(r.allProblems().some((p) => p.seq === good.index)).toBe(false);
  });
});
