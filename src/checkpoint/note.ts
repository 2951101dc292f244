/**
 * C2SP signed notes (https://c2sp.org/signed-note, v1.0.0): parsing, signing,
 * verification and verifier keys ("vkeys").
 *
 * Wire format (signed-note §Format):
 *
 *     <text, ending in U+000A>
 *     <blank line>
 *     — <key name> <base64(4-byte key ID || signature)>\n     (one or more)
 *
 * The text (which the signatures cover) includes its final newline but not the
 * separating blank line, and is split from the signatures at the LAST blank
 * line. Notes are valid UTF-8 without ASCII control characters other than
 * newline.
 *
 * Everything here is pure (no I/O) and parses attacker-supplied text by hand:
 * no regular expression ever runs over a key name or signature line.
 *
 * Error codes raised (all CustodyError):
 *  - NOTE_MALFORMED (input): the text is not a well-formed signed note / line.
 *  - NOTE_KEY_INVALID (input): a key name or public key unusable for signing
 *    or verifying (bad name, wrong length, not an admissible Ed25519 key).
 *  - NOTE_VERIFIER_AMBIGUOUS (input): two different verifiers share name+key ID.
 *  - NOTE_UNVERIFIED (verification): no signature from a known key verified.
 *  - NOTE_BAD_SIGNATURE (verification): a signature from a known key failed.
 *  - VKEY_MALFORMED (input): a verifier key string is not well formed.
 */

import { concat, equalBytes, fromBase64, toBase64, toHex, utf8 } from '../bytes.js';
import { isAdmissibleKey } from '../crypto/admission.js';
import { ed25519, type Signer } from '../crypto/ed25519.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError } from '../errors.js';
import { utf8Length } from '../format/text.js';

/** signed-note §Signature types: `0x01` Ed25519 signatures over the note text. */
export const SIG_TYPE_ED25519 = 0x01;
/** signed-note §Signature types: `0x04` timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature). */
export const SIG_TYPE_COSIGNATURE_V1 = 0x04;
/**
 * tlog-cosignature §Format: `0x06` timestamped ML-DSA-44 cosignatures over a
 * `subtree/v1` message (./cosignature-mldsa.ts), with a 1312-byte public key.
 */
export const SIG_TYPE_COSIGNATURE_MLDSA = 0x06;
export type SignatureType =
  | typeof SIG_TYPE_ED25519
  | typeof SIG_TYPE_COSIGNATURE_V1
  | typeof SIG_TYPE_COSIGNATURE_MLDSA;

/**
 * Public key length of each supported signature type: 32-byte Ed25519 keys
 * for 0x01 and 0x04 (RFC 8032), 1312-byte ML-DSA-44 keys for 0x06 (FIPS 204
 * §4 Table 2, tlog-cosignature §Format).
 */
export function publicKeyLengthOf(type: SignatureType): number {
  return type === SIG_TYPE_COSIGNATURE_MLDSA ? 1312 : 32;
}

const isSignatureType = (t: number): t is SignatureType =>
  t === SIG_TYPE_ED25519 || t === SIG_TYPE_COSIGNATURE_V1 || t === SIG_TYPE_COSIGNATURE_MLDSA;

const keyKind = (type: SignatureType) => (type === SIG_TYPE_COSIGNATURE_MLDSA ? 'ML-DSA-44' : 'Ed25519');

/**
 * Size bounds. signed-note §Format: "Verifiers SHOULD apply a maximum limit to
 * the number of signatures in a note (or, equivalently, to the overall size of
 * a note), but MUST accept at least up to 16 signatures." We cap a note at
 * 1 MiB of UTF-8 and at 100 signature lines (the limit of Go's
 * golang.org/x/mod/sumdb/note, the reference implementation), so parsing work
 * is bounded whatever an attacker sends.
 */
export const MAX_NOTE_BYTES = 1 << 20;
export const MAX_NOTE_SIGNATURES = 100;

/** signed-note §Format: each signature line starts with em dash (U+2014) and a space. */
const SIG_PREFIX = '\u2014 ';
/** signed-note §Signatures: the key ID is a big-endian uint32 (4 bytes). */
export const KEY_ID_LENGTH = 4;

/** One signature line of a note, parsed but not verified. */
export interface NoteSignature {
  /** Key name (signed-note §Format). */
  readonly name: string;
  /** The 4-byte key ID that prefixes the decoded signature. */
  readonly keyId: Uint8Array;
  /** The signature bytes after the key ID. */
  readonly signature: Uint8Array;
  /** The line exactly as it appeared, including the leading em dash and the final newline. */
  readonly line: string;
}

/** A parsed (not yet verified) signed note. */
export interface ParsedNote {
  /** The signed text, ending in newline, without the separating blank line. */
  readonly text: string;
  readonly signatures: NoteSignature[];
}

/**
 * A trusted key able to check signatures on a note. Known keys are matched to
 * signature lines by (name, keyId) exactly (signed-note §Signatures).
 */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly type: SignatureType;
  /** True iff `sigBytes` (the signature after the key ID) is valid for `text`. Never throws. */
  verify(text: string, sigBytes: Uint8Array): boolean;
}

const malformed = (message: string, details?: Record<string, unknown>) =>
  new CustodyError('NOTE_MALFORMED', message, 'input', details);

/**
 * Unicode White_Space code points (what Go's unicode.IsSpace, used by the
 * reference implementation, reports). signed-note §Format: key names "MUST NOT
 * contain any Unicode spaces or plus (U+002B) characters".
 */
function isUnicodeSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * Index of the first character that may not appear in a signed note: an ASCII
 * control character other than newline, or a lone UTF-16 surrogate (which has
 * no UTF-8 encoding). -1 when the string is clean. signed-note §Format.
 */
function firstBadNoteChar(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x0a) return i;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return i;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

/**
 * signed-note §Format: key names are non-empty, contain no Unicode spaces and
 * no '+'. We also refuse control characters and lone surrogates, which the
 * note format forbids anyway.
 */
export function isValidKeyName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2b || c < 0x20 || c === 0x7f || isUnicodeSpace(c)) return false;
  }
  return firstBadNoteChar(name) === -1;
}

/** Throws NOTE_MALFORMED unless `text` can be the text of a signed note. */
export function checkNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n')) throw malformed('note text must end with a newline');
  if (text.length > MAX_NOTE_BYTES) throw malformed('note text too large');
  const bad = firstBadNoteChar(text);
  if (bad >= 0) throw malformed('note text contains a control character or invalid UTF-16', { offset: bad });
  if (utf8Length(text) > MAX_NOTE_BYTES) throw malformed('note text too large');
}

/**
 * signed-note §Signatures: key ID = SHA-256(key name || 0x0A || signature type || public key)[:4].
 */
export function noteKeyId(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  if (!Number.isInteger(type) || type < 0 || type > 255) {
    throw new CustodyError('NOTE_KEY_INVALID', 'signature type must be a byte', 'input');
  }
  return sha256(concat(utf8(name), new Uint8Array([0x0a, type]), publicKey)).slice(0, KEY_ID_LENGTH);
}

/**
 * Parses one signature line, `— <name> <base64(keyID || signature)>\n`
 * (signed-note §Format). The line must end with its newline. Split by hand at
 * the first space after the prefix: names contain no spaces, and base64 none.
 */
export function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIG_PREFIX) || !line.endsWith('\n')) {
    throw malformed('signature line must start with "\u2014 " and end with a newline');
  }
  const body = line.slice(SIG_PREFIX.length, line.length - 1);
  if (body.includes('\n')) throw malformed('signature line contains a newline');
  const space = body.indexOf(' ');
  if (space < 0) throw malformed('signature line has no signature');
  const name = body.slice(0, space);
  const b64 = body.slice(space + 1);
  if (!isValidKeyName(name)) throw malformed('invalid key name in signature line');
  if (b64.length === 0) throw malformed('empty signature');
  const raw = fromBase64(b64);
  // Key ID plus at least one signature byte (as the reference implementation requires).
  if (raw === undefined || raw.length <= KEY_ID_LENGTH) throw malformed('invalid base64 signature');
  return {
    name,
    keyId: raw.slice(0, KEY_ID_LENGTH),
    signature: raw.slice(KEY_ID_LENGTH),
    line,
  };
}

/**
 * Parses a signed note strictly (signed-note §Format): valid UTF-16 (so valid
 * UTF-8), no control characters other than newline, at most MAX_NOTE_BYTES,
 * text and signatures split at the last blank line, one or more well-formed
 * signature lines (at most MAX_NOTE_SIGNATURES). Throws NOTE_MALFORMED.
 */
export function parseNote(note: string): ParsedNote {
  if (typeof note !== 'string') throw malformed('note must be a string');
  // A UTF-8 encoding is never shorter than the UTF-16 code-unit count.
  if (note.length > MAX_NOTE_BYTES) throw malformed('note too large', { limit: MAX_NOTE_BYTES });
  const bad = firstBadNoteChar(note);
  if (bad >= 0) throw malformed('note contains a control character or invalid UTF-16', { offset: bad });
  if (utf8Length(note) > MAX_NOTE_BYTES) throw malformed('note too large', { limit: MAX_NOTE_BYTES });

  // "the text is separated from the signatures by the last empty line in the note"
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) throw malformed('note has no terminated signature line');

  const signatures: NoteSignature[] = [];
  let start = 0;
  while (start < block.length) {
    const end = block.indexOf('\n', start);
    // block ends with '\n', so a newline is always found.
    if (signatures.length >= MAX_NOTE_SIGNATURES) {
      throw malformed('too many signatures', { limit: MAX_NOTE_SIGNATURES });
    }
    signatures.push(parseSignatureLine(block.slice(start, end + 1)));
    start = end + 1;
  }
  return { text, signatures };
}

/** Decodes UTF-8 strictly, keeping a leading BOM as text rather than silently dropping it. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** parseNote over raw bytes: invalid UTF-8 is NOTE_MALFORMED too. */
export function parseNoteBytes(bytes: Uint8Array): ParsedNote {
  if (bytes.length > MAX_NOTE_BYTES) throw malformed('note too large', { limit: MAX_NOTE_BYTES });
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw malformed('note is not valid UTF-8');
  }
  return parseNote(text);
}

/** Builds a signature line from its parts. */
export function formatSignatureLine(name: string, keyId: Uint8Array, signature: Uint8Array): string {
  if (!isValidKeyName(name)) throw new CustodyError('NOTE_KEY_INVALID', 'invalid key name', 'input');
  if (keyId.length !== KEY_ID_LENGTH)
    throw new CustodyError('NOTE_KEY_INVALID', 'key ID must be 4 bytes', 'input');
  if (signature.length === 0) throw malformed('empty signature');
  return `${SIG_PREFIX}${name} ${toBase64(concat(keyId, signature))}\n`;
}

/**
 * Signs `text` as a type 0x01 Ed25519 note signature (signed-note §Ed25519
 * signatures) and returns the signature line `— <name> <base64>\n`.
 */
export function signNoteLine(text: string, name: string, signer: Signer): string {
  checkNoteText(text);
  if (!isValidKeyName(name)) throw new CustodyError('NOTE_KEY_INVALID', 'invalid key name', 'input');
  const keyId = noteKeyId(name, SIG_TYPE_ED25519, signer.publicKey);
  return formatSignatureLine(name, keyId, signer.sign(utf8(text)));
}

/**
 * Assembles a signed note: text, blank line, signature lines (each as produced
 * by signNoteLine, ending in newline). The result is re-parsed, so whatever
 * this returns parses back to the same text and lines.
 */
export function formatNote(text: string, lines: readonly string[]): string {
  checkNoteText(text);
  if (lines.length === 0) throw malformed('a signed note needs at least one signature');
  for (const l of lines) parseSignatureLine(l);
  const note = `${text}\n${lines.join('')}`;
  parseNote(note);
  return note;
}

const sameKey = (v: { name: string; keyId: Uint8Array }, name: string, keyId: Uint8Array) =>
  v.name === name && equalBytes(v.keyId, keyId);

/**
 * Verifies a note against trusted keys (signed-note §Signatures):
 *  - lines whose (name, key ID) match no verifier are ignored, even if they
 *    share the name or the ID (but not both) with a known key;
 *  - every line that matches a known key is verified, and one failure rejects
 *    the whole note (NOTE_BAD_SIGNATURE; the spec says clients SHOULD);
 *  - if no known key's signature verifies, the note is rejected (NOTE_UNVERIFIED).
 * Returns the verifiers whose signatures verified, once each, in input order.
 */
export function verifyNote(
  note: ParsedNote | string,
  verifiers: readonly NoteVerifier[],
): { text: string; verified: NoteVerifier[] } {
  const parsed = typeof note === 'string' ? parseNote(note) : note;
  const known: NoteVerifier[] = [];
  for (const v of verifiers) {
    const other = known.find((k) => sameKey(k, v.name, v.keyId));
    if (!other) known.push(v);
    else if (other.type !== v.type || !equalBytes(other.publicKey, v.publicKey)) {
      throw new CustodyError(
        'NOTE_VERIFIER_AMBIGUOUS',
        `two different verifier keys share the name and key ID ${v.name}+${toHex(v.keyId)}`,
        'input',
        { name: v.name, keyId: toHex(v.keyId) },
      );
    }
  }
  const ok = new Set<NoteVerifier>();
  for (const sig of parsed.signatures) {
    const v = known.find((k) => sameKey(k, sig.name, sig.keyId));
    if (!v) continue;
    let good = false;
    try {
      good = v.verify(parsed.text, sig.signature) === true;
    } catch {
      good = false;
    }
    if (!good) {
      throw new CustodyError(
        'NOTE_BAD_SIGNATURE',
        `invalid signature for known key ${sig.name}+${toHex(sig.keyId)}`,
        'verification',
        { name: sig.name, keyId: toHex(sig.keyId) },
      );
    }
    ok.add(v);
  }
  if (ok.size === 0) {
    throw new CustodyError('NOTE_UNVERIFIED', 'note has no valid signature from a known key', 'verification');
  }
  return { text: parsed.text, verified: known.filter((v) => ok.has(v)) };
}

const keyInvalid = (message: string) => new CustodyError('NOTE_KEY_INVALID', message, 'input');

/** Checks name and key material common to every Ed25519-based verifier. */
export function checkEd25519VerifierKey(name: string, publicKey: Uint8Array): void {
  if (!isValidKeyName(name)) throw keyInvalid('invalid key name');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw keyInvalid('Ed25519 public key must be 32 bytes');
  }
  // Only admitted keys are meaningful to src/crypto/ed25519 verify (see admission.ts).
  if (!isAdmissibleKey(publicKey)) throw keyInvalid('Ed25519 public key is not admissible');
}

/** A verifier for type 0x01 Ed25519 note signatures (signed-note §Ed25519 signatures). */
export function ed25519NoteVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  checkEd25519VerifierKey(name, publicKey);
  const pk = publicKey.slice();
  return {
    name,
    keyId: noteKeyId(name, SIG_TYPE_ED25519, pk),
    publicKey: pk,
    type: SIG_TYPE_ED25519,
    verify: (text, sig) => sig.length === 64 && ed25519.verify(sig, utf8(text), pk),
  };
}

/** A parsed verifier key. */
export interface Vkey {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly type: SignatureType;
  readonly publicKey: Uint8Array;
}

/**
 * Verifier key encoding (signed-note §Verifier keys, as in Go's
 * sumdb/note.NewVerifier): `<name>+<hex key ID>+<base64(type || public key)>`.
 */
export function formatVkeyOfType(name: string, type: SignatureType, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw keyInvalid('invalid key name');
  if (!isSignatureType(type)) throw keyInvalid('unsupported signature type');
  const length = publicKeyLengthOf(type);
  if (publicKey.length !== length) throw keyInvalid(`${keyKind(type)} public key must be ${length} bytes`);
  const keyId = noteKeyId(name, type, publicKey);
  return `${name}+${toHex(keyId)}+${toBase64(concat(new Uint8Array([type]), publicKey))}`;
}

/** vkey of an Ed25519 note-signing key (type 0x01). */
export function formatVkey(name: string, publicKey: Uint8Array): string {
  return formatVkeyOfType(name, SIG_TYPE_ED25519, publicKey);
}

const vkeyMalformed = (message: string) => new CustodyError('VKEY_MALFORMED', message, 'input');

function isLowerHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/**
 * The longest vkey we parse: 1024 characters for an Ed25519 key (types 0x01
 * and 0x04, base64 of 33 bytes = 44 characters), and the same room for the
 * name with an ML-DSA-44 key (type 0x06, base64 of 1313 bytes = 1752
 * characters): 1024 - 44 + 1752.
 */
export const MAX_VKEY_LENGTH = 1024;
export const MAX_VKEY_LENGTH_MLDSA = MAX_VKEY_LENGTH - 44 + 1752;

/**
 * Parses a vkey strictly: valid name, exactly 8 lowercase hex digits of key
 * ID, canonical base64 of a type byte (0x01, 0x04 or 0x06) followed by a key of
 * that type's length (32 bytes Ed25519, 1312 bytes ML-DSA-44), and a key ID
 * equal to the one computed from name, type and key. Split by hand at the
 * first two '+' (names never contain '+'; base64 may).
 */
export function parseVkey(s: string): Vkey {
  if (typeof s !== 'string' || s.length > MAX_VKEY_LENGTH_MLDSA) throw vkeyMalformed('vkey too long');
  const p1 = s.indexOf('+');
  const p2 = p1 < 0 ? -1 : s.indexOf('+', p1 + 1);
  if (p1 < 0 || p2 < 0) throw vkeyMalformed('vkey must be <name>+<key id>+<key>');
  const name = s.slice(0, p1);
  const hex = s.slice(p1 + 1, p2);
  const b64 = s.slice(p2 + 1);
  if (!isValidKeyName(name)) throw vkeyMalformed('invalid key name in vkey');
  if (hex.length !== 8 || !isLowerHex(hex)) throw vkeyMalformed('vkey key ID must be 8 lowercase hex digits');
  const raw = fromBase64(b64);
  if (raw === undefined || raw.length === 0) throw vkeyMalformed('vkey key is not valid base64');
  const type = raw[0]!;
  if (!isSignatureType(type)) {
    throw vkeyMalformed(`unsupported vkey signature type 0x${type.toString(16).padStart(2, '0')}`);
  }
  // The Ed25519 bound is the one it always was: only an ML-DSA-44 key earns the longer one.
  if (type !== SIG_TYPE_COSIGNATURE_MLDSA && s.length > MAX_VKEY_LENGTH) throw vkeyMalformed('vkey too long');
  const publicKey = raw.slice(1);
  const length = publicKeyLengthOf(type);
  if (publicKey.length !== length) throw vkeyMalformed(`vkey ${keyKind(type)} key must be ${length} bytes`);
  const keyId = noteKeyId(name, type, publicKey);
  if (toHex(keyId) !== hex) throw vkeyMalformed('vkey key ID does not match its name and key');
  return { name, keyId, type, publicKey };
}

/** A type 0x01 note verifier from its vkey (VKEY_MALFORMED if it is not a type 0x01 vkey). */
export function noteVerifierFromVkey(vkey: string): NoteVerifier {
  const k = parseVkey(vkey);
  if (k.type !== SIG_TYPE_ED25519) throw vkeyMalformed('not an Ed25519 note-signing vkey (type 0x01)');
  try {
    return ed25519NoteVerifier(k.name, k.publicKey);
  } catch (e) {
    if (e instanceof CustodyError) throw vkeyMalformed(e.message);
    throw e;
  }
}
