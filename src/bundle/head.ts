/**
 * The exhibit head attestation: a signed note in which the log key states that,
 * in the tree of the bundle's checkpoint, the last event of an exhibit is a
 * given entry. Inclusion proofs show that the events in a bundle are in the
 * log; only this statement covers events that a bundle might leave out AFTER
 * the last one shown. It is an attestation, not a proof: a dishonest operator
 * could sign a false one — but would leave signed evidence of the lie.
 *
 *   custody-exhibit-head/v1
 *   <origin>
 *   <checkpoint size, decimal>
 *   <exhibit id>
 *   <seq of the exhibit's last event, decimal>
 *   <base64 leaf hash of that event>
 */
import { fromBase64, toBase64 } from '../bytes.js';
import { formatNote, signNoteLine } from '../checkpoint/note.js';
import type { Signer } from '../crypto/ed25519.js';

export const HEAD_FORMAT = 'custody-exhibit-head/v1';

export interface ExhibitHead {
  origin: string;
  size: number;
  exhibit: string;
  lastSeq: number;
  lastHash: Uint8Array;
}

export function formatExhibitHead(h: ExhibitHead): string {
  return `${HEAD_FORMAT}\n${h.origin}\n${h.size}\n${h.exhibit}\n${h.lastSeq}\n${toBase64(h.lastHash)}\n`;
}

export function signExhibitHead(h: ExhibitHead, signer: Signer): string {
  const text = formatExhibitHead(h);
  return formatNote(text, [signNoteLine(text, h.origin, signer)]);
}

const DEC = /^(0|[1-9][0-9]{0,15})$/;

/** Parses the note text (without signatures); undefined if it is not exactly this format. */
export function parseExhibitHead(text: string): ExhibitHead | undefined {
  const lines = text.split('\n');
  if (lines.length !== 7 || lines[6] !== '' || lines[0] !== HEAD_FORMAT) return undefined;
  const [, origin, size, exhibit, lastSeq, hash] = lines as [string, string, string, string, string, string];
  const lastHash = fromBase64(hash);
  if (!DEC.test(size) || !DEC.test(lastSeq) || !lastHash || lastHash.length !== 32) return undefined;
  return { origin, size: Number(size), exhibit, lastSeq: Number(lastSeq), lastHash };
}
