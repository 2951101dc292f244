/**
 * Random VALID custody histories for property tests: a list of numeric choices
 * is turned, step by step, into actions that are valid in the current state of
 * a real Ledger (read back through ledger.exhibit / ledger.actor) and appended.
 */
import fc from 'fast-check';
import { toHex } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { hasAny, MAY_DISPOSE, MAY_EXAMINE, MAY_HOLD, MAY_REGISTER } from '../../src/custody/roles.js';
import type { ActorRecord, ExhibitRecord } from '../../src/custody/state.js';
import { type Kind, ROLES, type Role } from '../../src/format/events.js';
import { keyId } from '../../src/format/ids.js';
import type { Draft } from '../../src/ledger/draft.js';
import { digestsOf, makeWorld, seededSigner, type World } from '../helpers/world.js';

const JURISDICTIONS = ['NL', 'DE', 'FR', 'EU', 'BE'] as const;
const GRANTABLE = ROLES.filter((r) => r !== 'authority' && r !== 'log');

/** One step of a history: which valid action to take and three numbers to parameterise it. */
export type Choice = [number, number, number, number];
export const choiceArb = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat());

const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length]!;

export interface History {
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
export async function runHistory(choices: readonly Choice[], tag: string): Promise<History> {
  const w = await makeWorld();
  const signers = new Map<string, Signer>(
    [w.authority, w.nlCollector, w.nlExaminer, w.deCustodian, w.deExaminer, w.frCourt, w.witness].map((a) => [
      a.id,
      a.signer,
    ]),
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

    type Step = { draft: Draft; signer: Signer; onAppended?: () => void };
    const options: (() => Step | undefined)[] = [
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
              ...(needs || d % 3 === 0
                ? { legalBasis: `EIO ${from.jurisdiction}-${to.jurisdiction}/${d % 97}` }
                : {}),
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
            body: {
              exhibit: x.id,
              ...(digests ? { digests } : {}),
              ...(d % 4 === 0 ? { seal: 'broken' as const } : {}),
            },
          },
        };
      },
      // reject by the receiver
      () => {
        const xs = transit.filter((x) => isActive(byId.get(x.pending!.to)!));
        if (xs.length === 0) return undefined;
        const x = pick(xs, b);
        return {
          signer: signers.get(x.pending!.to)!,
          draft: { kind: 'reject', body: { exhibit: x.id, reason: 'not expected' } },
        };
      },
      // cancel by the sender
      () => {
        const xs = transit.filter((x) => isActive(byId.get(x.pending!.from)!));
        if (xs.length === 0) return undefined;
        const x = pick(xs, b);
        return {
          signer: signers.get(x.pending!.from)!,
          draft: { kind: 'cancel', body: { exhibit: x.id, reason: 'sent in error' } },
        };
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
            body: {
              exhibit: x.id,
              action: 'imaging',
              ...(c % 2 === 0 ? { tool: 'FTK Imager 4.7', digests: x.digests } : {}),
            },
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
            body: {
              exhibit: x.id,
              method: pick(['returned', 'destroyed', 'archived'] as const, c),
              reason: 'case closed',
            },
          },
        };
      },
      // enrolment of a new actor
      () => {
        const s = seededSigner(`${tag} actor ${fresh}`);
        // Roles are encoded sorted (schema.ts), which is not the order of ROLES.
        const roles: Role[] = GRANTABLE.filter((_, i) => (c >> i) & 1).sort();
        return {
          onAppended: () => {
            fresh++;
            signers.set(keyId(s.publicKey), s);
          },
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
      // revocation of an actor that holds nothing and is owed nothing (not too often)
      () => {
        if (b % 3 !== 0) return undefined;
        const busy = new Set<string>();
        for (const x of exhibits) {
          if (x.status !== 'disposed') busy.add(x.holder);
          if (x.pending) busy.add(x.pending.to);
        }
        const xs = active.filter((x) => x.id !== w.ledger.head.authority && !busy.has(x.id));
        if (xs.length === 0) return undefined;
        return {
          signer: h.authority,
          draft: { kind: 'revoke', body: { actor: pick(xs, b).id, reason: 'reassigned' } },
        };
      },
      // rotation of the authority key (rarely)
      () => {
        if (c % 8 !== 0) return undefined;
        const next = seededSigner(`${tag} authority ${fresh}`);
        return {
          signer: h.authority,
          draft: { kind: 'rotate', newAuthority: next },
          onAppended: () => {
            fresh++;
            signers.set(keyId(next.publicKey), next);
            h.authority = next;
          },
        };
      },
    ];
    // Choose among the actions valid now (enrolment always is, so there is one).
    const valid = options.map((o) => o()).filter((x): x is Step => x !== undefined);
    const step = pick(valid, a);
    const appended = await w.ledger.append(step.draft, step.signer);
    step.onAppended?.();
    h.kinds.push(appended.kind);
    if (appended.kind === 'register' && appended.exhibit) h.exhibits.push(appended.exhibit);
  }
  return h;
}

/** Exhibit state in a form that compares across Buffer/Uint8Array. */
export function norm(x: ExhibitRecord | undefined) {
  if (!x) return undefined;
  return {
    ...x,
    lastHash: toHex(x.lastHash),
    digests: Object.fromEntries(Object.entries(x.digests).map(([k, v]) => [k, toHex(v)])),
  };
}

/** A fixed, varied list of choices (the same generator, a fixed seed). */
export function fixedChoices(n: number, seed = 2026): Choice[] {
  return fc.sample(fc.array(choiceArb, { minLength: n, maxLength: n }), { seed, numRuns: 1 })[0]!;
}
