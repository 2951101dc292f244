/**
 * Shared fixtures of the v2 bundle tests: a v2 ledger over MemoryLogStore
 * (LogLedger), statements signed elsewhere and submitted with their openings,
 * a checkpoint signed with the log key, and small assertions on verdicts.
 *
 * The world: genesis; enrolments of a collector (NL), a custodian (DE) and an
 * examiner (NL); HDD-01 registered, handed over NL → DE, accepted, examined,
 * and a derived copy HDD-01-W1 registered from it (links exhibit/after to
 * the parent); a second exhibit PHONE-01 registered and handed over; the copy
 * examined.
 */
import { expect } from 'vitest';
import { type BundleV2, decodeBundleV2, encodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import type { CheckVerdict } from '../../src/bundle/verdict.js';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import { signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { encodeOpenings } from '../../src/format/openings.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { type BundleV2Trust, verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { digestOf } from '../custody/v2-world.js';
import { type Made, make, ORIGIN, seededRandom, statementKeyId } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';

export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
export const EIO = 'EIO DE-2026-0042 (Directive 2014/41/EU)';

export interface V2BundleWorld {
  ledger: LogLedger;
  authority: Signer;
  log: Signer;
  collector: Signer;
  custodian: Signer;
  examiner: Signer;
  ledgerHead: Uint8Array;
  /** Head statement of each exhibit, by label. */
  heads: Map<string, Uint8Array>;
  /** Exhibit id by label. */
  ids: Map<string, Uint8Array>;
  salt: number;
}

/** A clock one second further at each call: log times always increase. */
function steppingClock() {
  let t = T0 + 60_000;
  return { now: () => (t += 1000), zone: () => 'UTC' };
}

/** Signs a statement of `kind` (committed fields in clear, committed here) and submits it with its openings. */
export async function submit(
  w: V2BundleWorld,
  kind: string,
  signer: Signer,
  fields: Record<string, Canonical | undefined>,
  links: { exhibit?: Uint8Array; after?: Uint8Array; seen?: { size: number; root: Uint8Array } } = {},
  cosigners: Signer[] = [],
): Promise<Made & { index: number }> {
  const m = make(kind, signer, fields, links, {
    time: T0 + 30_000,
    random: seededRandom(`v2 bundle world ${w.salt++}`),
    cosigners,
  });
  const r = await w.ledger.submit(m.bytes, encodeOpenings(m.openings));
  return { ...m, index: r.index };
}

/** A ledger statement, linked to the ledger chain's head and to the current checkpoint (co-signed for a rotation). */
export async function govern(
  w: V2BundleWorld,
  kind: string,
  fields: Record<string, Canonical | undefined>,
  signer: Signer = w.authority,
  cosigners: Signer[] = [],
) {
  const s = await submit(
    w,
    kind,
    signer,
    fields,
    { after: w.ledgerHead, seen: { size: w.ledger.size, root: w.ledger.root() } },
    cosigners,
  );
  w.ledgerHead = s.id;
  return s;
}

export const enrol = (w: V2BundleWorld, who: Signer, roles: string[], jurisdiction: string, name: string) =>
  govern(w, 'enrol', {
    key: [KEY_TYPES.ed25519, who.publicKey],
    purpose: KEY_PURPOSES.statement,
    roles,
    jurisdiction,
    name,
    org: `${name}'s service`,
  });

export async function register(w: V2BundleWorld, by: Signer, label: string, parent?: string) {
  const links = parent ? { exhibit: w.ids.get(parent)!, after: w.heads.get(parent)! } : {};
  const s = await submit(
    w,
    'register',
    by,
    {
      label,
      caseRef: 'NL-2026-0042',
      description: `Seized ${label}`,
      digests: digestOf(label),
      size: 1000,
      location: 'Amsterdam',
      seal: `SEAL-${label}`,
    },
    links,
  );
  w.ids.set(label, s.id);
  w.heads.set(label, s.id);
  if (parent) w.heads.set(parent, s.id);
  return s;
}

/** A chain statement of the exhibit `label`, linked to its head. */
export async function chain(
  w: V2BundleWorld,
  label: string,
  kind: string,
  by: Signer,
  fields: Record<string, Canonical | undefined>,
) {
  const s = await submit(w, kind, by, fields, { exhibit: w.ids.get(label)!, after: w.heads.get(label)! });
  w.heads.set(label, s.id);
  return s;
}

export const keyIdOfSigner = (s: Signer) => statementKeyId(s.publicKey);

/** Genesis and the three enrolments only. */
export async function foundedWorld(prefix = ''): Promise<V2BundleWorld> {
  const key = (l: string) => seededSigner(`${prefix}v2 bundle ${l}`);
  const w: V2BundleWorld = {
    ledger: await LogLedger.open(new MemoryLogStore(), { clock: steppingClock() }),
    authority: key('authority'),
    log: key('log'),
    collector: key('collector'),
    custodian: key('custodian'),
    examiner: key('examiner'),
    ledgerHead: new Uint8Array(32),
    heads: new Map(),
    ids: new Map(),
    salt: 0,
  };
  const g = await submit(w, 'genesis', w.authority, {
    name: 'NFI evidence ledger',
    jurisdiction: 'NL',
    org: 'Netherlands Forensic Institute',
    logKey: [KEY_TYPES.ed25519, w.log.publicKey],
  });
  w.ledgerHead = g.id;
  await enrol(w, w.collector, ['collector', 'custodian'], 'NL', 'Insp. J. de Vries');
  await enrol(w, w.custodian, ['custodian', 'examiner'], 'DE', 'KHK K. Müller');
  await enrol(w, w.examiner, ['examiner'], 'NL', 'Dr. A. Jansen');
  return w;
}

/** The full world of the file comment. */
export async function bundleWorld(prefix = ''): Promise<V2BundleWorld> {
  const w = await foundedWorld(prefix);
  await register(w, w.collector, 'HDD-01');
  await chain(w, 'HDD-01', 'transfer', w.collector, {
    to: keyIdOfSigner(w.custodian),
    reason: 'EIO execution',
    legalBasis: EIO,
  });
  await chain(w, 'HDD-01', 'accept', w.custodian, {
    digests: digestOf('HDD-01'),
    seal: 'intact',
    note: 'Sealed',
  });
  await chain(w, 'HDD-01', 'examine', w.custodian, { action: 'Imaged the disk', tool: 'X-Ways 21.0' });
  await register(w, w.custodian, 'HDD-01-W1', 'HDD-01');
  await register(w, w.collector, 'PHONE-01');
  await chain(w, 'PHONE-01', 'transfer', w.collector, {
    to: keyIdOfSigner(w.examiner),
    reason: 'Examination',
  });
  await chain(w, 'HDD-01-W1', 'examine', w.custodian, { action: 'Carved deleted files' });
  return w;
}

/** A checkpoint of the ledger as it is now (or of its first `size` entries), signed with the log key. */
export async function checkpointOf(w: V2BundleWorld, size = w.ledger.size): Promise<string> {
  const { rootAt } = await import('../../src/merkle/proofs.js');
  const root = await rootAt(w.ledger.store, size);
  return signCheckpoint({ origin: ORIGIN, size, root }, ORIGIN, w.log);
}

/**
 * Without witness keys, these tests rest on the log key alone (quorum 0): the
 * default would ask for a cosignature and make every verdict UNWITNESSED.
 */
const logAlone = (t: BundleV2Trust): BundleV2Trust => (t.witnesses?.length ? t : { quorum: 0, ...t });

/** The authority pinned (no witness asked for unless `extra` names witnesses). */
export const pinAuthority = (w: V2BundleWorld, extra: BundleV2Trust = {}): BundleV2Trust =>
  logAlone({ authorityKeys: [w.authority.publicKey], ...extra });

export const verify = (bytes: Uint8Array, trust: BundleV2Trust) => verifyBundleV2(bytes, logAlone(trust));

export const codesOf = (v: ExhibitVerdictV2): string[] => [...new Set(v.problems.map((p) => p.code))].sort();

export function checksOf(v: ExhibitVerdictV2): Record<string, CheckVerdict> {
  return Object.fromEntries(v.checks.map((c) => [c.id, c.verdict]));
}

const context = (v: ExhibitVerdictV2) => JSON.stringify({ problems: v.problems, checks: v.checks }, null, 1);

/** Verified: ok, no problem, every check passes except those named (which are not-checked). */
export function expectVerified(
  v: ExhibitVerdictV2,
  notChecked: readonly string[] = ['witness-quorum', 'file-digests'],
) {
  expect(v.problems, context(v)).toEqual([]);
  for (const c of v.checks)
    expect([c.id, c.verdict]).toEqual([c.id, notChecked.includes(c.id) ? 'not-checked' : 'pass']);
  expect(v.ok, context(v)).toBe(true);
  expect(v.verdict).toBe('VERIFIED');
}

/** Not ok, with at least these problem codes and failed checks. */
export function expectFailed(v: ExhibitVerdictV2, codes: string[], failed: string[] = []) {
  expect(v.ok, context(v)).toBe(false);
  for (const c of codes) expect(codesOf(v), context(v)).toContain(c);
  const checks = checksOf(v);
  for (const id of failed) expect(checks[id], `${id}\n${context(v)}`).toBe('fail');
}

/** Decodes, edits and re-encodes a bundle (canonically, so the edit reaches the deeper checks). */
export function edit(bytes: Uint8Array, change: (b: BundleV2) => void): Uint8Array {
  const b = decodeBundleV2(bytes);
  change(b);
  return encodeBundleV2(b);
}

/** A copy of `b` with one byte XORed. */
export function flip(b: Uint8Array, at: number, mask = 0x01): Uint8Array {
  const out = Uint8Array.from(b);
  out[at]! ^= mask;
  return out;
}
