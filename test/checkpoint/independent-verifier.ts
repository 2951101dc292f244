/**
 * A minimal, independent C2SP signed-note verifier, written from the specs
 * (https://c2sp.org/signed-note and https://c2sp.org/tlog-cosignature) without
 * importing anything from src/: node:crypto does SHA-256 and Ed25519, Buffer
 * does base64. It works on bytes, not strings, so it also cross-checks the
 * UTF-8 handling of src/checkpoint. Used only by tests.
 *
 * Supported key types: 0x01 (Ed25519 over the note text) and 0x04
 * (cosignature/v1: 8-byte big-endian timestamp || Ed25519 over
 * "cosignature/v1\ntime <t>\n" || note text).
 */
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';

export interface IndependentKey {
  readonly name: string;
  readonly type: 1 | 4;
  readonly publicKey: Uint8Array;
}

export type IndependentResult =
  | { readonly ok: true; readonly text: Buffer; readonly verified: string[] }
  | { readonly ok: false; readonly reason: string };

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const EM_DASH_SPACE = Buffer.from([0xe2, 0x80, 0x94, 0x20]);

function keyHash(k: IndependentKey): Buffer {
  return createHash('sha256')
    .update(Buffer.from(k.name, 'utf8'))
    .update(Buffer.from([0x0a, k.type]))
    .update(k.publicKey)
    .digest()
    .subarray(0, 4);
}

function ed25519Ok(publicKey: Uint8Array, message: Buffer, sig: Buffer): boolean {
  if (publicKey.length !== 32 || sig.length !== 64) return false;
  const key = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
    format: 'der',
    type: 'spki',
  });
  try {
    return edVerify(null, message, key, sig);
  } catch {
    return false;
  }
}

/** Strict RFC 4648 §4 base64: re-encoding must give back the same string. */
function decodeBase64(s: string): Buffer | undefined {
  if (s.length === 0 || s.length % 4 !== 0) return undefined;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s ? b : undefined;
}

function validUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

function validName(name: string): boolean {
  // Non-empty, no Unicode White_Space character, no '+'.
  return (
    name.length > 0 && !/[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000+]/u.test(name)
  );
}

/** Verifies `note` (bytes or a string, UTF-8 encoded) against `keys`. */
export function independentVerify(
  note: Uint8Array | string,
  keys: readonly IndependentKey[],
): IndependentResult {
  const msg = typeof note === 'string' ? Buffer.from(note, 'utf8') : Buffer.from(note);
  if (!validUtf8(msg)) return { ok: false, reason: 'not UTF-8' };
  for (const byte of msg) if (byte < 0x20 && byte !== 0x0a) return { ok: false, reason: 'control character' };

  // The text ends at the newline before the last blank line.
  let split = -1;
  for (let i = msg.length - 2; i >= 0; i--) {
    if (msg[i] === 0x0a && msg[i + 1] === 0x0a) {
      split = i;
      break;
    }
  }
  if (split < 0) return { ok: false, reason: 'no blank line' };
  const text = msg.subarray(0, split + 1);
  let rest = msg.subarray(split + 2);
  if (rest.length === 0 || rest[rest.length - 1] !== 0x0a) return { ok: false, reason: 'no signatures' };

  const verified: string[] = [];
  while (rest.length > 0) {
    const nl = rest.indexOf(0x0a);
    const line = rest.subarray(0, nl);
    rest = rest.subarray(nl + 1);
    if (!line.subarray(0, 4).equals(EM_DASH_SPACE)) return { ok: false, reason: 'bad signature line' };
    const body = line.subarray(4).toString('utf8');
    const sp = body.indexOf(' ');
    if (sp < 0) return { ok: false, reason: 'bad signature line' };
    const name = body.slice(0, sp);
    const raw = decodeBase64(body.slice(sp + 1));
    if (!validName(name) || raw === undefined || raw.length < 5)
      return { ok: false, reason: 'bad signature line' };
    const id = raw.subarray(0, 4);
    const sig = raw.subarray(4);
    for (const k of keys) {
      if (k.name !== name || !keyHash(k).equals(id)) continue;
      let good: boolean;
      if (k.type === 1) {
        good = ed25519Ok(k.publicKey, text, sig);
      } else {
        if (sig.length !== 72) return { ok: false, reason: `bad cosignature length for ${name}` };
        const t = sig.readBigUInt64BE(0);
        if (t >= 1n << 63n) return { ok: false, reason: 'timestamp too large' };
        const signed = Buffer.concat([Buffer.from(`cosignature/v1\ntime ${t.toString()}\n`, 'utf8'), text]);
        good = ed25519Ok(k.publicKey, signed, sig.subarray(8));
      }
      if (!good) return { ok: false, reason: `invalid signature by ${name}` };
      if (!verified.includes(name)) verified.push(name);
    }
  }
  if (verified.length === 0) return { ok: false, reason: 'no known signature' };
  return { ok: true, text, verified };
}
