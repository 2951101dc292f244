/**
 * verifyJourney (src/verify/journey.ts, docs/FEDERATION.md §Verifying a
 * journey) over ledgers held in memory by the real store-backed code: the
 * crossings built by src/ledger/crossing.ts, the bundles by the exporter.
 * The honest journey verifies; a fork of the sending ledger (same origin,
 * another log key) standing in for its segment is caught as the fork it is.
 */
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { encodeJourney } from '../../src/bundle/journey.js';
import { toHex, utf8 } from '../../src/bytes.js';
import { formatVkey } from '../../src/checkpoint/note.js';
import { parseTrustManifest } from '../../src/checkpoint/trust-manifest.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { peerPolicyField } from '../../src/custody/peer-policy.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { compose } from '../../src/ledger/compose.js';
import { crossingOf } from '../../src/ledger/crossing.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { verifyJourney } from '../../src/verify/journey.js';
import { BASIS } from '../custody/federation-world.js';
import { statementKeyId } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';

let t = Date.UTC(2026, 2, 1, 9, 0, 0);
const clock = { now: () => (t += 1000), zone: () => 'UTC' };

interface Side {
  origin: string;
  ledger: LogLedger;
  view: LedgerView;
  authority: Signer;
  log: Signer;
}

async function open(origin: string, tag: string): Promise<Side> {
  const store = new MemoryLogStore();
  const s = {
    origin,
    ledger: await LogLedger.open(store, { clock }),
    view: new LedgerView(store),
    authority: seededSigner(`journey ${tag} authority`),
    log: seededSigner(`journey ${tag} log`),
  };
  await append(s, 'genesis', s.authority, {
    name: origin,
    jurisdiction: tag.slice(0, 2).toUpperCase(),
    org: origin,
    logKey: [KEY_TYPES.ed25519, s.log.publicKey],
  });
  return s;
}

async function append(
  s: Side,
  kind: string,
  signer: Signer,
  fields: Record<string, Canonical | undefined>,
  links: { exhibit?: Uint8Array; after?: Uint8Array; governance?: true } = {},
) {
  const gov = links.governance ? { after: (await s.view.ledger()).head, seen: await s.view.seen() } : {};
  const c = compose({
    kind,
    origin: s.origin,
    signer,
    fields,
    ...(links.exhibit ? { exhibit: links.exhibit, after: links.after! } : {}),
    ...gov,
    clock,
  });
  await s.ledger.submit(c.bytes, c.openingBytes);
  return c.id;
}

const enrol = (s: Side, who: Signer, roles: string[]) =>
  append(
    s,
    'enrol',
    s.authority,
    {
      key: [KEY_TYPES.ed25519, who.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles,
      jurisdiction: 'NL',
      name: 'Someone',
      org: 'Org',
    },
    { governance: true },
  );

const policyOf = (s: Side) => `log ${formatVkey(s.origin, s.log.publicKey)}\nquorum none\n`;
const peer = (s: Side, p: Side) =>
  append(
    s,
    'peer',
    s.authority,
    { origin: p.origin, policy: peerPolicyField(policyOf(p)) },
    { governance: true },
  );
const signed = async (s: Side) => (await signLogCheckpoint(s.view, s.log)).note;

/** NL registers and hands over to DE's examiner, who accepts; the answer goes back. */
async function crossing(nl: Side, de: Side, collector: Signer, examiner: Signer) {
  const ex = await append(nl, 'register', collector, {
    label: 'PHONE-01',
    caseRef: 'NL-2026-0042',
    description: 'a phone',
    size: 10,
    digests: { sha256: sha256(utf8('phone')) },
  });
  const tr = await append(
    nl,
    'transfer',
    collector,
    { to: [de.origin, statementKeyId(examiner.publicKey)], reason: 'EIO', legalBasis: 'EIO 1', ...BASIS },
    { exhibit: ex, after: ex },
  );
  await de.ledger.submitForeign((await crossingOf(nl.view, ex, await signed(nl))).payload);
  await append(de, 'accept', examiner, {}, { exhibit: ex, after: tr });
  await nl.ledger.submitForeign((await crossingOf(de.view, ex, await signed(de))).payload);
  return ex;
}

const manifestOf = (sides: Side[]) =>
  parseTrustManifest(
    JSON.stringify({
      custody: 'trust',
      v: 1,
      ledgers: sides.map((s) => ({
        origin: s.origin,
        authority: [toHex(sha256(s.authority.publicKey))],
        policy: policyOf(s),
      })),
    }),
  );

describe('verifyJourney', () => {
  it('verifies the honest journey, and catches a fork of the sending ledger standing in for it', async () => {
    const nl = await open('ledger.nfi.example/2026', 'nl');
    const de = await open('ledger.bka.example/2026', 'de');
    const collector = seededSigner('journey collector');
    const examiner = seededSigner('journey examiner');
    await enrol(nl, collector, ['collector', 'custodian']);
    await enrol(de, examiner, ['custodian', 'examiner']);
    await peer(nl, de);
    await peer(de, nl);
    const ex = await crossing(nl, de, collector, examiner);
    const segments = [
      await exportBundle(nl.view, ex, await signed(nl)),
      await exportBundle(de.view, ex, await signed(de)),
    ];
    const good = await verifyJourney(encodeJourney({ exhibit: ex, segments }), manifestOf([nl, de]));
    expect(good.problems).toEqual([]);
    expect(good.verdict).toBe('VERIFIED');
    expect(good.links.every((l) => l.fromSeq !== null)).toBe(true);

    // A fork: the same origin under another log key (and authority), with the same registration
    // and no hand-over. The court's manifest is told of the fork's keys; DE's recorded policy for
    // NL is not, and the hand-over DE imported is not in the fork's segment.
    const fork = await open(nl.origin, 'nl fork');
    await enrol(fork, collector, ['collector', 'custodian']);
    await peer(fork, de);
    await fork.ledger.submit((await nl.view.registration(ex)).bytes);
    const forged = [await exportBundle(fork.view, ex, await signed(fork)), segments[1]!];
    const v = await verifyJourney(encodeJourney({ exhibit: ex, segments: forged }), manifestOf([fork, de]));
    expect(v.verdict).toBe('FAILED');
    const codes = v.problems.map((p) => p.code);
    expect(codes).toContain('JOURNEY_PEER_KEY_MISMATCH');
    expect(codes).toContain('JOURNEY_CROSSING_UNMATCHED');
  });
});
