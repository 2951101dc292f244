/**
 * Shared fixtures for the evidence-bundle tests: histories built on the test
 * world (test/helpers/world.ts), verification options, and small assertions
 * over an ExhibitVerdict (checks by id, problem codes).
 */
import { expect } from 'vitest';
import { type Bundle, decodeBundle, encodeBundle } from '../../src/bundle/format.js';
import type { CheckVerdict, ExhibitVerdict } from '../../src/bundle/verdict.js';
import { type BundleVerifyOptions, verifyBundle } from '../../src/bundle/verify.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { MemoryStore } from '../../src/store/memory.js';
import {
  type Actor,
  digestsOf,
  makeWorld,
  registerExhibit,
  seededSigner,
  type World,
} from '../helpers/world.js';

export const CONTENT = 'disk image bytes';
export const EIO = 'EIO DE-2026-0042 (Directive 2014/41/EU)';
export const JIT = 'JIT agreement NL-DE-FR 2026/01';
export const MLA = 'MLA FR-NL 2026/117';

/** Every check id a bundle verdict carries, in report order. */
export const CHECK_IDS = [
  'bundle-structure',
  'anchor',
  'checkpoint-signature',
  'witness-quorum',
  'inclusion-proofs',
  'records',
  'signatures',
  'signers',
  'custody-rules',
  'exhibit-links',
  'history-complete',
  'recorded-integrity',
  'file-digests',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const trustAuthority = (w: World, extra: Partial<BundleVerifyOptions> = {}): BundleVerifyOptions => ({
  trustedKeys: [w.authority.signer.publicKey],
  ...extra,
});

export function checksOf(v: ExhibitVerdict): Record<string, CheckVerdict> {
  return Object.fromEntries(v.checks.map((c) => [c.id, c.verdict]));
}

export const codesOf = (v: ExhibitVerdict): string[] => [...new Set(v.problems.map((p) => p.code))].sort();

/**
 * Asserts a verified bundle: ok, no problems, every check passes except those
 * named in `notChecked` (which must be exactly 'not-checked').
 */
export function expectVerified(v: ExhibitVerdict, notChecked: readonly CheckId[] = []) {
  const ctx = JSON.stringify({ problems: v.problems, checks: v.checks }, null, 1);
  expect(v.problems, ctx).toEqual([]);
  expect(v.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
  const want = Object.fromEntries(
    CHECK_IDS.map((id) => [id, notChecked.includes(id) ? 'not-checked' : 'pass']),
  );
  expect(checksOf(v), ctx).toEqual(want);
  expect(v.ok, ctx).toBe(true);
}

/** Asserts a failed verdict with the given problem codes and failed checks (others may fail too). */
export function expectFailed(v: ExhibitVerdict, want: { codes?: string[]; failed?: CheckId[] }) {
  const ctx = JSON.stringify({ problems: v.problems, checks: v.checks }, null, 1);
  expect(v.ok, ctx).toBe(false);
  for (const c of want.codes ?? []) expect(codesOf(v), ctx).toContain(c);
  const checks = checksOf(v);
  for (const id of want.failed ?? []) expect(checks[id], `${id}\n${ctx}`).toBe('fail');
}

/** Decodes, edits and re-encodes a bundle (the result is canonical; the edit is what is wrong). */
export function rebuild(bytes: Uint8Array, edit: (b: Bundle) => Bundle | undefined): Uint8Array {
  const b = decodeBundle(bytes);
  return encodeBundle(edit(b) ?? b);
}

/** The bundle with this head attestation (or none). */
export function withHead(b: Bundle, head: string | undefined): Bundle {
  const { head: _, ...rest } = b;
  return head === undefined ? rest : { ...rest, head };
}

/**
 * Verifies possibly hostile bytes: returns the verdict, or 'malformed' when
 * verifyBundle threw BUNDLE_MALFORMED. Any other exception propagates (a bug).
 */
export async function verifyHostile(
  bytes: Uint8Array,
  opts: BundleVerifyOptions,
): Promise<ExhibitVerdict | 'malformed'> {
  try {
    return await verifyBundle(bytes, opts);
  } catch (e) {
    if (e instanceof CustodyError && e.code === 'BUNDLE_MALFORMED' && e.category === 'input')
      return 'malformed';
    throw e;
  }
}

export async function expectMalformed(bytes: Uint8Array, opts: BundleVerifyOptions, message?: RegExp) {
  const err = await verifyBundle(bytes, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CustodyError);
  expect((err as CustodyError).code).toBe('BUNDLE_MALFORMED');
  expect((err as CustodyError).category).toBe('input');
  if (message) expect((err as CustodyError).message).toMatch(message);
}

export const digests = () => digestsOf(CONTENT);

/** Registers an exhibit as the NL collector (who then holds it); returns its id. */
export async function register(w: World, label = 'HDD-01', content = CONTENT): Promise<string> {
  return (await registerExhibit(w, label, content)).exhibit!;
}

export async function transfer(w: World, exhibit: string, from: Actor, to: Actor, legalBasis?: string) {
  return w.ledger.append(
    {
      kind: 'transfer',
      body: {
        exhibit,
        to: to.id,
        reason: 'for examination',
        method: 'courier',
        ...(legalBasis ? { legalBasis } : {}),
      },
    },
    from.signer,
  );
}

export async function accept(w: World, exhibit: string, by: Actor, rehash = true) {
  return w.ledger.append(
    {
      kind: 'accept',
      body: { exhibit, seal: 'intact', ...(rehash ? { digests: digests() } : {}), note: 'received sealed' },
    },
    by.signer,
  );
}

export async function examine(w: World, exhibit: string, by: Actor, n = 1) {
  return w.ledger.append(
    {
      kind: 'examine',
      body: { exhibit, action: `imaging pass ${n}`, tool: 'ewfacquire 20231201', digests: digests() },
    },
    by.signer,
  );
}

export async function reject(w: World, exhibit: string, by: Actor) {
  return w.ledger.append({ kind: 'reject', body: { exhibit, reason: 'paperwork missing' } }, by.signer);
}

export async function cancel(w: World, exhibit: string, by: Actor) {
  return w.ledger.append({ kind: 'cancel', body: { exhibit, reason: 'courier unavailable' } }, by.signer);
}

/**
 * One round of a cross-border history (17 events), starting and ending with
 * the NL collector holding the exhibit: NL → NL examiner (examine) → DE
 * (rejected once, cancelled once, then accepted) → DE examiner (examine) →
 * FR court → back to the NL collector. Every accept re-hashes (matching).
 */
export async function custodyRound(w: World, exhibit: string, n: number): Promise<number> {
  const steps: (() => Promise<unknown>)[] = [
    () => transfer(w, exhibit, w.nlCollector, w.nlExaminer),
    () => accept(w, exhibit, w.nlExaminer),
    () => examine(w, exhibit, w.nlExaminer, n),
    () => transfer(w, exhibit, w.nlExaminer, w.deCustodian, EIO),
    () => reject(w, exhibit, w.deCustodian),
    () => transfer(w, exhibit, w.nlExaminer, w.deCustodian, EIO),
    () => cancel(w, exhibit, w.nlExaminer),
    () => transfer(w, exhibit, w.nlExaminer, w.deCustodian, EIO),
    () => accept(w, exhibit, w.deCustodian),
    () => transfer(w, exhibit, w.deCustodian, w.deExaminer),
    () => accept(w, exhibit, w.deExaminer),
    () => examine(w, exhibit, w.deExaminer, n),
    () => transfer(w, exhibit, w.deExaminer, w.frCourt, JIT),
    () => accept(w, exhibit, w.frCourt),
    () => transfer(w, exhibit, w.frCourt, w.nlCollector, MLA),
    () => accept(w, exhibit, w.nlCollector, false),
    () => transfer(w, exhibit, w.nlCollector, w.nlExaminer),
  ];
  for (const s of steps) await s();
  // The last step leaves it in transit to the NL examiner: finish the hand-over back.
  await w.ledger.append(
    { kind: 'cancel', body: { exhibit, reason: 'kept at the station' } },
    w.nlCollector.signer,
  );
  return steps.length + 1;
}

/** Registers an exhibit and runs `rounds` custody rounds; returns the id and the event count. */
export async function longHistory(w: World, rounds = 3): Promise<{ exhibit: string; events: number }> {
  const exhibit = await register(w);
  let events = 1;
  for (let i = 1; i <= rounds; i++) events += await custodyRound(w, exhibit, i);
  return { exhibit, events };
}

/** Unrelated traffic: `n` events on other exhibits (registrations and NL hand-overs). */
export async function noise(w: World, n: number, label = 'NOISE') {
  let done = 0;
  for (let i = 0; done < n; i++) {
    const x = await register(w, `${label}-${i}`, `noise ${label} ${i}`);
    done++;
    for (let k = 0; k < 8 && done < n; k += 2) {
      await transfer(
        w,
        x,
        k % 4 === 0 ? w.nlCollector : w.nlExaminer,
        k % 4 === 0 ? w.nlExaminer : w.nlCollector,
      );
      done++;
      if (done < n) {
        await w.ledger.append(
          { kind: 'accept', body: { exhibit: x } },
          (k % 4 === 0 ? w.nlExaminer : w.nlCollector).signer,
        );
        done++;
      }
    }
  }
}

/**
 * The test world's actors in a ledger of another origin (same keys, same
 * enrolments in the same order): its entries sit at the same positions as
 * those of makeWorld's ledger but belong to another log.
 */
export const makeWorldAt = (origin: string): Promise<World> => makeWorld(new MemoryStore(), {}, { origin });

/** A deterministic signer that is not part of any world. */
export const strangerSigner = (label: string): Signer => seededSigner(`stranger ${label}`);

/** Deterministic pseudo-random bytes (SHA-256 counter stream). */
export function prngBytes(seed: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, block = 0; i < n; block++) {
    const h = sha256(new TextEncoder().encode(`${seed} ${block}`));
    for (let j = 0; j < h.length && i < n; j++) out[i++] = h[j]!;
  }
  return out;
}
