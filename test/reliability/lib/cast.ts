/**
 * The people of the reliability ledgers (crash trials, concurrency): an
 * authority and five actors in three jurisdictions, with keys derived from
 * fixed labels so that every process (the test, the writer child, the soak
 * script) knows them without sharing files.
 */
import type { Signer } from '../../../src/crypto/ed25519.js';
import type { Role } from '../../../src/format/events.js';
import { keyId } from '../../../src/format/ids.js';
import { Ledger, type LedgerOptions } from '../../../src/ledger/ledger.js';
import type { LedgerStore } from '../../../src/store/store.js';
import { seededSigner } from '../../helpers/world.js';

export const ORIGIN = 'reliability.custody.test/ledger';

export interface Member {
  signer: Signer;
  id: string;
  name: string;
  roles: Role[];
  jurisdiction: string;
  org: string;
}

const member = (label: string, name: string, roles: Role[], jurisdiction: string, org: string): Member => {
  const signer = seededSigner(`reliability ${label}`);
  return { signer, id: keyId(signer.publicKey), name, roles, jurisdiction, org };
};

export const AUTHORITY = member('authority', 'Reliability authority', ['authority', 'log'], 'NL', 'NFI');

/** Everyone but the authority, in enrolment order. */
export const ACTORS = {
  collector: member('collector', 'J. de Vries', ['collector', 'custodian'], 'NL', 'Politie Amsterdam'),
  nlExaminer: member('nl-examiner', 'A. Bakker', ['custodian', 'examiner'], 'NL', 'NFI'),
  deCustodian: member('de-custodian', 'K. Müller', ['custodian'], 'DE', 'Bundeskriminalamt'),
  deExaminer: member('de-examiner', 'S. Wagner', ['examiner'], 'DE', 'LKA Berlin'),
  frCourt: member('fr-court', 'Greffe de Paris', ['court'], 'FR', 'Tribunal judiciaire de Paris'),
} as const;

export const ALL: readonly Member[] = [AUTHORITY, ...Object.values(ACTORS)];
export const byId = new Map(ALL.map((m) => [m.id, m]));

/** Creates the ledger in an empty store: genesis and the five enrolments. */
export async function createCastLedger(store: LedgerStore, opts: LedgerOptions = {}): Promise<Ledger> {
  const ledger = await Ledger.create(
    store,
    AUTHORITY.signer,
    { origin: ORIGIN, name: AUTHORITY.name, jurisdiction: AUTHORITY.jurisdiction, org: AUTHORITY.org },
    opts,
  );
  for (const a of Object.values(ACTORS))
    await ledger.append(
      {
        kind: 'enrol',
        body: {
          publicKey: a.signer.publicKey,
          name: a.name,
          roles: [...a.roles].sort(),
          jurisdiction: a.jurisdiction,
          org: a.org,
        },
      },
      AUTHORITY.signer,
    );
  return ledger;
}
