/**
 * Property tests of the verifier (fast-check, fixed seeds):
 *  (a) every history built through the real Ledger out of random VALID actions
 *      verifies clean, anchored to the authority key, and the verifier's replayed
 *      custody state equals the state the ledger persisted;
 *  (b) every single-byte change, deletion, duplication or swap of stored records
 *      is detected, and the first problem points at the entry concerned.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { hasAny, MAY_DISPOSE, MAY_EXAMINE, MAY_HOLD, MAY_REGISTER } from '../../src/custody/roles.js';
import type { ActorRecord, ExhibitRecord } from '../../src/custody/state.js';
import { type Kind, ROLES, type Role } from '../../src/format/events.js';
import { keyId } from '../../src/format/ids.js';
import type { Draft } from '../../src/ledger/draft.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { verifyLog } from '../../src/verify/verifier.js';
import { collect, type StoredRecord } from '../helpers/forge.js';
import { digestsOf, makeWorld, seededSigner, type World } from '../helpers/world.js';

// ---------------------------------------------------------------- random valid histories

const JURISDICTIONS = ['NL', 'DE', 'FR', 'EU', 'BE'] as const;
const GRANTABLE = ROLES.filter((r) => r !== 'authority' && r !== 'log');

/** One step of a history: which valid action to take and three numbers to parameterise it. */
type Choice = [number, number, number, number];
const choiceArb = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat());

const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length]!;

interface History {
  w: World;
  authority: Signer;
  kinds: Kind[];
  exhibits: string[];
}

const isActive = (a: ActorRecord) => a.revokedSeq === undefined && a.retiredSeq === undefined;

/**
 * Applies `choices` to a fresh world through the real ledger. Each choice picks
 * one of the actions that are valid in the current state (read back through
 * ledger.exhibit / ledger.actor), so every append must succeed.
 */
async function runHistory(choices: readonly Choice[], tag: string): Promise<History> {
  const w = await makeWorld();
  const signers = new Map<string, Signer>(
    [w.authority, w.nlCollector, w.nlExaminer, w.deCustodian, w.deExaminer, w.frCourt, w.witness].map((a) => [a.id, a.signer]),
  );
  const h: History = { w, authority: w.authority.signer, kinds: [], exhibits: [] };
  let fresh = 0;

  for (const [a, b, c, d] of choices) {
    const actors = (await Promise.all([...signers.keys()].map((id) => w.ledger.actor(id)))).filter(
      (x): x is ActorRecord => x !== undefined,
    );
    const exhibits = (await Promise.all(h.exhibits.map((id) => w.ledger.exhibit(id)))).filter(
      (x): x is ExhibitRecord => x !== undefined,
    );
    const active = actors.filter(isActive);
    const byId = new Map(actors.map((x) => [x.id, x]));
    const holders = active.filter((x) => hasAny(x.roles, MAY_HOLD));
    const held = exhibits.filter((x) => x.status === 'held' && isActive(byId.get(x.holder)!));
    const transit = exhibits.filter((x) => x.status === 'in-transit');
    const content = `content ${tag} ${c}`;

    const options: (() => { draft: Draft; signer: Signer } | undefined)[] = [
      // register original evidence
      () => {
        const cs = active.filter((x) => hasAny(x.roles, MAY_REGISTER));
        if (cs.length === 0) return undefined;
        const by = pick(cs, b);
        return {
          signer: signers.get(by.id)!,
          draft: {
            kind: 'register',
            body: {
              label: `EXH-${c % 1000}`,
              caseRef: `${by.jurisdiction}-2026-${d % 100}`,
              description: 'seized device',
              digests: digestsOf(content),
              size: content.length,
              ...(d % 2 === 0 ? { seal: `SEAL-${c % 1000}`, seizedAt: Date.UTC(2026, 1, d % 28) } : {}),
            },
          },
        };
      },
      // transfer (with a legal basis across borders, sometimes also within one)
      () => {
        if (held.length === 0) return undefined;
        const x = pick(held, b);
        const from = byId.get(x.holder)!;
        const tos = holders.filter((t) => t.id !== from.id);
        if (tos.length === 0) return undefined;
        const to = pick(tos, c);
        const needs = to.jurisdiction !== from.jurisdiction;
        return {
          signer: signers.get(from.id)!,
          draft: {
            kind: 'transfer',
            body: {
              exhibit: x.id,
              to: to.id,
              reason: 'onward custody',
              ...(needs || d % 3 === 0 ? { legalBasis: `EIO ${from.jurisdiction}-${to.jurisdiction}/${d % 97}` } : {}),
              ...(d % 2 === 0 ? { method: 'courier', seal: `BAG-${d % 1000}` } : {}),
            },
          },
        };
      },
      // accept (no digest, the right digest, or a wrong one — a wrong one is recorded, not refused)
      () => {
        const xs = transit.filter((x) => isActive(byId.get(x.pending!.to)!));
        if (xs.length === 0) return undefined;
        const x = pick(xs, b);
        const digests = c % 3 === 0 ? undefined : c % 3 === 1 ? x.digests : digestsOf('something else');
        return {
          signer: signers.get(x.pending!.to)!,
          draft: {
            kind: 'accept',
            body: { exhibit: x.id, ...(digests ? { digests } : {}), ...(d % 4 === 0 ? { seal: 'broken' as const } : {}) },
          },
        };
      },
      // reject by the receiver
      () => {
        const xs = transit.filter((x) => isActive(byId.get(x.pending!.to)!));
        if (xs.length === 0) return undefined;
        const x = pick(xs, b);
        return { signer: signers.get(x.pending!.to)!, draft: { kind: 'reject', body: { exhibit: x.id, reason: 'not expected' } } };
      },
      // cancel by the sender
      () => {
        const xs = transit.filter((x) => isActive(byId.get(x.pending!.from)!));
        if (xs.length === 0) return undefined;
        const x = pick(xs, b);
        return { signer: signers.get(x.pending!.from)!, draft: { kind: 'cancel', body: { exhibit: x.id, reason: 'sent in error' } } };
      },
      // examination by an examiner holding it
      () => {
        const xs = held.filter((x) => hasAny(byId.get(x.holder)!.roles, MAY_EXAMINE));
        if (xs.length === 0) return undefined;
        const x = pick(xs, b);
        return {
          signer: signers.get(x.holder)!,
          draft: {
            kind: 'examine',
            body: { exhibit: x.id, action: 'imaging', ...(c % 2 === 0 ? { tool: 'FTK Imager 4.7', digests: x.digests } : {}) },
          },
        };
      },
      // derived copy by an examiner holding the parent
      () => {
        const xs = held.filter((x) => hasAny(byId.get(x.holder)!.roles, MAY_EXAMINE));
        if (xs.length === 0) return undefined;
        const x = pick(xs, b);
        return {
          signer: signers.get(x.holder)!,
          draft: {
            kind: 'register',
            body: {
              label: `${x.label} image`,
              caseRef: x.caseRef,
              description: 'forensic image',
              digests: digestsOf(`${content} image`),
              size: 100 + (d % 1000),
              parent: x.id,
            },
          },
        };
      },
      // disposal by a custodian or court holding it
      () => {
        const xs = held.filter((x) => hasAny(byId.get(x.holder)!.roles, MAY_DISPOSE));
        if (xs.length === 0) return undefined;
        const x = pick(xs, b);
        return {
          signer: signers.get(x.holder)!,
          draft: {
            kind: 'dispose',
            body: { exhibit: x.id, method: pick(['returned', 'destroyed', 'archived'] as const, c), reason: 'case closed' },
          },
        };
      },
      // enrolment of a new actor
      () => {
        const s = seededSigner(`${tag} actor ${fresh++}`);
        // Roles are encoded sorted (schema.ts), which is not the order of ROLES.
        const roles: Role[] = GRANTABLE.filter((_, i) => (c >> i) & 1).sort();
        signers.set(keyId(s.publicKey), s);
        return {
          signer: h.authority,
          draft: {
            kind: 'enrol',
            body: {
              publicKey: s.publicKey,
              name: `Officer ${fresh}`,
              roles: roles.length > 0 ? roles : [pick(GRANTABLE, d)],
              jurisdiction: pick(JURISDICTIONS, d),
              org: 'Agency',
            },
          },
        };
      },
      // revocation of an actor that holds nothing and is owed nothing
      () => {
        const busy = new Set<string>();
        for (const x of exhibits) {
          if (x.status !== 'disposed') busy.add(x.holder);
          if (x.pending) busy.add(x.pending.to);
        }
        const xs = active.filter((x) => x.id !== w.ledger.head.authority && !busy.has(x.id));
        if (xs.length === 0) return undefined;
        return { signer: h.authority, draft: { kind: 'revoke', body: { actor: pick(xs, b).id, reason: 'reassigned' } } };
      },
      // rotation of the authority key (rarely)
      () => {
        if (c % 8 !== 0) return undefined;
        const next = seededSigner(`${tag} authority ${fresh++}`);
        const draft: Draft = { kind: 'rotate', newAuthority: next };
        const signer = h.authority;
        signers.set(keyId(next.publicKey), next);
        h.authority = next;
        return { signer, draft };
      },
    ];
    // Try the chosen action, then the next ones, so every step does something.
    for (let k = 0; k < options.length; k++) {
      const step = options[(a + k) % options.length]!();
      if (!step) continue;
      const appended = await w.ledger.append(step.draft, step.signer);
      h.kinds.push(appended.kind);
      if (appended.kind === 'register' && appended.exhibit) h.exhibits.push(appended.exhibit);
      break;
    }
  }
  return h;
}

/** Exhibit state in a form that compares across Buffer/Uint8Array. */
function norm(x: ExhibitRecord | undefined) {
  if (!x) return undefined;
  return {
    ...x,
    lastHash: toHex(x.lastHash),
    digests: Object.fromEntries(Object.entries(x.digests).map(([k, v]) => [k, toHex(v)])),
  };
}

describe('random valid custody histories', () => {
  it('always verify clean, anchored, with the state the ledger persisted', async () => {
    const seen = new Map<Kind, number>();
    let entries = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(choiceArb, { minLength: 5, maxLength: 45 }), async (choices) => {
        const tag = `run ${runs++}`;
        const h = await runHistory(choices, tag);
        const { w } = h;
        expect(h.kinds).toHaveLength(choices.length);
        for (const k of h.kinds) seen.set(k, (seen.get(k) ?? 0) + 1);
        entries += w.ledger.size;
        const result = await verifyLog(await collect(w.ledger.records()), { trustedKeys: [w.authority.signer.publicKey] });
        const r = result.report;
        expect(r.problems).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.anchored).toBe(true);
        expect(r.anchor?.via).toBe('genesis');
        expect(r.entries).toBe(w.ledger.size);
        expect(r.root).toBe(toHex(w.ledger.root()));
        expect(r.head).toBe(toHex(w.ledger.head.head));
        expect(r.exhibits).toBe(h.exhibits.length);
        for (const id of h.exhibits) expect(norm(result.exhibit(id))).toEqual(norm(await w.ledger.exhibit(id)));
      }),
      { seed: 42, numRuns: 40 },
    );
    // The generator really exercised every kind of event.
    for (const k of ['enrol', 'revoke', 'rotate', 'register', 'transfer', 'accept', 'reject', 'cancel', 'examine', 'dispose'] as const)
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    expect(entries).toBeGreaterThan(40 * 7);
  });
});

// ---------------------------------------------------------------- tampering with stored records

/** A fixed, varied history: the same generator with a fixed list of choices. */
function fixedChoices(n: number): Choice[] {
  let s = 12345;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s;
  };
  return Array.from({ length: n }, () => [next(), next(), next(), next()]);
}

describe('tampering with a stored log', () => {
  let recs: StoredRecord[] = [];
  let trusted: Uint8Array;
  let checkpoint: { size: number; root: Uint8Array };

  beforeAll(async () => {
    const h = await runHistory(fixedChoices(30), 'fixed');
    recs = await collect(h.w.ledger.records());
    trusted = h.w.authority.signer.publicKey;
    checkpoint = { size: recs.length, root: h.w.ledger.root() };
    const { report } = await verifyLog(recs, { trustedKeys: [trusted], checkpoints: [checkpoint] });
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(new Set(h.kinds).size).toBeGreaterThanOrEqual(6);
  });

  const n = () => recs.length;
  const renumber = (xs: StoredRecord[]) => xs.map((r, seq) => ({ seq, bytes: r.bytes }));
  const verify = (xs: StoredRecord[], withCheckpoint = false) =>
    verifyLog(xs, { trustedKeys: [trusted], ...(withCheckpoint ? { checkpoints: [checkpoint] } : {}) }).then((r) => r.report);

  it('any single-byte change is detected, first at the changed entry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (i0, off0, delta) => {
        const i = i0 % n();
        const bytes = recs[i]!.bytes.slice();
        const off = off0 % bytes.length;
        bytes[off]! ^= delta;
        const report = await verify(recs.map((r, k) => (k === i ? { seq: k, bytes } : r)));
        expect(report.ok).toBe(false);
        expect(report.problems[0]?.seq).toBe(i);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('a change inside the embedded prev hash is CHAIN_BROKEN at that entry', async () => {
    for (let i = 1; i < n(); i++) {
      const prev = hashLeaf(recs[i - 1]!.bytes);
      const bytes = recs[i]!.bytes.slice();
      const at = indexOf(bytes, prev);
      expect(at).toBeGreaterThan(0);
      bytes[at + 7]! ^= 0x40;
      const report = await verify(recs.map((r, k) => (k === i ? { seq: k, bytes } : r)));
      // The signature covers prev too, so the entry is also unsigned; nothing else is wrong.
      expect(report.problems.map((p) => [p.code, p.seq])).toEqual([
        ['CHAIN_BROKEN', i],
        ['SIGNATURE_INVALID', i],
      ]);
    }
  });

  it('a change inside a signature is SIGNATURE_INVALID at that entry and breaks the next link', async () => {
    for (let i = 0; i < n(); i++) {
      const bytes = recs[i]!.bytes.slice();
      bytes[bytes.length - 5]! ^= 0x01;
      const report = await verify(recs.map((r, k) => (k === i ? { seq: k, bytes } : r)));
      const expected = [['SIGNATURE_INVALID', i]];
      if (i + 1 < n()) expected.push(['CHAIN_BROKEN', i + 1]);
      expect(report.problems.map((p) => [p.code, p.seq])).toEqual(expected);
    }
  });

  it('deleting any entry (store renumbers) is detected at its position; the tail only with a checkpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (i0) => {
        const i = i0 % n();
        const cut = renumber(recs.filter((_, k) => k !== i));
        const report = await verify(cut, true);
        expect(report.ok).toBe(false);
        expect(report.problems[0]?.seq).toBe(i);
        expect(report.problems[0]?.code).toBe(i === n() - 1 ? 'LOG_TRUNCATED' : 'SEQ_MISMATCH');
        if (i < n() - 1) expect((await verify(cut)).ok).toBe(false);
      }),
      { seed: 7, numRuns: 60 },
    );
    // Legitimately undetectable without a checkpoint: a log cut at its tail is an older, valid log.
    const tail = await verify(recs.slice(0, -1));
    expect(tail).toMatchObject({ ok: true, entries: n() - 1 });
  });

  it('deleting any entry but keeping the seq keys (a gap) is ENTRY_MISSING at the gap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (i0) => {
        const i = i0 % (n() - 1); // a gap at the very end is a truncation, tested above
        const gap = recs.filter((_, k) => k !== i);
        const report = await verify(gap);
        expect(report.ok).toBe(false);
        expect(report.problems[0]).toMatchObject({ code: 'ENTRY_MISSING', seq: i });
        // Replay resynchronises on a zero hash, so the next entry's link is also reported.
        expect(report.problems[1]).toMatchObject({ code: 'CHAIN_BROKEN', seq: i + 1 });
      }),
      { seed: 8, numRuns: 60 },
    );
  });

  it('duplicating any entry is detected at the copy (position i+1: entry i itself is intact)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (i0) => {
        const i = i0 % n();
        const dup = renumber([...recs.slice(0, i + 1), recs[i]!, ...recs.slice(i + 1)]);
        const report = await verify(dup, true);
        expect(report.ok).toBe(false);
        expect(report.problems[0]).toMatchObject({ code: 'SEQ_MISMATCH', seq: i + 1 });
      }),
      { seed: 9, numRuns: 60 },
    );
  });

  it('swapping any two entries is detected at the first of them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (a0, b0) => {
        const a = a0 % n();
        const b = b0 % n();
        fc.pre(a !== b);
        const i = Math.min(a, b);
        const swapped = recs.map((r) => r.bytes);
        [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
        const report = await verify(swapped.map((bytes, seq) => ({ seq, bytes })));
        expect(report.ok).toBe(false);
        expect(report.problems[0]).toMatchObject({ code: 'SEQ_MISMATCH', seq: i });
      }),
      { seed: 10, numRuns: 100 },
    );
  });
});

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
