/**
 * The disclosures recorded for an exhibit (docs/PRIVACY.md §Every export is
 * recorded): its `disclose` annotations, in log order, as a reader sees them.
 * Pure: statements in, data out.
 */
import { toHex } from '../bytes.js';
import { KEY_PURPOSES, keyIdOf } from '../format/key-id.js';
import type { ActorInfo } from './timeline.js';
import { type ActorDirectory, actorOf, committedText, type ShownStatement } from './timeline-v2.js';

export interface Disclosure {
  seq: number;
  /** Claimed (signed) and logged times. */
  time: number;
  loggedAt: number;
  by: ActorInfo;
  /** The recipient's cleartext, or "withheld". */
  recipient: string;
  profile: string;
  legalBasis: string;
  fields: string[];
  /** SHA-256 of the bundle file, hex. */
  bundle: string;
  /** The root of the folder's manifest that went with the bundle (body version 2), hex. */
  manifest?: string;
}

export function disclosuresOf(
  exhibit: Uint8Array,
  shown: readonly ShownStatement[],
  actors: ActorDirectory,
): Disclosure[] {
  const out: Disclosure[] = [];
  for (const s of shown) {
    const st = s.statement;
    if (st.kind !== 'disclose' || !(st.exhibit instanceof Uint8Array) || toHex(st.exhibit) !== toHex(exhibit))
      continue;
    const b = st.body;
    out.push({
      seq: s.index,
      time: st.time,
      loggedAt: s.logTime,
      by: actorOf(actors, keyIdOf(st.signer.key, KEY_PURPOSES.statement)),
      recipient: committedText(s, 'recipient') ?? '',
      profile: b['profile'] as string,
      legalBasis: b['legalBasis'] as string,
      fields: [...(b['fields'] as string[])],
      bundle: toHex(b['bundle'] as Uint8Array),
      ...(b['manifest'] instanceof Uint8Array ? { manifest: toHex(b['manifest']) } : {}),
    });
  }
  return out;
}
