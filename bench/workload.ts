/**
 * A realistic custody workload for the benchmarks: actors in four
 * jurisdictions, and exhibits that each live through registration, domestic
 * examination, a cross-border hand-over under an EIO, a hand-over to a court
 * and archiving (10 events each), driven by many concurrent writers so that
 * appends are group-committed as in a busy national ledger.
 */
import { createHash } from 'node:crypto';
import { type Signer, signerFromSeed } from '../src/crypto/ed25519.js';
import type { Role } from '../src/format/events.js';
import { keyId } from '../src/format/ids.js';
import { Ledger } from '../src/ledger/ledger.js';
import type { LedgerStore } from '../src/store/store.js';

interface Actor {
  signer: Signer;
  id: string;
  jurisdiction: string;
}

const seed = (label: string) =>
  new Uint8Array(createHash('sha256').update(`custody bench ${label}`).digest());
const JURISDICTIONS = ['NL', 'DE', 'FR', 'BE'];

export interface World {
  ledger: Ledger;
  authority: Signer;
  collectors: Actor[];
  examiners: Actor[];
  custodians: Actor[];
  courts: Actor[];
}

export async function createWorld(store: LedgerStore): Promise<World> {
  const authority = signerFromSeed(seed('authority'));
  const ledger = await Ledger.create(store, authority, {
    origin: 'bench.custody.example/national',
    name: 'Bench authority',
    jurisdiction: 'NL',
    org: 'Bench',
  });
  const make = async (role: Role, j: string, i: number): Promise<Actor> => {
    const signer = signerFromSeed(seed(`${role}-${j}-${i}`));
    await ledger.append(
      {
        kind: 'enrol',
        body: {
          publicKey: signer.publicKey,
          name: `${role} ${j} ${i}`,
          roles: role === 'collector' ? ['collector', 'custodian'] : [role],
          jurisdiction: j,
          org: `${j} ${role}s`,
        },
      },
      authority,
    );
    return { signer, id: keyId(signer.publicKey), jurisdiction: j };
  };
  const w: World = { ledger, authority, collectors: [], examiners: [], custodians: [], courts: [] };
  for (const j of JURISDICTIONS)
    for (let i = 0; i < 3; i++) {
      w.collectors.push(await make('collector', j, i));
      w.examiners.push(await make('examiner', j, i));
      w.custodians.push(await make('custodian', j, i));
      w.courts.push(await make('court', j, i));
    }
  return w;
}

const digest = (n: number) => ({
  sha256: new Uint8Array(createHash('sha256').update(`evidence ${n}`).digest()),
});
const pick = <T>(a: T[], n: number) => a[n % a.length]!;

/** One exhibit's life: 10 appends, each waiting for the previous to be durable. */
export async function exhibitLife(w: World, n: number, onAppend: () => void): Promise<void> {
  const L = w.ledger;
  const col = pick(w.collectors, n);
  const ex =
    w.examiners.find((e) => e.jurisdiction === col.jurisdiction && e.id !== col.id) ?? pick(w.examiners, n);
  const foreign = pick(
    w.custodians.filter((c) => c.jurisdiction !== col.jurisdiction),
    n >> 2,
  );
  const court = pick(
    w.courts.filter((c) => c.jurisdiction !== foreign.jurisdiction),
    n >> 3,
  );
  const reg = await L.append(
    {
      kind: 'register',
      body: {
        label: `IMG-${n}`,
        caseRef: `CASE-${n >> 4}`,
        description: 'Forensic image of a seized laptop disk',
        digests: digest(n),
        size: 500_107_862_016,
        seal: `S-${n}`,
        location: 'Bench street 1',
      },
    },
    col.signer,
  );
  onAppend();
  const x = reg.exhibit!;
  const step = async (p: Promise<unknown>) => {
    await p;
    onAppend();
  };
  await step(
    L.append(
      { kind: 'transfer', body: { exhibit: x, to: ex.id, reason: 'examination', method: 'in person' } },
      col.signer,
    ),
  );
  await step(
    L.append({ kind: 'accept', body: { exhibit: x, digests: digest(n), seal: 'intact' } }, ex.signer),
  );
  await step(
    L.append(
      {
        kind: 'examine',
        body: { exhibit: x, action: 'verified image', tool: 'bench-tool 1.0', digests: digest(n) },
      },
      ex.signer,
    ),
  );
  await step(
    L.append(
      { kind: 'examine', body: { exhibit: x, action: 'extracted artefacts', tool: 'bench-tool 1.0' } },
      ex.signer,
    ),
  );
  await step(
    L.append(
      {
        kind: 'transfer',
        body: {
          exhibit: x,
          to: foreign.id,
          reason: 'EIO execution',
          legalBasis: `EIO ${foreign.jurisdiction}-2026-${n}`,
          method: 'courier',
        },
      },
      ex.signer,
    ),
  );
  await step(
    L.append({ kind: 'accept', body: { exhibit: x, digests: digest(n), seal: 'intact' } }, foreign.signer),
  );
  await step(
    L.append(
      {
        kind: 'transfer',
        body: { exhibit: x, to: court.id, reason: 'trial', legalBasis: `JIT 2026/${n >> 6}` },
      },
      foreign.signer,
    ),
  );
  await step(L.append({ kind: 'accept', body: { exhibit: x, seal: 'intact' } }, court.signer));
  await step(
    L.append(
      { kind: 'dispose', body: { exhibit: x, method: 'archived', reason: 'judgment final' } },
      court.signer,
    ),
  );
}

/** An exhibit with exactly `events` events (register, examine, then hand-overs back and forth). */
export async function longExhibit(w: World, events: number): Promise<string> {
  const L = w.ledger;
  const a = w.custodians[0]!;
  const b = w.custodians.find((c) => c.jurisdiction !== a.jurisdiction)!;
  const col = w.collectors.find((c) => c.jurisdiction === a.jurisdiction)!;
  const reg = await L.append(
    {
      kind: 'register',
      body: {
        label: 'LONG-50',
        caseRef: 'CASE-LONG',
        description: 'An exhibit with a long history',
        digests: digest(-1),
        size: 1,
      },
    },
    col.signer,
  );
  const x = reg.exhibit!;
  let holder = col;
  let count = 1;
  while (count + 2 <= events) {
    const to = holder.id === a.id ? b : a;
    await L.append(
      { kind: 'transfer', body: { exhibit: x, to: to.id, reason: 'hand-over', legalBasis: 'MLA 2026/1' } },
      holder.signer,
    );
    await L.append({ kind: 'accept', body: { exhibit: x, digests: digest(-1) } }, to.signer);
    holder = to;
    count += 2;
  }
  if (count < events)
    await L.append(
      {
        kind: 'transfer',
        body: {
          exhibit: x,
          to: (holder.id === a.id ? b : a).id,
          reason: 'hand-over',
          legalBasis: 'MLA 2026/1',
        },
      },
      holder.signer,
    );
  return x;
}
