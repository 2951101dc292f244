/**
 * The relying party's policy (docs/VERIFYING.md §The relying party's policy):
 * what a court (or anyone relying on a verdict) requires of a checkpoint
 * beyond the log's own signature. It sits beside an unmodified C2SP
 * tlog-policy file, whose grammar says which keys are witnesses and how many
 * must cosign, but cannot say that a cosigner is an auditor (its cosignature
 * means "I replayed this log and every rule and map root holds", PROOFS.md
 * §Auditors) or how old evidence may be.
 *
 *   {"custody": "policy", "v": 1,
 *    "witnesses": ["<vkey>", …], "witnessQuorum": k,     k default: every witness listed
 *                                                        (none listed: the verifier's default, one
 *                                                        cosignature; 0 must be written out)
 *    "auditors": ["<vkey>", …], "auditorQuorum": k,      k default: every auditor listed
 *    "pqQuorum": p,                                       default 0: post-quantum cosignatures required
 *    "maxAgeDays": d,                                     optional
 *    "distrust": {"ed25519"|"rsa"|"ecdsa": "<RFC 3339>"}}  optional: algorithm sunsets
 *
 * Keys are C2SP cosigner verifier keys (`custody witness vkey`). Parsing is
 * strict: an unknown field, a vkey that does not parse, a key listed twice
 * (in either list), a quorum above the keys listed, or a pqQuorum above the
 * ML-DSA-44 (type 0x06) keys listed is POLICY_INVALID.
 */
import { toHex } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { verifierFromVkey } from './cosignature.js';
import { type NoteVerifier, SIG_TYPE_COSIGNATURE_MLDSA } from './note.js';

export interface RelyingPolicy {
  witnesses: NoteVerifier[];
  /**
   * Undefined when the policy lists no witness and gives no quorum: the verifier's default then
   * asks for one cosignature besides the log's. Resting on the log key alone for consistency
   * must be said explicitly, with "witnessQuorum": 0.
   */
  witnessQuorum?: number;
  auditors: NoteVerifier[];
  auditorQuorum: number;
  /**
   * At least this many of the cosignatures that count (the witnesses and auditors listed, each
   * once) must be ML-DSA-44 subtree/v1 lines (type 0x06) that verify; 0 (the default): none.
   */
  pqQuorum: number;
  /** Evidence (the checkpoint's newest cosignature) older than this is INCOMPLETE; undefined: no limit. */
  maxAgeMs?: number;
  /**
   * Algorithm sunsets, ms since 1970 (docs/LONG-TERM.md §Sunsets): from then on, an Ed25519
   * signature counts only under a checkpoint a post-quantum signature vouched for before then.
   */
  distrust?: { ed25519?: number; rsa?: number; ecdsa?: number };
}

/** A policy file is small; anything larger is not one. */
export const RELYING_POLICY_MAX_BYTES = 64 << 10;

const invalid = (message: string) => new CustodyError('POLICY_INVALID', `policy: ${message}`, 'input');
const FIELDS = [
  'custody',
  'v',
  'witnesses',
  'witnessQuorum',
  'auditors',
  'auditorQuorum',
  'pqQuorum',
  'maxAgeDays',
  'distrust',
];

/** RFC 3339 with a zone, as the rest of the CLI takes times: "2035-01-01T00:00:00Z". */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/** The algorithms a sunset can name: Ed25519 (statements, checkpoints, cosignatures), RSA and ECDSA (TSA tokens). */
const SUNSET_ALGORITHMS = ['ed25519', 'rsa', 'ecdsa'] as const;
type SunsetAlgorithm = (typeof SUNSET_ALGORITHMS)[number];

function distrustOf(v: unknown): Partial<Record<SunsetAlgorithm, number>> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalid('distrust must be an object such as {"ed25519": "2035-01-01T00:00:00Z"}');
  const out: Partial<Record<SunsetAlgorithm, number>> = {};
  for (const [alg, when] of Object.entries(v)) {
    if (!(SUNSET_ALGORITHMS as readonly string[]).includes(alg))
      throw invalid(`distrust: unknown algorithm ${JSON.stringify(alg)} (ed25519, rsa or ecdsa)`);
    const t = typeof when === 'string' && RFC3339.test(when) ? Date.parse(when) : Number.NaN;
    if (!Number.isFinite(t))
      throw invalid('distrust: a date must be an RFC 3339 time with a zone, such as "2035-01-01T00:00:00Z"');
    out[alg as SunsetAlgorithm] = t;
  }
  return out;
}
const DAY_MS = 86_400_000;

function keys(v: unknown, what: string): NoteVerifier[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.length > 64) throw invalid(`${what} must be a list of at most 64 verifier keys`);
  return v.map((k) => {
    if (typeof k !== 'string') throw invalid(`${what} must be a list of verifier keys`);
    try {
      return verifierFromVkey(k);
    } catch (e) {
      throw invalid(`${what}: ${e instanceof Error ? e.message : 'not a verifier key'}`);
    }
  });
}

function quorum(v: unknown, of: number, what: string): number {
  if (v === undefined) return of;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > of)
    throw invalid(`${what} must be an integer from 0 to the number of keys listed (${of})`);
  return v;
}

export interface RelyingPolicyOptions {
  /**
   * ML-DSA-44 witness keys named beside the policy (by a C2SP tlog-policy file given with it):
   * they count towards the bound on pqQuorum too. Default 0.
   */
  pqKeysBeside?: number;
}

export function parseRelyingPolicy(text: string, opts: RelyingPolicyOptions = {}): RelyingPolicy {
  if (text.length > RELYING_POLICY_MAX_BYTES) throw invalid('the file is too large');
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw invalid('not a JSON object');
  const o = m as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!FIELDS.includes(k)) throw invalid(`unknown field ${JSON.stringify(k)}`);
  if (o['custody'] !== 'policy' || o['v'] !== 1) throw invalid('"custody" must be "policy" and "v" 1');
  const witnesses = keys(o['witnesses'], 'witnesses');
  const auditors = keys(o['auditors'], 'auditors');
  // One key counts once, in one role: listed twice (under any name) it could count twice.
  const seen = new Set<string>();
  for (const k of [...witnesses, ...auditors]) {
    const id = toHex(k.publicKey);
    if (seen.has(id)) throw invalid(`the key of ${k.name} is listed twice`);
    seen.add(id);
  }
  // A witness may be listed with two keys (Ed25519 and ML-DSA-44) under one name: it counts once.
  const names = (ks: readonly { name: string }[]) => new Set(ks.map((k) => k.name)).size;
  const p: RelyingPolicy = {
    witnesses,
    auditors,
    auditorQuorum: quorum(o['auditorQuorum'], names(auditors), 'auditorQuorum'),
    pqQuorum: 0,
  };
  if (o['pqQuorum'] !== undefined) {
    const pq =
      names([...witnesses, ...auditors].filter((k) => k.type === SIG_TYPE_COSIGNATURE_MLDSA)) +
      (opts.pqKeysBeside ?? 0);
    const v = o['pqQuorum'];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > pq)
      throw invalid(
        `pqQuorum must be an integer from 0 to the number of cosigners with an ML-DSA-44 (type 0x06) key listed (${pq})`,
      );
    p.pqQuorum = v;
  }
  if (witnesses.length > 0 || o['witnessQuorum'] !== undefined)
    p.witnessQuorum = quorum(o['witnessQuorum'], names(witnesses), 'witnessQuorum');
  const age = o['maxAgeDays'];
  if (age !== undefined) {
    if (typeof age !== 'number' || !Number.isFinite(age) || age <= 0 || age > 36_500)
      throw invalid('maxAgeDays must be a number of days from 0 to 36,500');
    p.maxAgeMs = age * DAY_MS;
  }
  if (o['distrust'] !== undefined) p.distrust = distrustOf(o['distrust']);
  return p;
}
