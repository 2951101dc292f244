import { checkpointLedger } from '../../../src/ledger/checkpoints.js';
import type { Appended, Ledger } from '../../../src/ledger/ledger.js';
import type { LedgerStore } from '../../../src/store/store.js';
import { type Actor, digestsOf, makeWorld, type World } from '../../helpers/world.js';

export const EIO = 'EIO DE-2026-0042';
export const MLA = 'MLA FR-NL 2026/117';

export interface History {
  world: World;
  /** Exhibits: two originals, one derived copy, one registered late. */
  x1: string;
  x2: string;
  copy: string;
  x3: string;
  /** Named entries. */
  seq: {
    genesis: number;
    enrolDeCustodian: number;
    registerX1: number;
    transferX1: number;
    acceptX1: number;
    examineX1: number;
    deriveCopy: number;
    transferX1Abroad: number;
    acceptX1Abroad: number;
    revokeDeCustodian: number;
    disposeCopy: number;
    registerX3: number;
    last: number;
  };
  /** Checkpoint notes and their sizes (cp2 covers the revocation; two entries follow it). */
  cp1: { size: number; note: string };
  cp2: { size: number; note: string };
  size: number;
}

const reg = (ledger: Ledger, by: Actor, label: string, content: string, parent?: string) =>
  ledger.append(
    {
      kind: 'register',
      body: {
        label,
        caseRef: 'NL-2026-0042',
        description: `exhibit ${label}`,
        digests: digestsOf(content),
        size: content.length,
        seal: 'NL-SEAL-1001',
        ...(parent ? { parent } : {}),
      },
    },
    by.signer,
  );
const transfer = (ledger: Ledger, x: string, from: Actor, to: Actor, legalBasis?: string) =>
  ledger.append(
    {
      kind: 'transfer',
      body: { exhibit: x, to: to.id, reason: 'hand-over', ...(legalBasis ? { legalBasis } : {}) },
    },
    from.signer,
  );
const accept = (ledger: Ledger, x: string, by: Actor, content: string) =>
  ledger.append(
    { kind: 'accept', body: { exhibit: x, digests: digestsOf(content), seal: 'intact' } },
    by.signer,
  );

/** Builds the history on `w` (genesis and enrolments already there). */
async function story(w: World): Promise<Omit<History, 'world'>> {
  const l = w.ledger;
  const enrolDeCustodian = 3; // makeWorld: genesis, nlCollector, nlExaminer, deCustodian, …
  const r1 = await reg(l, w.nlCollector, 'HDD-01', 'disk image bytes');
  const x1 = r1.exhibit!;
  const x2 = (await reg(l, w.nlCollector, 'PHONE-02', 'phone extraction')).exhibit!;
  const t1 = await transfer(l, x1, w.nlCollector, w.nlExaminer);
  const a1 = await accept(l, x1, w.nlExaminer, 'disk image bytes');
  const e1 = await l.append(
    { kind: 'examine', body: { exhibit: x1, action: 'imaged' } },
    w.nlExaminer.signer,
  );
  const d1 = await reg(l, w.nlExaminer, 'HDD-01-COPY', 'working copy', x1);
  const copy = d1.exhibit!;
  const t2 = await transfer(l, x1, w.nlExaminer, w.deCustodian, EIO);
  const a2 = await accept(l, x1, w.deCustodian, 'disk image bytes');
  const cp1 = await checkpointLedger(l, w.authority.signer);
  await transfer(l, x2, w.nlCollector, w.deCustodian, EIO);
  await accept(l, x2, w.deCustodian, 'phone extraction');
  const rv: Appended = await l.append(
    { kind: 'revoke', body: { actor: w.deCustodian.id, reason: 'key compromised' } },
    w.authority.signer,
  );
  await transfer(l, copy, w.nlExaminer, w.frCourt, MLA);
  await accept(l, copy, w.frCourt, 'working copy');
  const dc = await l.append(
    { kind: 'dispose', body: { exhibit: copy, method: 'archived', reason: 'judgment' } },
    w.frCourt.signer,
  );
  const r3 = await reg(l, w.nlCollector, 'USB-03', 'usb stick');
  const cp2 = await checkpointLedger(l, w.authority.signer);
  await transfer(l, r3.exhibit!, w.nlCollector, w.nlExaminer);
  const last = await accept(l, r3.exhibit!, w.nlExaminer, 'usb stick');
  return {
    x1,
    x2,
    copy,
    x3: r3.exhibit!,
    seq: {
      genesis: 0,
      enrolDeCustodian,
      registerX1: r1.seq,
      transferX1: t1.seq,
      acceptX1: a1.seq,
      examineX1: e1.seq,
      deriveCopy: d1.seq,
      transferX1Abroad: t2.seq,
      acceptX1Abroad: a2.seq,
      revokeDeCustodian: rv.seq,
      disposeCopy: dc.seq,
      registerX3: r3.seq,
      last: last.seq,
    },
    cp1: { size: cp1.size, note: cp1.note },
    cp2: { size: cp2.size, note: cp2.note },
    size: l.size,
  };
}

export async function buildHistory(store: LedgerStore): Promise<History> {
  const world = await makeWorld(store);
  return { world, ...(await story(world)) };
}

/** The same story told with other keys (same origin, names, organisations, roles). */
export async function forgeHistory(store: LedgerStore): Promise<History> {
  const world = await makeWorld(store, {}, { keys: 'forger ' });
  return { world, ...(await story(world)) };
}
