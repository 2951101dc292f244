/**
 * The demo's second part (docs/FEDERATION.md): the BKA and the Paris court
 * keep their own ledgers under their own authorities, and each of the three
 * ledgers is served by its own server on a loopback port, witnessing and
 * auditing the other two (./demo-servers.ts). A second exhibit goes from
 * seizure in the Netherlands to examination at the BKA to the court: each
 * hand-over checked first against the receiver's proof, fetched from the
 * receiving server; carried there as a foreign statement, proven at a
 * checkpoint the receiving ledger's own auditor cosigned; accepted with a
 * re-hash; and the acceptance carried back. Each ledger's bundle then goes
 * into one journey file that the court verifies offline against its trust
 * manifest alone. A byte changed in the BKA's segment is caught, naming the
 * ledger and the entry.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBundleV2, encodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { encodeJourney } from '../../src/bundle/journey.js';
import { toHex } from '../../src/bytes.js';
import { ed25519NoteVerifier, formatVkey } from '../../src/checkpoint/note.js';
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
import { crossingOf } from '../../src/ledger/crossing.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { type JourneyVerdict, verifyJourney } from '../../src/verify/journey.js';
import { exhibitShort, keyShort, statementKeyId } from '../context.js';
import { gatherSegments } from '../gather.js';
import { HttpLedger } from '../remote.js';
import { cosignedCheckpoint, type DemoLedger, demoRoles, type Served, serveLedgers } from './demo-servers.js';

/** One sovereign ledger of the demo, open in this process while its governance is set up. */
interface Setup {
  origin: string;
  ledger: LogLedger;
  view: LedgerView;
  authority: Signer;
}

export interface FederationPeople {
  nlAuthority: Signer;
  nlLog: Signer;
  /** The NL log's enrolled ML-DSA-44 key: its checkpoints stay dual-signed. */
  nlLogPq: MlDsa44Signer;
  bkaAuthority: Signer;
  bkaLog: Signer;
  frAuthority: Signer;
  frLog: Signer;
  agent: Signer;
  bka: Signer;
  bkaName: string;
  court: Signer;
  courtName: string;
}

export interface FederationResult {
  journey: string;
  manifest: string;
  /** The three servers, as they ran. */
  servers: { origin: string; url: string }[];
  bytes: number;
  verifyMs: number;
  verified: boolean;
  verifiedAfterTamper: boolean;
  problemsAfterTamper: { code: string; message: string }[];
}

const BKA = 'ledger.bka.example/2026';
const FR = 'ledger.tj-paris.example/2026';

export async function federationDemo(
  dir: string,
  nlDir: string,
  nlOrigin: string,
  people: FederationPeople,
  clock: Clock & { advance(hours: number): void },
  say: (s?: string) => void,
  step: (s: string) => void,
): Promise<FederationResult> {
  const ledgers: DemoLedger[] = [
    {
      tag: 'nfi',
      origin: nlOrigin,
      dir: nlDir,
      log: people.nlLog,
      mlDsa: people.nlLogPq,
      roles: await demoRoles('nfi'),
    },
    {
      tag: 'bka',
      origin: BKA,
      dir: join(dir, 'ledger-bka'),
      log: people.bkaLog,
      roles: await demoRoles('bka'),
    },
    {
      tag: 'tj-paris',
      origin: FR,
      dir: join(dir, 'ledger-tj-paris'),
      log: people.frLog,
      roles: await demoRoles('tj-paris'),
    },
  ];
  const [nlL, bkaL, frL] = ledgers as [DemoLedger, DemoLedger, DemoLedger];
  const logVkey = (l: DemoLedger) => formatVkey(l.origin, l.log.publicKey);
  // What a ledger requires of a peer's checkpoints: its own auditor replayed them.
  const peerPolicy = (peer: DemoLedger, by: DemoLedger) =>
    `log ${logVkey(peer)}\nwitness ${by.roles.auditor.name} ${by.roles.auditor.vkey}\nquorum ${by.roles.auditor.name}\n`;

  step('Across borders: three sovereign ledgers, each on its own server, watching each other');
  await setUp(ledgers, people, clock);
  say(
    `${BKA} (BKA, ${people.bkaName}) and ${FR} (the Paris court, ${people.courtName}): each its own genesis, under its own authority`,
  );
  say('each authority records the other two as peers, with a tlog-policy requiring its own auditor');
  // The setup's statements are in; the servers hold the ledgers from here on.
  const served = await serveLedgers(ledgers, join(dir, 'servers'));
  const [nl, bka, fr] = served as [Served, Served, Served];
  try {
    for (const s of served) say(`  ${s.origin} served at ${s.url}: witnesses and audits the other two`);
    const http = (s: Served) => new HttpLedger(s.url, undefined, undefined);
    const logOf = (s: Served) => ed25519NoteVerifier(s.origin, s.log.publicKey);
    const viewOf = (s: Served) => s.server.host.currentView();
    const append = async (
      s: Served,
      hours: number,
      kind: string,
      signer: Signer,
      fields: Record<string, Canonical | undefined>,
      exhibit?: { id: Uint8Array; after: Uint8Array },
    ) => {
      clock.advance(hours);
      const c = compose({
        kind,
        origin: s.origin,
        signer,
        fields,
        ...(exhibit ? { exhibit: exhibit.id, after: exhibit.after } : {}),
        clock,
      });
      const r = await http(s).append(
        { statement: c.bytes, ...(c.openingBytes ? { openings: c.openingBytes } : {}) },
        [logOf(s)],
      );
      return { id: c.id, index: r.index };
    };
    /** Carries the exhibit's last event in `from` to `to`, proven at a checkpoint `to`'s auditor cosigned. */
    const push = async (from: Served, to: Served, ex: Uint8Array) => {
      const note = await cosignedCheckpoint(from, from.server.host.latest?.size ?? 0, [
        to.roles.auditor.name,
      ]);
      const c = await crossingOf(await viewOf(from), ex, note);
      return http(to).append({ statement: c.payload, foreign: true }, [logOf(to)]);
    };
    /** Before a hand-over, the receiver's ledger proves over HTTP that the receiver is active there and may hold. */
    const receiverChecked = async (from: Served, to: Served, receiver: Signer) => {
      await cosignedCheckpoint(to, 0, [from.roles.auditor.name]);
      const keyId = statementKeyId(receiver.publicKey);
      const proof = await http(to).receiverProof(toHex(keyId));
      const check = checkReceiverProof(
        proof,
        (await (await viewOf(from)).peer(to.origin))!.policy,
        to.origin,
        keyId,
      );
      if (!check.ok) throw new CustodyError('DEMO_FAILED', `receiver proof: ${check.message}`, 'internal');
      return { keyId, jurisdiction: check.record.jurisdiction };
    };

    step('Seized in the Netherlands, handed over to the BKA under an EIO');
    const phone = join(dir, 'PHONE-02.img');
    writeFileSync(phone, randomBytes(256 << 10));
    const rehash = async () => (await digestFile(phone, ['sha256'])).digests as Record<string, Uint8Array>;
    const { digests, size } = await digestFile(phone, ['sha256']);
    const reg = await append(nl, 2, 'register', people.agent, {
      label: 'PHONE-02',
      caseRef: 'JIT-2026-017 / NL-AMS-4471',
      description: 'Extraction of the phone of suspect 2',
      digests: digests as Record<string, Uint8Array>,
      size,
    });
    const ex = reg.id;
    const x = exhibitShort(ex);
    const toBka = await receiverChecked(nl, bka, people.bka);
    const t1 = await append(
      nl,
      4,
      'transfer',
      people.agent,
      {
        to: [BKA, toBka.keyId],
        reason: 'examination by the BKA under the EIO',
        legalBasis: 'EIO DE-2026-0042 (Directive 2014/41/EU)',
        instrument: 'EIO',
        issuing: 'Staatsanwaltschaft Frankfurt am Main',
        executing: 'Officier van justitie, Amsterdam',
        basisDate: Date.UTC(2026, 1, 20),
      },
      { id: ex, after: ex },
    );
    const in1 = await push(nl, bka, ex);
    say(
      `${x} registered in ${nl.origin} (#${reg.index}), handed over to ${keyShort(toBka.keyId)} of ${BKA} (${toBka.jurisdiction}; checked active there first) (#${t1.index}); imported at the BKA's server as entry ${in1.index}`,
    );
    const a1 = await append(
      bka,
      20,
      'accept',
      people.bka,
      { digests: await rehash(), seal: 'intact' },
      { id: ex, after: t1.id },
    );
    const back1 = await push(bka, nl, ex);
    const exam = await append(
      bka,
      30,
      'examine',
      people.bka,
      {
        action: 'extracted messages and call records',
        tool: 'UFED Physical Analyzer 7.70',
        digests: { sha256: digests.sha256! },
        seal: 'DE-BKA-55120',
      },
      { id: ex, after: a1.id },
    );
    say(
      `${people.bkaName} accepted it (digest matches the Dutch registration; #${a1.index}), the acceptance is entry ${back1.index} in ${nl.origin}; examined at the BKA (#${exam.index})`,
    );

    step('From the BKA to the Paris court, under the JIT agreement');
    const toFr = await receiverChecked(bka, fr, people.court);
    const t2 = await append(
      bka,
      24,
      'transfer',
      people.bka,
      {
        to: [FR, toFr.keyId],
        reason: 'for trial',
        legalBasis: 'JIT agreement JIT-2026-017, art. 13',
        instrument: 'JIT',
        issuing: 'Eurojust, JIT NL-DE-FR 2026/017',
        executing: 'Parquet de Paris',
        basisDate: Date.UTC(2026, 0, 12),
      },
      { id: ex, after: exam.id },
    );
    const in2 = await push(bka, fr, ex);
    const a2 = await append(
      fr,
      30,
      'accept',
      people.court,
      { digests: await rehash(), seal: 'intact' },
      { id: ex, after: t2.id },
    );
    const back2 = await push(fr, bka, ex);
    say(
      `#${t2.index} in ${BKA}; imported in ${FR} as entry ${in2.index}, accepted by ${people.courtName} (#${a2.index}); the acceptance is entry ${back2.index} in ${BKA}`,
    );

    step(
      'The court gathers the whole journey from its own ledger, and verifies it offline against its trust manifest alone',
    );
    // What the court will require: each ledger's checkpoint cosigned by the other two's auditors.
    const notes = new Map<Served, string>();
    for (const s of served) {
      const others = served.filter((o) => o !== s).map((o) => o.roles.auditor.name);
      notes.set(s, await cosignedCheckpoint(s, s.server.host.latest?.size ?? 0, others));
    }
    const own = await exportBundle(await viewOf(fr), ex, notes.get(fr)!);
    // Each peer is asked with the court ledger's credential, and logs the disclosure before it answers.
    const gathered = await gatherSegments(
      await viewOf(fr),
      own,
      ex,
      fr.roles.reader,
      'Tribunal judiciaire de Paris',
    );
    const segments = [own, ...gathered.map((g) => g.bytes)];
    say(
      `${FR} asked ${gathered.map((g) => g.origin).join(', then ')} for their segments with signed requests; each logged the disclosure in its own log first`,
    );
    const journeyBytes = encodeJourney({ exhibit: ex, segments });
    const journey = join(dir, 'PHONE-02.journey');
    writeFileSync(journey, journeyBytes);
    const entries = ledgers.map((l) => ({
      origin: l.origin,
      authority: [toHex(sha256(authorityOf(l, people).publicKey))],
      policy: courtPolicy(l, ledgers),
    }));
    const manifestPath = join(dir, 'trust.json');
    writeFileSync(manifestPath, `${JSON.stringify({ custody: 'trust', v: 1, ledgers: entries }, null, 2)}\n`);
    const manifest: TrustManifest = {
      ledgers: entries.map((e) => ({ ...e, policy: parseTlogPolicy(e.policy) })),
    };
    const started = performance.now();
    const v = await verifyJourney(journeyBytes, manifest);
    const verifyMs = performance.now() - started;
    summary(v, say);
    say(
      `(each ledger's checkpoint cosigned by the other two ledgers' auditors, as trust.json requires; ${journeyBytes.length.toLocaleString('en')} bytes, verified in ${verifyMs.toFixed(0)} ms)`,
    );

    step("Someone changes one byte of the BKA's segment (its examination) in the journey file");
    const bkaAt = segments.findIndex((x) => decodeBundleV2(x).origin === BKA);
    const b = decodeBundleV2(segments[bkaAt]!);
    const hit = b.entries.findIndex((e) => Buffer.from(e.payload).includes('UFED'));
    const entry = b.entries[hit]!;
    const flipped = Uint8Array.from(entry.payload);
    flipped[Buffer.from(flipped).indexOf('UFED')]! ^= 0x01;
    entry.payload = flipped;
    const tampered = encodeJourney({
      exhibit: ex,
      segments: segments.map((x, i) => (i === bkaAt ? encodeBundleV2(b) : x)),
    });
    writeFileSync(join(dir, 'PHONE-02-tampered.journey'), tampered);
    const t = await verifyJourney(tampered, manifest);
    summary(t, say);
    // Before the servers stop, each ledger's latest checkpoint (after the disclosures) is cosigned
    // by the other two's auditors, so the ledgers left behind verify as the court's manifest asks.
    for (const s of served)
      await cosignedCheckpoint(
        s,
        s.server.host.latest?.size ?? 0,
        served.filter((o) => o !== s).map((o) => o.roles.auditor.name),
      );
    return {
      journey,
      manifest: manifestPath,
      servers: served.map((s) => ({ origin: s.origin, url: s.url })),
      bytes: journeyBytes.length,
      verifyMs: Math.round(verifyMs * 10) / 10,
      verified: v.ok,
      verifiedAfterTamper: t.ok,
      problemsAfterTamper: t.segments.flatMap((s) =>
        s.verdict.problems.map((p) => ({ code: p.code, message: `${s.origin}: ${p.message}` })),
      ),
    };
  } finally {
    await Promise.all(served.map((s) => s.server.close()));
  }

  /** The authority key of a demo ledger. */
  function authorityOf(l: DemoLedger, p: FederationPeople): Signer {
    return l === nlL ? p.nlAuthority : l === bkaL ? p.bkaAuthority : p.frAuthority;
  }

  /**
   * Before the servers start: the BKA's and the court's ledgers founded, their
   * actors enrolled, and every ledger recording the other two as peers.
   */
  async function setUp(all: DemoLedger[], p: FederationPeople, c: Clock & { advance(hours: number): void }) {
    const open = async (l: DemoLedger, mode: 'open' | 'create'): Promise<Setup> => {
      const store = await LevelLogStore.open(l.dir, mode);
      return {
        origin: l.origin,
        ledger: await LogLedger.open(store, { clock: c }),
        view: new LedgerView(store),
        authority: authorityOf(l, p),
      };
    };
    const sides = [await open(nlL, 'open'), await open(bkaL, 'create'), await open(frL, 'create')];
    try {
      const gov = async (
        s: Setup,
        kind: string,
        fields: Record<string, Canonical | undefined>,
        founding = false,
      ) => {
        c.advance(1);
        const links = founding ? {} : { after: (await s.view.ledger()).head, seen: await s.view.seen() };
        const st = compose({ kind, origin: s.origin, signer: s.authority, fields, ...links, clock: c });
        await s.ledger.submit(st.bytes, st.openingBytes);
      };
      const found = async (
        s: Setup,
        l: DemoLedger,
        name: string,
        org: string,
        j: string,
        actor: Signer,
        actorName: string,
        roles: string[],
      ) => {
        await gov(
          s,
          'genesis',
          { name, jurisdiction: j, org, logKey: [KEY_TYPES.ed25519, l.log.publicKey] },
          true,
        );
        await gov(s, 'enrol', {
          key: [KEY_TYPES.ed25519, actor.publicKey],
          purpose: KEY_PURPOSES.statement,
          roles,
          jurisdiction: j,
          name: actorName,
          org,
        });
      };
      await found(
        sides[1]!,
        bkaL,
        'BKA evidence ledger',
        'Bundeskriminalamt, Wiesbaden',
        'DE',
        p.bka,
        p.bkaName,
        ['custodian', 'examiner'],
      );
      await found(
        sides[2]!,
        frL,
        'Greffe du tribunal judiciaire de Paris',
        'Tribunal judiciaire de Paris',
        'FR',
        p.court,
        p.courtName,
        ['court'],
      );
      for (const [i, s] of sides.entries())
        for (const [j, peer] of all.entries())
          if (i !== j)
            await gov(s, 'peer', {
              origin: peer.origin,
              policy: peerPolicyField(peerPolicy(peer, all[i]!)),
              url: peer.roles.url,
            });
    } finally {
      await Promise.all(sides.map((s) => s.ledger.close()));
    }
  }
}

/** What the court requires of ledger `l`'s checkpoints in trust.json: both other ledgers' auditors. */
function courtPolicy(l: DemoLedger, all: readonly DemoLedger[]): string {
  const others = all.filter((o) => o !== l);
  return [
    `log ${formatVkey(l.origin, l.log.publicKey)}`,
    ...others.map((o) => `witness ${o.roles.auditor.name} ${o.roles.auditor.vkey}`),
    `group auditors all ${others.map((o) => o.roles.auditor.name).join(' ')}`,
    'quorum auditors',
    '',
  ].join('\n');
}

function summary(v: JourneyVerdict, say: (s?: string) => void) {
  say(`${v.verdict}: the journey across ${v.segments.length} ledgers`);
  for (const s of v.segments) {
    const first = s.verdict.problems[0];
    say(
      `  ${s.origin}: ${s.verdict.verdict}${first ? ` — ${first.code}${first.seq === null ? '' : ` at entry ${first.seq}`}: ${first.message}` : ''}`,
    );
  }
  for (const l of v.links) {
    say(
      `  ${l.kind} ${l.from} ${l.fromSeq === null ? '(not shown there)' : `entry ${l.fromSeq}`} -> ${l.to} entry ${l.seq}`,
    );
    if (l.legalBasis) say(`      legal basis: ${l.legalBasis}`);
  }
}
