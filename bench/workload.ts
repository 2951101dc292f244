/**
 * A realistic format v2 custody workload for the benchmarks: a ledger whose
 * genesis names a log key, actors in four jurisdictions enrolled by the
 * authority, and exhibits that each live through registration, domestic
 * examination, a cross-border hand-over under an EIO, a hand-over to a court
 * and archiving (10 statements each).
 *
 * Statements are signed by their actors before they are submitted (signLife),
 * as workstations do, each with the openings of its committed fields; a life
 * is then submitted one statement at a time, each waiting until the previous
 * one is durable (its `after` names it), by many concurrent writers, so the
 * ledger group-commits as a busy national ledger would.
 */
import { createHash } from 'node:crypto';
import { type Signer, signerFromSeed } from '../src/crypto/ed25519.js';
import type { Canonical } from '../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../src/format/key-id.js';
import type { RoleV2 } from '../src/format/kinds.js';
import { ed25519Key } from '../src/format/sign-statement.js';
import type { Statement } from '../src/format/statement.js';
import { LedgerView } from '../src/ledger/ledger-view.js';
import { LogLedger, type LogLedgerOptions } from '../src/ledger/log-ledger.js';
import type { LogStore } from '../src/store/log-store.js';
import { benchStatement } from './v2-statement.js';

export const ORIGIN = 'bench.custody.example/national';

export interface Actor {
  signer: Signer;
  /** Statement key id (what `to` names). */
  id: Uint8Array;
  jurisdiction: string;
}

/** A signed statement with its openings, ready to submit. */
export interface Signed {
  bytes: Uint8Array;
  id: Uint8Array;
  openings: Uint8Array | undefined;
}

export const seed = (label: string) =>
  new Uint8Array(createHash('sha256').update(`custody bench ${label}`).digest());
const JURISDICTIONS = ['NL', 'DE', 'FR', 'BE'];

export interface World {
  ledger: LogLedger;
  store: LogStore;
  view: LedgerView;
  authority: Signer;
  /** The log key genesis names: signs checkpoints. */
  log: Signer;
  collectors: Actor[];
  examiners: Actor[];
  custodians: Actor[];
  courts: Actor[];
}

const sign = (
  kind: string,
  signer: Signer,
  fields: Record<string, Canonical | undefined>,
  links: Partial<Statement> = {},
): Signed => benchStatement(ORIGIN, Date.now(), kind, signer, fields, links);

export async function submit(w: World, s: Signed) {
  return w.ledger.submit(s.bytes, s.openings);
}

/** Genesis and 48 enrolments (4 roles × 4 jurisdictions × 3), each against the checkpoint it saw. */
export async function createWorld(store: LogStore, opts: LogLedgerOptions = {}): Promise<World> {
  const authority = signerFromSeed(seed('authority'));
  const log = signerFromSeed(seed('log'));
  const ledger = await LogLedger.open(store, opts);
  const view = new LedgerView(store);
  const w: World = {
    ledger,
    store,
    view,
    authority,
    log,
    collectors: [],
    examiners: [],
    custodians: [],
    courts: [],
  };
  const g = sign('genesis', authority, {
    name: 'Bench national ledger',
    jurisdiction: 'NL',
    org: 'Bench',
    logKey: [KEY_TYPES.ed25519, log.publicKey],
  });
  await submit(w, g);
  let head = g.id;
  const make = async (role: RoleV2, j: string, i: number): Promise<Actor> => {
    const signer = signerFromSeed(seed(`${role}-${j}-${i}`));
    const roles: RoleV2[] = role === 'collector' ? ['collector', 'custodian'] : [role];
    const e = sign(
      'enrol',
      authority,
      {
        key: [KEY_TYPES.ed25519, signer.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles,
        jurisdiction: j,
        name: `${role} ${j} ${i}`,
        org: `${j} ${role}s`,
      },
      { after: head, seen: await view.seen() },
    );
    await submit(w, e);
    head = e.id;
    return {
      signer,
      id: keyIdOf(ed25519Key(signer.publicKey), KEY_PURPOSES.statement),
      jurisdiction: j,
    };
  };
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

/** Signs the statements of an exhibit's chain one after the other, each linked to the previous. */
function chainSigner(exhibit: Uint8Array, after: Uint8Array, out: Signed[]) {
  let head = after;
  return (kind: string, signer: Signer, fields: Record<string, Canonical | undefined>) => {
    const s = sign(kind, signer, fields, { exhibit, after: head });
    head = s.id;
    out.push(s);
    return s;
  };
}

/** Exhibit `n`'s life, signed: 10 statements, to be submitted in order. */
export function signLife(w: World, n: number): Signed[] {
  const col = pick(w.collectors, n);
  const ex = w.examiners.find((e) => e.jurisdiction === col.jurisdiction) ?? pick(w.examiners, n);
  const foreign = pick(
    w.custodians.filter((c) => c.jurisdiction !== col.jurisdiction),
    n >> 2,
  );
  const court = pick(
    w.courts.filter((c) => c.jurisdiction !== foreign.jurisdiction),
    n >> 3,
  );
  const reg = sign('register', col.signer, {
    label: `IMG-${n}`,
    caseRef: `CASE-${n >> 4}`,
    description: 'Forensic image of a seized laptop disk',
    digests: digest(n),
    size: 500_107_862_016,
    seal: `S-${n}`,
    location: 'Bench street 1',
  });
  const life = [reg];
  const next = chainSigner(reg.id, reg.id, life);
  next('transfer', col.signer, { to: ex.id, reason: 'examination', method: 'in person' });
  next('accept', ex.signer, { digests: digest(n), seal: 'intact' });
  next('examine', ex.signer, { action: 'verified image', tool: 'bench-tool 1.0', digests: digest(n) });
  next('examine', ex.signer, { action: 'extracted artefacts', tool: 'bench-tool 1.0' });
  next('transfer', ex.signer, {
    to: foreign.id,
    reason: 'EIO execution',
    legalBasis: `EIO ${foreign.jurisdiction}-2026-${n}`,
    method: 'courier',
  });
  next('accept', foreign.signer, { digests: digest(n), seal: 'intact' });
  next('transfer', foreign.signer, { to: court.id, reason: 'trial', legalBasis: `JIT 2026/${n >> 6}` });
  next('accept', court.signer, { seal: 'intact' });
  next('dispose', court.signer, { method: 'archived', reason: 'judgment final' });
  return life;
}

/** Submits a signed life, each statement once the previous one is durable. */
export async function submitLife(w: World, life: readonly Signed[], onAppend: () => void): Promise<void> {
  for (const s of life) {
    await submit(w, s);
    onAppend();
  }
}

/** An exhibit with exactly `events` events (register, then hand-overs back and forth across a border). */
export async function longExhibit(w: World, events: number): Promise<Uint8Array> {
  const a = w.custodians[0]!;
  const b = w.custodians.find((c) => c.jurisdiction !== a.jurisdiction)!;
  const col = w.collectors.find((c) => c.jurisdiction === a.jurisdiction)!;
  const reg = sign('register', col.signer, {
    label: 'LONG-50',
    caseRef: 'CASE-LONG',
    description: 'An exhibit with a long history',
    digests: digest(-1),
    size: 1,
  });
  const life = [reg];
  const next = chainSigner(reg.id, reg.id, life);
  let holder = col;
  let count = 1;
  while (count + 2 <= events) {
    const to = holder === a ? b : a;
    next('transfer', holder.signer, { to: to.id, reason: 'hand-over', legalBasis: 'MLA 2026/1' });
    next('accept', to.signer, { digests: digest(-1) });
    holder = to;
    count += 2;
  }
  if (count < events)
    next('transfer', holder.signer, {
      to: (holder === a ? b : a).id,
      reason: 'hand-over',
      legalBasis: 'MLA 2026/1',
    });
  await submitLife(w, life, () => undefined);
  return reg.id;
}

/**
 * A probe exhibit for single-writer latency: registered, handed to an
 * examiner and accepted (submitted here), then `probes` examinations signed
 * in advance, to be submitted one at a time.
 */
export async function latencyProbe(w: World, probes: number): Promise<Signed[]> {
  const col = w.collectors[0]!;
  const ex = w.examiners.find((e) => e.jurisdiction === col.jurisdiction)!;
  const reg = sign('register', col.signer, {
    label: 'LAT',
    caseRef: 'C',
    description: 'latency probe',
    digests: { sha256: new Uint8Array(32) },
    size: 1,
  });
  const setup = [reg];
  const next = chainSigner(reg.id, reg.id, setup);
  next('transfer', col.signer, { to: ex.id, reason: 'probe' });
  next('accept', ex.signer, {});
  await submitLife(w, setup, () => undefined);
  const probesSigned: Signed[] = [];
  const more = chainSigner(reg.id, setup[setup.length - 1]!.id, probesSigned);
  for (let i = 0; i < probes; i++) more('examine', ex.signer, { action: `probe ${i}` });
  return probesSigned;
}
