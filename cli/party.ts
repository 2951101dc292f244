/**
 * The other party of an append, named in full (issue 29): the person a
 * transfer goes to, an accept comes from, an enrolment adds. A key id alone
 * or a bare name is how an exhibit is handed to the wrong "Paul Janssen";
 * name, organisation, jurisdiction and key id together let the signer see it
 * before the receiver has to.
 *
 * Names come from the enrolment's openings (docs/FORMAT.md §enrol: `name` and
 * `org` are committed). Where the ledger no longer holds an opening
 * (LedgerView.actors() shows "withheld"), the field is unknown here, never
 * the word "withheld".
 */
import { equalBytes } from '../src/bytes.js';
import type { LedgerView } from '../src/ledger/ledger-view.js';
import { keyShort } from './context.js';
import { hex } from './io.js';

/** An actor as this ledger knows it; name and org are absent when their openings are withheld. */
export interface Party {
  id: Uint8Array;
  name?: string;
  org?: string;
  jurisdiction?: string;
  /** An actor of a peer ledger: that ledger's origin (docs/FEDERATION.md). */
  origin?: string;
}

/** An enrolled statement key; `active`: neither revoked nor past its validity, so it may still act. */
export interface KnownActor extends Party {
  jurisdiction: string;
  active: boolean;
}

/**
 * Every statement key with its name and organisation where the ledger holds
 * their openings. `active`: not revoked, and its validity not over at `now`.
 */
export async function knownActors(view: LedgerView, now: number): Promise<KnownActor[]> {
  const out: KnownActor[] = [];
  for (const a of await view.actors()) {
    const r = a.record;
    // actors() says "withheld" for a missing opening; an actor may really be called that, so look.
    const enrolment =
      a.name === 'withheld' || a.org === 'withheld' ? await view.statementAt(r.enrolledAt) : undefined;
    const held = (f: 'name' | 'org') =>
      enrolment === undefined || enrolment.statement.kind !== 'enrol' || enrolment.openings[f] !== undefined;
    out.push({
      id: a.id,
      ...(held('name') ? { name: a.name } : {}),
      ...(held('org') ? { org: a.org } : {}),
      jurisdiction: r.jurisdiction,
      active: r.revokedAt === undefined && (r.validUntil === undefined || r.validUntil > now),
    });
  }
  return out;
}

/** The party with key id `id` of this ledger (just its key id if it is not enrolled here). */
export async function partyOf(view: LedgerView, id: Uint8Array): Promise<Party> {
  return (await knownActors(view, Date.now())).find((a) => equalBytes(a.id, id)) ?? { id };
}

/**
 * The sender of the hand-over an accept answers: the exhibit's holder while
 * it is in transit, an actor of this ledger or, for a hand-over imported from
 * a peer, that ledger's actor known by key id and origin.
 */
export async function senderOf(view: LedgerView, exhibit: Uint8Array): Promise<Party | undefined> {
  const rec = await view.exhibit(exhibit);
  if (!rec) return undefined;
  if (rec.holderOrigin !== undefined) return { id: rec.holder, origin: rec.holderOrigin };
  return partyOf(view, rec.holder);
}

/**
 * "KHK Jürgen Müller (Bundeskriminalamt, DE, K-…)"; for a peer's actor
 * "K-… of <origin> (DE)"; what is unknown is left out, a withheld name said so.
 */
export function partyText(p: Party): string {
  const k = keyShort(p.id);
  if (p.origin !== undefined) return `${k} of ${p.origin}${p.jurisdiction ? ` (${p.jurisdiction})` : ''}`;
  const about = [p.org, p.jurisdiction, k].filter((x) => x !== undefined).join(', ');
  return `${p.name ?? 'name withheld'} (${about})`;
}

/** The JSON of a party: `actor` (K-…), `keyId` (hex), and what is known of name, org, jurisdiction, origin. */
export function partyJson(p: Party): Record<string, string> {
  return {
    actor: keyShort(p.id),
    keyId: hex(p.id),
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.org !== undefined ? { org: p.org } : {}),
    ...(p.jurisdiction !== undefined ? { jurisdiction: p.jurisdiction } : {}),
    ...(p.origin !== undefined ? { origin: p.origin } : {}),
  };
}
