/**
 * The demo's second part (docs/FEDERATION.md): the BKA keeps its own ledger
 * under its own authority. A second exhibit is handed from the Dutch ledger
 * to a BKA examiner there — checked first against the BKA's receiver proof,
 * carried as a foreign statement, accepted with a re-hash, the acceptance
 * carried back — then each ledger's bundle goes into one journey file that a
 * court verifies against its trust manifest alone. A byte changed in the
 * BKA's segment is then caught, naming the ledger and the entry.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBundleV2, encodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { encodeJourney } from '../../src/bundle/journey.js';
import { toHex } from '../../src/bytes.js';
import { formatVkey } from '../../src/checkpoint/note.js';
import { parseTlogPolicy } from '../../src/checkpoint/tlog-policy.js';
import type { TrustManifest } from '../../src/checkpoint/trust-manifest.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import type { MlDsa44Signer } from '../../src/crypto/ml-dsa.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { peerPolicyField } from '../../src/custody/peer-policy.js';
import { checkReceiverProof } from '../../src/custody/receiver-proof.js';
import { CustodyError } from '../../src/errors.js';
import { digestFile } from '../../src/files/digest-file.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import type { Clock } from '../../src/ledger/clock.js';
import { compose } from '../../src/ledger/compose.js';
import { crossingOf, receiverProofOf } from '../../src/ledger/crossing.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { logPublicKey, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { type JourneyVerdict, verifyJourney } from '../../src/verify/journey.js';
import { exhibitShort, keyShort, statementKeyId } from '../context.js';

/** One sovereign ledger of the demo, open. */
interface Side {
  origin: string;
  ledger: LogLedger;
  view: LedgerView;
  authority: Signer;
  log: Signer;
}

export interface FederationPeople {
  nlAuthority: Signer;
  nlLog: Signer;
  /** The NL log's enrolled ML-DSA-44 key: its checkpoints stay dual-signed. */
  nlLogPq: MlDsa44Signer;
  bkaAuthority: Signer;
  bkaLog: Signer;
  agent: Signer;
  bka: Signer;
  bkaName: string;
}

export interface FederationResult {
  journey: string;
  manifest: string;
  verified: boolean;
  verifiedAfterTamper: boolean;
  problemsAfterTamper: { code: string; message: string }[];
}

export async function federationDemo(
  dir: string,
  nlDir: string,
  nlOrigin: string,
  people: FederationPeople,
  clock: Clock & { advance(hours: number): void },
  say: (s?: string) => void,
  step: (s: string) => void,
): Promise<FederationResult> {
  const open = async (
    path: string,
    mode: 'open' | 'create',
    origin: string,
    authority: Signer,
    log: Signer,
  ) => {
    const store = await LevelLogStore.open(path, mode);
    return {
      origin,
      ledger: await LogLedger.open(store, { clock }),
      view: new LedgerView(store),
      authority,
      log,
    };
  };
  const nl = await open(nlDir, 'open', nlOrigin, people.nlAuthority, people.nlLog);
  const bkaOrigin = 'ledger.bka.example/2026';
  const bka = await open(join(dir, 'ledger-bka'), 'create', bkaOrigin, people.bkaAuthority, people.bkaLog);
  try {
    const append = async (
      s: Side,
      hours: number,
      kind: string,
      signer: Signer,
      fields: Record<string, Canonical | undefined>,
      links: { exhibit?: Uint8Array; after?: Uint8Array; governance?: true } = {},
    ) => {
      clock.advance(hours);
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
    };
    const signed = async (s: Side) =>
      (await signLogCheckpoint(s.view, s.log, s === nl ? { mlDsa: people.nlLogPq } : {})).note;
    const policyOf = async (s: Side) =>
      `log ${formatVkey(s.origin, await logPublicKey(s.view))}\nquorum none\n`;

    step('Across borders: the BKA keeps its own ledger, under its own authority');
    await append(bka, 0, 'genesis', bka.authority, {
      name: 'BKA evidence ledger',
      jurisdiction: 'DE',
      org: 'Bundeskriminalamt, Wiesbaden',
      logKey: [KEY_TYPES.ed25519, bka.log.publicKey],
    });
    await append(
      bka,
      1,
      'enrol',
      bka.authority,
      {
        key: [KEY_TYPES.ed25519, people.bka.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles: ['custodian', 'examiner'],
        jurisdiction: 'DE',
        name: people.bkaName,
        org: 'Bundeskriminalamt, Wiesbaden',
      },
      { governance: true },
    );
    // Each authority records the other as a peer: its origin and an unmodified C2SP tlog-policy.
    await append(
      nl,
      1,
      'peer',
      nl.authority,
      { origin: bka.origin, policy: peerPolicyField(await policyOf(bka)) },
      { governance: true },
    );
    await append(
      bka,
      1,
      'peer',
      bka.authority,
      { origin: nl.origin, policy: peerPolicyField(await policyOf(nl)) },
      { governance: true },
    );
    say(
      `${bka.origin}: its own genesis, ${people.bkaName} enrolled; each authority records the other as a peer`,
    );

    const phone = join(dir, 'PHONE-02.img');
    writeFileSync(phone, randomBytes(256 << 10));
    const { digests, size } = await digestFile(phone, ['sha256']);
    const ex = await append(nl, 2, 'register', people.agent, {
      label: 'PHONE-02',
      caseRef: 'JIT-2026-017 / NL-AMS-4471',
      description: 'Extraction of the phone of suspect 2',
      digests: digests as Record<string, Uint8Array>,
      size,
    });
    const x = exhibitShort(ex);

    // Before signing, the BKA's proof that its examiner is active and may hold evidence.
    const bkaNote = await signed(bka);
    const proof = await receiverProofOf(bka.view, statementKeyId(people.bka.publicKey), bkaNote);
    const rec = await nl.view.peer(bka.origin);
    const check = checkReceiverProof(proof, rec!.policy, bka.origin, statementKeyId(people.bka.publicKey));
    if (!check.ok) throw new CustodyError('DEMO_FAILED', `receiver proof: ${check.message}`, 'internal');
    const transfer = await append(
      nl,
      4,
      'transfer',
      people.agent,
      {
        to: [bka.origin, statementKeyId(people.bka.publicKey)],
        reason: 'examination by the BKA under the EIO',
        legalBasis: 'EIO DE-2026-0042 (Directive 2014/41/EU)',
      },
      { exhibit: ex, after: ex },
    );
    const there = await bka.ledger.submitForeign((await crossingOf(nl.view, ex, await signed(nl))).payload);
    say(
      `${x} registered in ${nl.origin}, handed over to ${keyShort(statementKeyId(people.bka.publicKey))} of ${bka.origin} (${check.record.jurisdiction}, checked active first); imported there as entry ${there.index}`,
    );
    const rehash = await digestFile(phone, ['sha256']);
    await append(
      bka,
      20,
      'accept',
      people.bka,
      { digests: rehash.digests as Record<string, Uint8Array>, seal: 'intact' },
      { exhibit: ex, after: transfer },
    );
    const back = await nl.ledger.submitForeign((await crossingOf(bka.view, ex, await signed(bka))).payload);
    say(
      `${people.bkaName} accepted it in ${bka.origin} (digest matches); the acceptance is entry ${back.index} in ${nl.origin}: away, held at the BKA`,
    );

    step('One journey file for the court, verified against its trust manifest alone');
    const segments = [];
    for (const s of [nl, bka]) segments.push(await exportBundle(s.view, ex, await signed(s)));
    const journeyBytes = encodeJourney({ exhibit: ex, segments });
    const journey = join(dir, 'PHONE-02.journey');
    writeFileSync(journey, journeyBytes);
    const entries = await Promise.all(
      [nl, bka].map(async (s) => ({
        origin: s.origin,
        authority: [toHex(sha256(s.authority.publicKey))],
        policy: await policyOf(s),
      })),
    );
    const manifestPath = join(dir, 'trust.json');
    writeFileSync(manifestPath, `${JSON.stringify({ custody: 'trust', v: 1, ledgers: entries }, null, 2)}\n`);
    const manifest: TrustManifest = {
      ledgers: entries.map((e) => ({ ...e, policy: parseTlogPolicy(e.policy) })),
    };
    const v = await verifyJourney(journeyBytes, manifest);
    summary(v, say);

    step(`Someone changes one byte of the BKA's segment (its acceptance) in the journey file`);
    const b = decodeBundleV2(segments[1]!);
    const last = b.entries[b.entries.length - 1]!;
    const flipped = Uint8Array.from(last.payload);
    flipped[flipped.length - 10]! ^= 0x01;
    last.payload = flipped;
    const tampered = encodeJourney({ exhibit: ex, segments: [segments[0]!, encodeBundleV2(b)] });
    writeFileSync(join(dir, 'PHONE-02-tampered.journey'), tampered);
    const t = await verifyJourney(tampered, manifest);
    summary(t, say);
    return {
      journey,
      manifest: manifestPath,
      verified: v.ok,
      verifiedAfterTamper: t.ok,
      problemsAfterTamper: t.segments.flatMap((s) =>
        s.verdict.problems.map((p) => ({ code: p.code, message: `${s.origin}: ${p.message}` })),
      ),
    };
  } finally {
    await Promise.all([nl.ledger.close(), bka.ledger.close()]);
  }
}

function summary(v: JourneyVerdict, say: (s?: string) => void) {
  say(`${v.verdict}: the journey across ${v.segments.length} ledgers`);
  for (const s of v.segments) {
    const first = s.verdict.problems[0];
    say(
      `  ${s.origin}: ${s.verdict.verdict}${first ? ` — ${first.code}${first.seq === null ? '' : ` at entry ${first.seq}`}: ${first.message}` : ''}`,
    );
  }
  for (const l of v.links)
    say(
      `  ${l.kind} ${l.from} ${l.fromSeq === null ? '(not shown there)' : `entry ${l.fromSeq}`} -> ${l.to} entry ${l.seq}`,
    );
}
