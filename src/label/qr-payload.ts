/**
 * The text an evidence-bag label's QR code carries (docs/CLI.md §custody label):
 *
 *   custody:1:<origin>:<exhibit id, 64 lowercase hex digits>
 *
 * `custody` names the scheme, `1` its version; the origin is the ledger the label was
 * printed from, the exhibit id the registration statement's identity (docs/FORMAT.md
 * §Identity and links). Unambiguous although an origin may itself contain ':' (FORMAT.md
 * §Field types: 0x21..0x7e except '+'): the id is last and of fixed length, so the
 * separator before it is always the 65th character from the end, and no origin can end
 * inside it. One text per meaning: lowercase hex only, nothing around it, so a scanned
 * label that decodes is exactly the one printed. Pure.
 *
 * Security assumption: a QR code is not signed. What it says is only a pointer, to be
 * looked up in the ledger (and verified there); anyone can print a label.
 */
import { fromHex, toHex } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { isOrigin } from '../format/text.js';

export const LABEL_PAYLOAD_SCHEME = 'custody';
export const LABEL_PAYLOAD_VERSION = 1;

const PREFIX = `${LABEL_PAYLOAD_SCHEME}:${LABEL_PAYLOAD_VERSION}:`;
const ID_HEX = 64;
const HEX = /^[0-9a-f]{64}$/;

export interface LabelPayload {
  /** The ledger's origin (C2SP checkpoint origin line). */
  origin: string;
  /** The exhibit id: the registration statement's identity, 32 bytes. */
  exhibit: Uint8Array;
}

const invalid = (why: string) =>
  new CustodyError('LABEL_PAYLOAD_INVALID', `not a custody label code: ${why}`, 'input');

/** The payload's text; refuses an origin or an id the ledger could not hold. */
export function encodeLabelPayload(p: LabelPayload): string {
  if (!isOrigin(p.origin))
    throw invalid('the origin is not 1..255 printable ASCII characters without space or +');
  if (p.exhibit.length !== 32) throw invalid('the exhibit id is not 32 bytes');
  return `${PREFIX}${p.origin}:${toHex(p.exhibit)}`;
}

/** The origin and exhibit id of a payload; refuses anything encodeLabelPayload would not write. */
export function decodeLabelPayload(text: string): LabelPayload {
  if (!text.startsWith(`${LABEL_PAYLOAD_SCHEME}:`)) throw invalid(`it does not begin with ${PREFIX}`);
  if (!text.startsWith(PREFIX))
    throw invalid(`only version ${LABEL_PAYLOAD_VERSION} (${PREFIX}) is understood`);
  const rest = text.slice(PREFIX.length);
  if (rest.length < ID_HEX + 2) throw invalid('it is too short to hold an origin and an exhibit id');
  const hex = rest.slice(-ID_HEX);
  const origin = rest.slice(0, -ID_HEX - 1);
  if (rest[rest.length - ID_HEX - 1] !== ':' || !HEX.test(hex))
    throw invalid('it does not end with :<64 lowercase hex digits>');
  if (!isOrigin(origin))
    throw invalid('its origin is not 1..255 printable ASCII characters without space or +');
  return { origin, exhibit: fromHex(hex)! };
}
