/**
 * C2SP transparency log policy files (https://c2sp.org/tlog-policy): a strict
 * parser of the grammar exactly as the spec gives it, and the evaluator of its
 * witness quorum. Pure: no I/O.
 *
 *     log <vkey> [<url>]
 *     witness <name> <vkey> [<url>]
 *     group <name> all|any|<k> <name>...
 *     quorum <name>                      (exactly one; `none` asks for no cosignature)
 *     # a comment line                   (and blank lines)
 *
 * Nothing else is accepted: no trailing comments, no CR, no unterminated last
 * line, no keyword the spec does not define. Every refusal is POLICY_INVALID
 * (input) with a one-line message that names the line ("tlog-policy line 7:
 * …") and `details.line`.
 *
 * This verifier supports the key types it can check: a log key must be an
 * Ed25519 note-signing vkey (type 0x01, tlog-checkpoint), a witness key an
 * Ed25519 cosigner vkey (type 0x04) or an ML-DSA-44 one (type 0x06,
 * tlog-cosignature subtree/v1). Any other vkey (an ECDSA key) is refused
 * rather than silently ignored, so a quorum is never evaluated over fewer
 * witnesses than the file names.
 *
 * Names are opaque octet strings (tlog-policy §Character set). They are
 * represented as JavaScript strings injectively: well-formed UTF-8 is decoded,
 * and each octet that is not part of a well-formed UTF-8 sequence becomes the
 * lone surrogate U+DC00 + octet (as Python's "surrogateescape" does), which no
 * well-formed UTF-8 decodes to. So two names are equal exactly when their
 * octets are, and a UTF-8 name reads as itself.
 */
import { equalBytes, utf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { cosignatureVerifier } from './cosignature.js';
import { mlDsaCosignatureVerifier } from './cosignature-mldsa.js';
import {
  ed25519NoteVerifier,
  type NoteVerifier,
  parseVkey,
  SIG_TYPE_COSIGNATURE_MLDSA,
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  type Vkey,
} from './note.js';

/**
 * tlog-policy §Implementation limits: an implementation may bound a policy's
 * complexity, and should support at least 32 logs, 32 witnesses and 32
 * groups. 64 KiB holds hundreds of each; anything larger is not a policy file.
 */
export const TLOG_POLICY_MAX_BYTES = 64 << 10;

/** tlog-policy §Defining the quorum: the predefined name that asks for no cosignature. */
export const TLOG_POLICY_NONE = 'none';

/** A `log <vkey> [<url>]` line. The vkey's key name is the log's origin (tlog-policy §Defining a log). */
export interface TlogPolicyLog {
  readonly vkey: string;
  /** The type 0x01 Ed25519 note verifier of the vkey. */
  readonly verifier: NoteVerifier;
  readonly url?: string;
  /** The line it is defined on (1-based). */
  readonly line: number;
}

/** A `witness <name> <vkey> [<url>]` line. */
export interface TlogPolicyWitness {
  /** The policy's own name for it (not the vkey's key name). */
  readonly name: string;
  readonly vkey: string;
  /** The verifier of the vkey: type 0x04 cosignature/v1 (Ed25519) or type 0x06 subtree/v1 (ML-DSA-44). */
  readonly verifier: NoteVerifier;
  readonly url?: string;
  readonly line: number;
}

/** A `group <name> all|any|<k> <name>...` line, with `all` and `any` resolved to k. */
export interface TlogPolicyGroup {
  readonly name: string;
  /** k: the group witnesses a checkpoint iff at least k of its members did. */
  readonly threshold: number;
  /** Names of witnesses and groups defined on preceding lines. */
  readonly members: readonly string[];
  readonly line: number;
}

export interface TlogPolicy {
  readonly logs: readonly TlogPolicyLog[];
  readonly witnesses: readonly TlogPolicyWitness[];
  /** In definition order: every member is defined before the group that lists it. */
  readonly groups: readonly TlogPolicyGroup[];
  /** The name on the quorum line: a witness, a group, or TLOG_POLICY_NONE. */
  readonly quorum: string;
}

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new CustodyError('POLICY_INVALID', message, 'input', details);
const at = (line: number, message: string) => invalid(`tlog-policy line ${line}: ${message}`, { line });

/** A token for a one-line message: quoted, escaped, and cut short. */
const shown = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);

/**
 * Length of the well-formed UTF-8 sequence starting at `i` (Unicode Table
 * 3-7), or 0 if none does: no overlong forms, no surrogates, nothing above
 * U+10FFFF.
 */
function utf8SequenceAt(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < end && b[j]! >= lo && b[j]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The octets [start, end) as a string, injectively (the file comment: surrogateescape). */
function octetText(b: Uint8Array, start: number, end: number): string {
  let out = '';
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    const n = utf8SequenceAt(b, i, end);
    if (n === 0) {
      out += String.fromCharCode(0xdc00 + c);
      i++;
    } else {
      out += strictUtf8.decode(b.subarray(i, i + n));
      i += n;
    }
  }
  return out;
}

/** tlog-policy §Structure: whitespace is ASCII space and tab only. */
const isWhitespace = (c: number) => c === 0x20 || c === 0x09;

/**
 * tlog-policy §Character set: the only octets allowed are tab, newline,
 * 0x20-0x7E and 0x80-0xFF (so no CR: a CRLF file is refused).
 */
const isAllowedOctet = (c: number) => c === 0x09 || c === 0x0a || (c >= 0x20 && c !== 0x7f);

/** A string policy is its UTF-8 octets; a lone surrogate has none, so it is refused. */
function octetsOf(text: string): Uint8Array {
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) line++;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) throw at(line, 'the text contains a lone UTF-16 surrogate');
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) throw at(line, 'the text contains a lone UTF-16 surrogate');
  }
  return utf8(text);
}

interface Defined {
  readonly line: number;
  readonly kind: 'witness' | 'group' | 'predefined';
}

/** Parse state: what preceding lines defined. */
class Builder {
  readonly logs: TlogPolicyLog[] = [];
  readonly witnesses: TlogPolicyWitness[] = [];
  readonly groups: TlogPolicyGroup[] = [];
  readonly names = new Map<string, Defined>([[TLOG_POLICY_NONE, { line: 0, kind: 'predefined' }]]);
  /** Names already listed as a group member, and the group that lists them. */
  readonly memberOf = new Map<string, TlogPolicyGroup>();
  quorum: { name: string; line: number } | undefined;

  define(name: string, kind: 'witness' | 'group', line: number) {
    const before = this.names.get(name);
    if (before?.kind === 'predefined')
      throw at(line, `the name ${shown(name)} is predefined (tlog-policy §What is a "policy")`);
    if (before)
      throw at(
        line,
        `the name ${shown(name)} is already defined on line ${before.line} (witnesses and groups share one namespace)`,
      );
    this.names.set(name, { line, kind });
  }
}

/** parseVkey (signed-note §Verifier keys) on a token, refusals named by line. */
function vkeyAt(token: string, line: number, what: string): Vkey {
  try {
    return parseVkey(token);
  } catch (e) {
    throw at(line, `the ${what} key is not a vkey: ${e instanceof Error ? e.message : 'does not parse'}`);
  }
}

function verifierAt(make: () => NoteVerifier, line: number, what: string): NoteVerifier {
  try {
    return make();
  } catch (e) {
    throw at(line, `the ${what} key is unusable: ${e instanceof Error ? e.message : 'not an Ed25519 key'}`);
  }
}

/** `log <vkey> [<url>]` (tlog-policy §Defining a log). */
function logLine(p: Builder, args: string[], line: number) {
  if (args.length < 1 || args.length > 2) throw at(line, 'a log line is "log <vkey> [<url>]"');
  const vkey = args[0]!;
  const k = vkeyAt(vkey, line, 'log');
  // tlog-policy §Public key representation: a log key is of a checkpoint signature type (tlog-checkpoint).
  if (k.type !== SIG_TYPE_ED25519)
    throw at(line, 'a log key must be an Ed25519 note-signing vkey (type 0x01); this one is a cosigner key');
  const verifier = verifierAt(() => ed25519NoteVerifier(k.name, k.publicKey), line, 'log');
  // §Defining a log: "Duplicate logs, i.e., multiple log lines with the same public key, are not allowed."
  const dup = p.logs.find((l) => equalBytes(l.verifier.publicKey, k.publicKey));
  if (dup)
    throw at(line, `the log key is already listed on line ${dup.line} (duplicate logs are not allowed)`);
  p.logs.push({ vkey, verifier, line, ...(args[1] !== undefined ? { url: args[1] } : {}) });
}

/** `witness <name> <vkey> [<url>]` (tlog-policy §Defining a witness). */
function witnessLine(p: Builder, args: string[], line: number) {
  if (args.length < 2 || args.length > 3) throw at(line, 'a witness line is "witness <name> <vkey> [<url>]"');
  const name = args[0]!;
  const vkey = args[1]!;
  p.define(name, 'witness', line);
  const k = vkeyAt(vkey, line, 'witness');
  // §Public key representation: a witness key is of a cosignature type (tlog-cosignature §Format:
  // 0x04 for Ed25519, 0x06 for ML-DSA-44).
  if (k.type !== SIG_TYPE_COSIGNATURE_V1 && k.type !== SIG_TYPE_COSIGNATURE_MLDSA)
    throw at(
      line,
      `the key of witness ${shown(name)} must be an Ed25519 cosigner vkey (type 0x04) or an ML-DSA-44 one (type 0x06, tlog-cosignature); this one is a note-signing key`,
    );
  const verifier = verifierAt(
    () =>
      k.type === SIG_TYPE_COSIGNATURE_MLDSA
        ? mlDsaCosignatureVerifier(k.name, k.publicKey)
        : cosignatureVerifier(k.name, k.publicKey),
    line,
    'witness',
  );
  // §Defining a witness: duplicates (the same public key, whatever the key name and ID) are not allowed.
  const dup = p.witnesses.find((w) => equalBytes(w.verifier.publicKey, k.publicKey));
  if (dup)
    throw at(
      line,
      `the key of witness ${shown(name)} is already the key of ${shown(dup.name)} (line ${dup.line})`,
    );
  p.witnesses.push({ name, vkey, verifier, line, ...(args[2] !== undefined ? { url: args[2] } : {}) });
}

const isDecimal = (s: string) => s.length > 0 && [...s].every((c) => c >= '0' && c <= '9');

/** `group <name> all|any|<k> <name>...` (tlog-policy §Defining a witness group). */
function groupLine(p: Builder, args: string[], line: number) {
  if (args.length < 3)
    throw at(line, 'a group line is "group <name> all|any|<k> <name>..." with at least one member');
  const name = args[0]!;
  const t = args[1]!;
  const members = args.slice(2);
  p.define(name, 'group', line);
  const n = members.length;
  // "The `any` variant is a shorthand for k = 1, and the `all` variant is a shorthand for k = n.
  // If k is given numerically, it must be written in decimal, and it is required that 1 <= k <= n."
  let k: number;
  if (t === 'all') k = n;
  else if (t === 'any') k = 1;
  else if (isDecimal(t)) k = Number(t);
  else
    throw at(
      line,
      `the threshold of group ${shown(name)} must be all, any or a decimal number, not ${shown(t)}`,
    );
  if (!(k >= 1 && k <= n))
    throw at(line, `the threshold of group ${shown(name)} must be from 1 to its ${n} members, not ${t}`);
  const group: TlogPolicyGroup = { name, threshold: k, members, line };
  for (const m of members) {
    const d = p.names.get(m);
    if (d?.kind === 'predefined') throw at(line, `${shown(m)} cannot be a group member`);
    // "A group definition can only refer to names defined on preceding lines" (no cycles).
    if (!d || d.line === line) throw at(line, `${shown(m)} is not defined on a preceding line`);
    // "Each defined name can be listed as a group member at most once", in the whole file: so
    // each witness contributes to the quorum in one way only, and the groups form a forest.
    const other = p.memberOf.get(m);
    if (other)
      throw at(
        line,
        other === group
          ? `${shown(m)} is listed twice in group ${shown(name)}`
          : `${shown(m)} is already a member of group ${shown(other.name)} (line ${other.line}); a name can be a group member only once`,
      );
    p.memberOf.set(m, group);
  }
  p.groups.push(group);
}

/** `quorum <name>` (tlog-policy §Defining the quorum). */
function quorumLine(p: Builder, args: string[], line: number) {
  if (args.length !== 1) throw at(line, 'a quorum line is "quorum <name>"');
  const name = args[0]!;
  if (p.quorum)
    throw at(line, `a second quorum line (the first is on line ${p.quorum.line}); a policy has exactly one`);
  if (!p.names.has(name)) throw at(line, `the quorum ${shown(name)} is not defined on a preceding line`);
  p.quorum = { name, line };
}

/** The whitespace-separated tokens of line [start, end), after checking its octets. */
function tokensOf(b: Uint8Array, start: number, end: number, line: number): string[] {
  const tokens: string[] = [];
  let s = -1;
  for (let i = start; i <= end; i++) {
    const c = i < end ? b[i]! : 0x20;
    if (i < end && !isAllowedOctet(c))
      throw at(
        line,
        `the octet 0x${c.toString(16).padStart(2, '0')} is not allowed (only tab, newline, 0x20-0x7e and 0x80-0xff${c === 0x0d ? '; a CRLF line ending?' : ''})`,
      );
    if (isWhitespace(c)) {
      if (s >= 0) tokens.push(octetText(b, s, i));
      s = -1;
    } else if (s < 0) s = i;
  }
  return tokens;
}

/**
 * Parses a tlog-policy file (its octets, or a string taken as its UTF-8
 * octets) strictly, as tlog-policy §Policy file syntax and structure gives
 * it. Throws POLICY_INVALID, naming the line, for anything else.
 */
export function parseTlogPolicy(input: Uint8Array | string): TlogPolicy {
  if (typeof input !== 'string' && !(input instanceof Uint8Array))
    throw invalid('tlog-policy: not a policy file');
  if (input.length > TLOG_POLICY_MAX_BYTES)
    throw invalid(`tlog-policy: the file is larger than ${TLOG_POLICY_MAX_BYTES} bytes`);
  const b = typeof input === 'string' ? octetsOf(input) : input;
  if (b.length > TLOG_POLICY_MAX_BYTES)
    throw invalid(`tlog-policy: the file is larger than ${TLOG_POLICY_MAX_BYTES} bytes`);
  const p = new Builder();
  let line = 0;
  for (let start = 0; start < b.length; ) {
    line++;
    const end = b.indexOf(0x0a, start);
    // §Structure: "each line is terminated by ASCII newline", the last one too.
    if (end < 0) {
      tokensOf(b, start, b.length, line);
      throw at(line, 'the last line does not end with a newline');
    }
    const tokens = tokensOf(b, start, end, line);
    start = end + 1;
    // §Structure: blank lines, and lines whose first non-whitespace octet is "#", are ignored.
    if (tokens.length === 0 || tokens[0]!.startsWith('#')) continue;
    const [keyword, ...args] = tokens;
    if (keyword === 'log') logLine(p, args, line);
    else if (keyword === 'witness') witnessLine(p, args, line);
    else if (keyword === 'group') groupLine(p, args, line);
    else if (keyword === 'quorum') quorumLine(p, args, line);
    else
      throw at(
        line,
        `unknown keyword ${shown(keyword!)} (a line is log, witness, group, quorum or a comment)`,
      );
  }
  // §Defining the quorum: "A policy file must include exactly one quorum line."
  if (!p.quorum)
    throw invalid(`tlog-policy: the file ends after line ${line} without a quorum line`, { line });
  return { logs: p.logs, witnesses: p.witnesses, groups: p.groups, quorum: p.quorum.name };
}
