/**
 * Random VALID custody histories for property tests (format v2): a list of
 * numeric choices is turned, step by step, into statements that are valid in
 * the current state of a real LogLedger (read back through LedgerView: the
 * key, exhibit and ledger records) and submitted. Every submission must be
 * accepted; the generator never relies on a refusal.
 */
import fc from 'fast-check';
import { toHex } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { hasAnyRole, MAY_DERIVE, MAY_HOLD } from '../../src/custody/permissions.js';
import type { ExhibitRecord, KeyRecord } from '../../src/custody/records.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { chainView, ROLES_V2, type RoleV2 } from '../../src/format/kinds.js';
import { encodeOpenings } from '../../src/format/openings.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { make, seededRandom, statementKeyId } from '../format/v2-fixtures.js';
import { digestsOf, seededSigner } from '../helpers/world.js';

const JURISDICTIONS = ['NL', 'DE', 'FR', 'EU', 'BE'] as const;
/** Roles a registrar or the authority grants in these histories (registrar and data-protection aside). */
const GRANTABLE: RoleV2[] = ROLES_V2.filter((r) => r !== 'registrar' && r !== 'data-protection');
export const T0 = Date.UTC(2026, 4, 1, 9, 0, 0);

/** One step of a history: which valid action to take and three numbers to parameterise it. */
export type Choice = [number, number, number, number];
export const choiceArb = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat());

const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length]!;

export interface History {
  ledger: LogLedger;
  store: MemoryLogStore;
  /** The current authority (after any rotation). */
  authority: Signer;
  /** The genesis authority (what a verifier pins). */
  founder: Signer;
  log: Signer;
  /** The kind of every statement after the founding (genesis and the first enrolments). */
  kinds: string[];
  /** Every exhibit registered, in order. */
  exhibits: Uint8Array[];
}

interface Actor {
  id: Uint8Array;
  signer: Signer;
  rec: KeyRecord;
}

interface Exhibit {
  id: Uint8Array;
  rec: ExhibitRecord;
  label: string;
  caseRef: string;
  digests: { sha256: Uint8Array };
}

const same = (a: Uint8Array, b: Uint8Array) => toHex(a) === toHex(b);

/**
 * Applies `choices` to a fresh ledger through LogLedger. Each choice picks one
 * of the statements that are valid in the current state (read back through
 * LedgerView), so every submission must be accepted.
 */
export async function runHistory(choices: readonly Choice[], tag: string): Promise<History> {
  let t = T0 + 60_000;
  const store = new MemoryLogStore();
  const ledger = await LogLedger.open(store, { clock: { now: () => (t += 1000), zone: () => 'UTC' } });
  const view = new LedgerView(store);
  const founder = seededSigner('history authority');
  const h: History = {
    ledger,
    store,
    authority: founder,
    founder,
    log: seededSigner('history log'),
    kinds: [],
    exhibits: [],
  };
  const signers = new Map<string, Signer>();
  const exhibits: { id: Uint8Array; label: string; caseRef: string; digests: { sha256: Uint8Array } }[] = [];
  let salt = 0;
  let fresh = 0;
  let registered = 0;

  const submit = async (
    kind: string,
    signer: Signer,
    fields: Record<string, Canonical | undefined>,
    links: { exhibit?: Uint8Array; after?: Uint8Array } = {},
    cosigners: Signer[] = [],
  ) => {
    const ledgerLinks =
      links.exhibit || kind === 'register' || kind === 'genesis'
        ? links
        : { after: (await view.ledger()).head, seen: { size: ledger.size, root: ledger.root() } };
    const m = make(kind, signer, fields, ledgerLinks, {
      time: T0 + 30_000,
      random: seededRandom(`${tag} ${salt++}`),
      cosigners,
    });
    await ledger.submit(m.bytes, encodeOpenings(m.openings));
    return m;
  };
  const enrolKey = async (s: Signer, roles: RoleV2[], jurisdiction: string, name: string) => {
    await submit('enrol', h.authority, {
      key: [KEY_TYPES.ed25519, s.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles,
      jurisdiction,
      name,
      org: 'Agency',
    });
    signers.set(toHex(statementKeyId(s.publicKey)), s);
  };

  await submit('genesis', founder, {
    name: 'History ledger',
    jurisdiction: 'NL',
    org: 'NFI',
    logKey: [KEY_TYPES.ed25519, h.log.publicKey],
  });
  await enrolKey(seededSigner('history nl collector'), ['collector', 'custodian'], 'NL', 'J. de Vries');
  await enrolKey(seededSigner('history nl examiner'), ['custodian', 'examiner'], 'NL', 'A. Bakker');
  await enrolKey(seededSigner('history de custodian'), ['custodian'], 'DE', 'K. Müller');
  await enrolKey(seededSigner('history de examiner'), ['examiner'], 'DE', 'S. Wagner');
  await enrolKey(seededSigner('history fr court'), ['court'], 'FR', 'Greffe de Paris');

  for (const [a, b, c, d] of choices) {
    const actors: Actor[] = [];
    for (const [hex, signer] of signers) {
      const id = statementKeyId(signer.publicKey);
      const rec = await view.key(id);
      if (rec) actors.push({ id, signer, rec });
      else throw new Error(`history: key ${hex} is not enrolled`);
    }
    const xs: Exhibit[] = [];
    for (const x of exhibits) xs.push({ ...x, rec: (await view.exhibit(x.id))! });
    const active = actors.filter((x) => x.rec.revokedAt === undefined);
    const byId = new Map(actors.map((x) => [toHex(x.id), x]));
    const actorOf = (id: Uint8Array) => byId.get(toHex(id));
    const isActive = (id: Uint8Array | undefined) =>
      id !== undefined && actorOf(id)?.rec.revokedAt === undefined;
    const holders = active.filter((x) => hasAnyRole(x.rec.roles, MAY_HOLD));
    const held = xs.filter((x) => x.rec.state === 'held' && isActive(x.rec.holder));
    const pending = xs.filter((x) => x.rec.state === 'pending');
    const chain = (x: Exhibit) => ({ exhibit: x.id, after: x.rec.head });
    const content = `content ${tag} ${registered}`;

    type Step = () => Promise<unknown>;
    const options: (() => Step | undefined)[] = [
      // register original evidence
      () => {
        const cs = active.filter((x) => hasAnyRole(x.rec.roles, chainView('register').roles ?? []));
        if (cs.length === 0) return undefined;
        const by = pick(cs, b);
        return async () => {
          const label = `EXH-${c % 1000}`;
          const caseRef = `${by.rec.jurisdiction}-2026-${d % 100}`;
          const digests = digestsOf(content);
          registered++;
          const m = await submit('register', by.signer, {
            label,
            caseRef,
            description: 'seized device',
            digests,
            size: content.length,
            ...(d % 2 === 0 ? { seal: `SEAL-${c % 1000}`, seizedAt: Date.UTC(2026, 1, 1 + (d % 28)) } : {}),
          });
          exhibits.push({ id: m.id, label, caseRef, digests });
          h.exhibits.push(m.id);
        };
      },
      // transfer (with a legal basis across borders, sometimes also within one)
      () => {
        if (held.length === 0) return undefined;
        const x = pick(held, b);
        const from = actorOf(x.rec.holder)!;
        const tos = holders.filter((y) => !same(y.id, from.id));
        if (tos.length === 0) return undefined;
        const to = pick(tos, c);
        const needs = to.rec.jurisdiction !== from.rec.jurisdiction;
        return () =>
          submit(
            'transfer',
            from.signer,
            {
              to: to.id,
              reason: 'onward custody',
              legalBasis:
                needs || d % 3 === 0
                  ? `EIO ${from.rec.jurisdiction}-${to.rec.jurisdiction}/${d % 97}`
                  : undefined,
              ...(d % 2 === 0 ? { method: 'courier', seal: `BAG-${d % 1000}` } : {}),
            },
            chain(x),
          );
      },
      // accept (no digest, the right digest, or a wrong one: a wrong one is recorded, not refused)
      () => {
        const ys = pending.filter((x) => isActive(x.rec.to));
        if (ys.length === 0) return undefined;
        const x = pick(ys, b);
        const digests = c % 3 === 0 ? undefined : c % 3 === 1 ? x.digests : digestsOf('something else');
        return () =>
          submit(
            'accept',
            actorOf(x.rec.to!)!.signer,
            { digests, seal: d % 4 === 0 ? 'broken' : d % 4 === 1 ? 'intact' : undefined },
            chain(x),
          );
      },
      // reject by the receiver
      () => {
        const ys = pending.filter((x) => isActive(x.rec.to));
        if (ys.length === 0) return undefined;
        const x = pick(ys, b);
        return () => submit('reject', actorOf(x.rec.to!)!.signer, { reason: 'not expected' }, chain(x));
      },
      // cancel by the sender
      () => {
        const ys = pending.filter((x) => isActive(x.rec.holder));
        if (ys.length === 0) return undefined;
        const x = pick(ys, b);
        return () => submit('cancel', actorOf(x.rec.holder)!.signer, { reason: 'sent in error' }, chain(x));
      },
      // examination by an examiner holding it
      () => {
        const ys = held.filter((x) =>
          hasAnyRole(actorOf(x.rec.holder)!.rec.roles, chainView('examine').roles ?? []),
        );
        if (ys.length === 0) return undefined;
        const x = pick(ys, b);
        return () =>
          submit(
            'examine',
            actorOf(x.rec.holder)!.signer,
            { action: 'imaging', ...(c % 2 === 0 ? { tool: 'FTK Imager 4.7', digests: x.digests } : {}) },
            chain(x),
          );
      },
      // derived copy by an examiner holding the parent
      () => {
        const ys = held.filter((x) => hasAnyRole(actorOf(x.rec.holder)!.rec.roles, MAY_DERIVE));
        if (ys.length === 0) return undefined;
        const x = pick(ys, b);
        return async () => {
          const digests = digestsOf(`${content} image`);
          registered++;
          const m = await submit(
            'register',
            actorOf(x.rec.holder)!.signer,
            {
              label: `${x.label} image`,
              caseRef: x.caseRef,
              description: 'forensic image',
              digests,
              size: 100 + (d % 1000),
            },
            chain(x),
          );
          exhibits.push({ id: m.id, label: `${x.label} image`, caseRef: x.caseRef, digests });
          h.exhibits.push(m.id);
        };
      },
      // disposal by a custodian or court holding it
      () => {
        const ys = held.filter((x) =>
          hasAnyRole(actorOf(x.rec.holder)!.rec.roles, chainView('dispose').roles ?? []),
        );
        if (ys.length === 0) return undefined;
        const x = pick(ys, b);
        return () =>
          submit(
            'dispose',
            actorOf(x.rec.holder)!.signer,
            { method: pick(['returned', 'destroyed', 'archived'], c), reason: 'case closed' },
            chain(x),
          );
      },
      // enrolment of a new actor
      () => () => {
        const s = seededSigner(`${tag} actor ${fresh++}`);
        const roles = GRANTABLE.filter((_, i) => (c >> i) & 1);
        return enrolKey(
          s,
          roles.length > 0 ? roles : [pick(GRANTABLE, d)],
          pick(JURISDICTIONS, d),
          `Officer ${fresh}`,
        );
      },
      // revocation of an actor that holds nothing and is owed nothing (not too often)
      () => {
        if (b % 3 !== 0) return undefined;
        const busy = new Set<string>();
        for (const x of xs) {
          if (x.rec.state !== 'disposed') busy.add(toHex(x.rec.holder));
          if (x.rec.to) busy.add(toHex(x.rec.to));
        }
        const ys = active.filter((x) => !busy.has(toHex(x.id)));
        if (ys.length === 0) return undefined;
        return () => submit('revoke', h.authority, { key: pick(ys, b).id, reason: 'reassigned' });
      },
      // rotation of the authority key (rarely)
      () => {
        if (c % 8 !== 0) return undefined;
        return async () => {
          const next = seededSigner(`${tag} authority ${fresh++}`);
          await submit('rotate', h.authority, { key: [KEY_TYPES.ed25519, next.publicKey] }, {}, [next]);
          h.authority = next;
        };
      },
      // a configuration change (rarely)
      () => {
        if (d % 16 !== 0) return undefined;
        return () =>
          submit('configure', h.authority, { config: { lateSubmissionMs: 86_400_000 + (c % 1000) } });
      },
    ];
    const kinds = [
      'register',
      'transfer',
      'accept',
      'reject',
      'cancel',
      'examine',
      'register',
      'dispose',
      'enrol',
      'revoke',
      'rotate',
      'configure',
    ];
    // Choose among the statements valid now (an enrolment always is, so there is one).
    const valid = options
      .map((o, i) => [o(), kinds[i]!] as const)
      .filter((x): x is readonly [Step, string] => x[0] !== undefined);
    const [step, kind] = pick(valid, a);
    await step();
    h.kinds.push(kind);
  }
  return h;
}

/** A fixed, varied list of choices (the same generator, a fixed seed). */
export function fixedChoices(n: number, seed = 2026): Choice[] {
  return fc.sample(fc.array(choiceArb, { minLength: n, maxLength: n }), { seed, numRuns: 1 })[0]!;
}
