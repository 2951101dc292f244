/** A small custody world for tests: a ledger with an authority and actors in three jurisdictions. */
import { type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { Role } from '../../src/format/events.js';
import { keyId } from '../../src/format/ids.js';
import type { Clock } from '../../src/ledger/clock.js';
import { Ledger, type LedgerOptions } from '../../src/ledger/ledger.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { LedgerStore } from '../../src/store/store.js';

export function seededSigner(label: string): Signer {
  return signerFromSeed(sha256(new TextEncoder().encode(`custody test key ${label}`)));
}

/** A clock that moves one second per call, from 2026-03-01T09:00:00Z. */
export function steppingClock(start = Date.UTC(2026, 2, 1, 9, 0, 0), step = 1000): Clock {
  let t = start;
  return { now: () => (t += step), zone: () => 'Europe/Amsterdam' };
}

/** Deterministic exhibit-id randomness. */
export function countingRandom(): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    i++;
    return sha256(new TextEncoder().encode(`exhibit ${i}`)).slice(0, n);
  };
}

export interface Actor {
  signer: Signer;
  id: string;
}

export interface World {
  ledger: Ledger;
  store: LedgerStore;
  authority: Actor;
  nlCollector: Actor;
  nlExaminer: Actor;
  deCustodian: Actor;
  deExaminer: Actor;
  frCourt: Actor;
  witness: Actor;
}

/**
 * The test world: a ledger and its enrolled actors. `keys` prefixes every key
 * seed (the same world with a forger's keys: { keys: 'forger ' }); `origin`
 * starts another log with the same keys.
 */
export async function makeWorld(
  store: LedgerStore = new MemoryStore(),
  opts: LedgerOptions = {},
  { keys = '', origin = 'custody.test/nl-nfi' }: { keys?: string; origin?: string } = {},
): Promise<World> {
  const actor = (label: string): Actor => {
    const signer = seededSigner(`${keys}${label}`);
    return { signer, id: keyId(signer.publicKey) };
  };
  const authority = actor('authority');
  const ledger = await Ledger.create(
    store,
    authority.signer,
    {
      origin,
      name: 'NFI ledger authority',
      jurisdiction: 'NL',
      org: 'Netherlands Forensic Institute',
    },
    { clock: steppingClock(), random: countingRandom(), ...opts },
  );
  const w: World = {
    ledger,
    store,
    authority,
    nlCollector: actor('nl-collector'),
    nlExaminer: actor('nl-examiner'),
    deCustodian: actor('de-custodian'),
    deExaminer: actor('de-examiner'),
    frCourt: actor('fr-court'),
    witness: actor('witness'),
  };
  const enrol = (a: Actor, name: string, roles: Role[], jurisdiction: string, org: string) =>
    ledger.append(
      { kind: 'enrol', body: { publicKey: a.signer.publicKey, name, roles, jurisdiction, org } },
      authority.signer,
    );
  await enrol(w.nlCollector, 'J. de Vries', ['collector', 'custodian'], 'NL', 'Politie Amsterdam');
  await enrol(w.nlExaminer, 'A. Bakker', ['custodian', 'examiner'], 'NL', 'Netherlands Forensic Institute');
  await enrol(w.deCustodian, 'K. Müller', ['custodian'], 'DE', 'Bundeskriminalamt');
  await enrol(w.deExaminer, 'S. Wagner', ['examiner'], 'DE', 'LKA Berlin');
  await enrol(
    w.frCourt,
    'Greffe du tribunal judiciaire de Paris',
    ['court'],
    'FR',
    'Tribunal judiciaire de Paris',
  );
  await enrol(w.witness, 'Eurojust witness', ['witness'], 'EU', 'Eurojust');
  return w;
}

export const digestsOf = (content: string) => ({ sha256: sha256(new TextEncoder().encode(content)) });

export async function registerExhibit(w: World, label = 'HDD-01', content = 'disk image bytes') {
  return w.ledger.append(
    {
      kind: 'register',
      body: {
        label,
        caseRef: 'NL-2026-0042',
        description: 'Seagate 2 TB hard disk from the suspect desk',
        digests: digestsOf(content),
        size: content.length,
        seal: 'NL-SEAL-1001',
        location: 'Keizersgracht 1, Amsterdam',
      },
    },
    w.nlCollector.signer,
  );
}
