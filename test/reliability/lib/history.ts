/**
 * A small but complete custody history for the tamper and fuzz tests, over
 * any LogStore: genesis and five enrolments, two exhibits handed over across
 * a border (with a legal basis), an examination, a derived copy handed to a
 * court and disposed of, a revocation, a late registration, and two
 * checkpoints signed with the log key. Deterministic times (a stepping log
 * clock, a fixed signing clock), so that a careful insider can rebuild a
 * prefix of it byte for byte.
 */
import type { Signer } from '../../../src/crypto/ed25519.js';
import { type Canonical, encodeCanonical } from '../../../src/format/canonical.js';
import { decodeEntry } from '../../../src/format/entry.js';
import type { Composed } from '../../../src/ledger/compose.js';
import { LedgerView } from '../../../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../../../src/ledger/log-checkpoints.js';
import { LogLedger } from '../../../src/ledger/log-ledger.js';
import type { LogStore } from '../../../src/store/log-store.js';
import {
  ACTORS,
  AUTHORITY,
  clockAt,
  digestOf,
  enrolmentOf,
  genesisOf,
  LOG,
  type Member,
  member,
  seededSigner,
  seenNow,
  sign,
} from './cast.js';

export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
export const EIO = 'EIO DE-2026-0042';
export const MLA = 'MLA FR-NL 2026/117';

export interface People {
  authority: Member;
  log: Signer;
  collector: Member;
  nlExaminer: Member;
  deCustodian: Member;
  deExaminer: Member;
  frCourt: Member;
}

export const CAST: People = { authority: AUTHORITY, log: LOG, ...ACTORS };

/** The same people (names, roles, organisations) with other keys. */
export function impostors(prefix: string): People {
  const again = (m: Member, label: string) =>
    member(seededSigner(`${prefix}${label}`), m.name, m.roles, m.jurisdiction, m.org);
  return {
    authority: again(AUTHORITY, 'authority'),
    log: seededSigner(`${prefix}log`),
    collector: again(ACTORS.collector, 'collector'),
    nlExaminer: again(ACTORS.nlExaminer, 'nl-examiner'),
    deCustodian: again(ACTORS.deCustodian, 'de-custodian'),
    deExaminer: again(ACTORS.deExaminer, 'de-examiner'),
    frCourt: again(ACTORS.frCourt, 'fr-court'),
  };
}

/** The log clock: one second per statement from T0 + 1 min. */
export const logClock = () => {
  let t = T0 + 60_000;
  return clockAt(() => (t += 1000));
};
/** Statements are signed at T0. */
export const SIGNING = clockAt(() => T0);

export interface History {
  people: People;
  size: number;
  /** Exhibit ids: two originals, the derived copy, one registered late. */
  x1: Uint8Array;
  x2: Uint8Array;
  copy: Uint8Array;
  x3: Uint8Array;
  /** Named positions. */
  at: {
    registerX1: number;
    registerX2: number;
    transferX1: number;
    acceptX1: number;
    examineX1: number;
    deriveCopy: number;
    transferX1Abroad: number;
    acceptX1Abroad: number;
    transferX2: number;
    acceptX2: number;
    revokeDeCustodian: number;
    transferCopy: number;
    acceptCopy: number;
    disposeCopy: number;
    registerX3: number;
    last: number;
  };
  /** Every statement in log order, with its openings. */
  statements: Composed[];
  /** Checkpoint notes (cp1 after the hand-over of x1 abroad, cp2 two entries before the end). */
  cp1: { size: number; note: string };
  cp2: { size: number; note: string };
}

/** Builds the history in an empty store; the ledger is closed at the end unless `keepOpen`. */
export async function buildHistory(
  store: LogStore,
  opts: { people?: People; keepOpen?: boolean } = {},
): Promise<History & { ledger: LogLedger }> {
  const p = opts.people ?? CAST;
  const ledger = await LogLedger.open(store, { clock: logClock() });
  const statements: Composed[] = [];
  const put = async (c: Composed) => {
    statements.push(c);
    return (await ledger.submit(c.bytes, c.openingBytes)).index;
  };
  const g = genesisOf({ authority: p.authority.signer, log: p.log, clock: SIGNING });
  await put(g);
  let ledgerHead = g.id;
  for (const m of [p.collector, p.nlExaminer, p.deCustodian, p.deExaminer, p.frCourt]) {
    const e = enrolmentOf(m, ledgerHead, seenNow(ledger), { by: p.authority.signer, clock: SIGNING });
    await put(e);
    ledgerHead = e.id;
  }
  const heads = new Map<string, Uint8Array>();
  const chain = async (
    kind: string,
    by: Member,
    x: Uint8Array,
    fields: Record<string, Canonical | undefined>,
  ): Promise<[number, Composed]> => {
    const k = Buffer.from(x).toString('hex');
    const c = sign({ kind, signer: by.signer, fields, exhibit: x, after: heads.get(k)!, clock: SIGNING });
    const index = await put(c);
    heads.set(k, c.id);
    return [index, c];
  };
  const register = async (by: Member, label: string, content: string, parent?: Uint8Array) => {
    const c = sign({
      kind: 'register',
      signer: by.signer,
      fields: {
        label,
        caseRef: 'NL-2026-0042',
        description: `exhibit ${label}`,
        digests: digestOf(content),
        size: content.length,
        seal: 'NL-SEAL-1001',
        location: 'Amsterdam',
      },
      ...(parent ? { exhibit: parent, after: heads.get(Buffer.from(parent).toString('hex'))! } : {}),
      clock: SIGNING,
    });
    const index = await put(c);
    heads.set(Buffer.from(c.id).toString('hex'), c.id);
    if (parent) heads.set(Buffer.from(parent).toString('hex'), c.id);
    return [index, c.id] as const;
  };
  const transfer = (x: Uint8Array, from: Member, to: Member, legalBasis?: string) =>
    chain('transfer', from, x, { to: to.id, reason: 'hand-over', legalBasis });
  const accept = (x: Uint8Array, by: Member, content: string) =>
    chain('accept', by, x, { digests: digestOf(content), seal: 'intact', note: 'received sealed' });

  const [registerX1, x1] = await register(p.collector, 'HDD-01', 'disk image bytes');
  const [registerX2, x2] = await register(p.collector, 'PHONE-02', 'phone extraction');
  const [transferX1] = await transfer(x1, p.collector, p.nlExaminer);
  const [acceptX1] = await accept(x1, p.nlExaminer, 'disk image bytes');
  const [examineX1] = await chain('examine', p.nlExaminer, x1, { action: 'imaged', tool: 'X-Ways 21' });
  const [deriveCopy, copy] = await register(p.nlExaminer, 'HDD-01-COPY', 'working copy', x1);
  const [transferX1Abroad] = await transfer(x1, p.nlExaminer, p.deCustodian, EIO);
  const [acceptX1Abroad] = await accept(x1, p.deCustodian, 'disk image bytes');
  const view = new LedgerView(store);
  const cp1 = await signLogCheckpoint(view, p.log);
  const [transferX2] = await transfer(x2, p.collector, p.deCustodian, EIO);
  const [acceptX2] = await accept(x2, p.deCustodian, 'phone extraction');
  const revoke = sign({
    kind: 'revoke',
    signer: p.authority.signer,
    fields: { key: p.deCustodian.id, reason: 'key compromised' },
    after: ledgerHead,
    seen: seenNow(ledger),
    clock: SIGNING,
  });
  const revokeDeCustodian = await put(revoke);
  const [transferCopy] = await transfer(copy, p.nlExaminer, p.frCourt, MLA);
  const [acceptCopy] = await accept(copy, p.frCourt, 'working copy');
  const [disposeCopy] = await chain('dispose', p.frCourt, copy, { method: 'archived', reason: 'judgment' });
  const [registerX3, x3] = await register(p.collector, 'USB-03', 'usb stick');
  const cp2 = await signLogCheckpoint(view, p.log);
  await transfer(x3, p.collector, p.nlExaminer);
  const [last] = await accept(x3, p.nlExaminer, 'usb stick');
  const size = ledger.size;
  if (!opts.keepOpen) await ledger.close();
  return {
    ledger,
    people: p,
    size,
    x1,
    x2,
    copy,
    x3,
    at: {
      registerX1,
      registerX2,
      transferX1,
      acceptX1,
      examineX1,
      deriveCopy,
      transferX1Abroad,
      acceptX1Abroad,
      transferX2,
      acceptX2,
      revokeDeCustodian,
      transferCopy,
      acceptCopy,
      disposeCopy,
      registerX3,
      last,
    },
    statements,
    cp1: { size: cp1.size, note: cp1.note },
    cp2: { size: cp2.size, note: cp2.note },
  };
}

/** The log time of every stored entry, in order (to rebuild a prefix byte for byte). */
export async function entryTimes(store: LogStore): Promise<number[]> {
  const out: number[] = [];
  for await (const it of store.items(0, Number.MAX_SAFE_INTEGER)) out.push(decodeEntry(it.entry).entry.time);
  return out;
}

/**
 * The careful insider's tool: a fresh ledger in `store` holding exactly these
 * statements, appended by the ledger's own code with the given log times, so
 * that every entry, tree node, map branch, record, index and the head are
 * what the ledger would have written.
 */
export async function rebuild(
  store: LogStore,
  statements: readonly { bytes: Uint8Array; openingBytes?: Uint8Array | undefined }[],
  times: readonly number[],
): Promise<void> {
  let k = 0;
  const ledger = await LogLedger.open(store, {
    clock: clockAt(() => times[k++] ?? (times.at(-1) ?? T0) + 1000 * (k - times.length)),
  });
  for (const s of statements) await ledger.submit(s.bytes, s.openingBytes);
  await ledger.close();
}

/** A canonical map with one field changed, for editing records. */
export const edited = (record: Record<string, Canonical>, change: Record<string, Canonical>) =>
  encodeCanonical({ ...record, ...change });
