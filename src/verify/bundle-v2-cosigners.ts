/**
 * The cosignatures a v2 bundle's checkpoint carries, against what the relying
 * party asks for (docs/BUNDLE.md step 6, docs/VERIFYING.md §The relying
 * party's policy): witnesses (consistency, against split views), auditors
 * (PROOFS.md §Auditors: the log was replayed and every rule and map root
 * holds), how many of them cosigned with ML-DSA-44 (post-quantum), as of when
 * the newest verified cosignature dates the checkpoint, and the maximum age of
 * evidence; and, with a C2SP tlog-policy file, whether it lists the log key
 * and whether its quorum is met. Pure.
 */
import type { BundleV2 } from '../bundle/bundle-v2.js';
import { equalBytes, toHex } from '../bytes.js';
import {
  ed25519NoteVerifier,
  type NoteVerifier,
  parseNote,
  SIG_TYPE_COSIGNATURE_MLDSA,
  verifyNote,
} from '../checkpoint/note.js';
import { verifyWithPolicy } from '../checkpoint/policy.js';
import { TLOG_POLICY_NONE, type TlogPolicy } from '../checkpoint/tlog-policy.js';
import { listsLog, witnessesNeeded } from '../checkpoint/tlog-policy-quorum.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf, type TypedKey } from '../format/key-id.js';
import { ids45 } from '../format/short-id.js';
import type { Findings } from './bundle-v2-checks.js';
import type { BundleV2Trust } from './bundle-v2-facts.js';

/**
 * Witness cosignatures on the checkpoint (C2SP tlog-cosignature), counted
 * against the caller's witness keys, or against a tlog-policy file's
 * witnesses and quorum when one is given (tlogQuorum). Without witness keys
 * the check is "not-checked": the checkpoint then rests on the log key alone,
 * and the report says so.
 */
export function witnessQuorum(
  b: BundleV2,
  trust: BundleV2Trust,
  logKey: TypedKey | undefined,
  f: Findings,
): WitnessCount {
  if (trust.tlogPolicy) return tlogQuorum(b, trust, trust.tlogPolicy, logKey, f);
  const witnesses = trust.witnesses ?? [];
  // Default: every witness given, by name (a witness given with two keys is one witness).
  const quorum = trust.quorum ?? new Set(witnesses.map((w) => w.name)).size;
  if (witnesses.length === 0 && auditorsAsked(trust) && trust.quorum === 0) {
    onlyAuditors(f);
    return { verified: [], quorum: 0 };
  }
  if (witnesses.length === 0) {
    if (trust.quorum === 0) {
      f.notChecked(
        'witness-quorum',
        'no cosignature was asked for: the checkpoint rests on the log key alone',
      );
      f.add(
        'COSIGNATURE_NOT_ASKED',
        null,
        null,
        'no witness cosignature was asked for (--quorum 0): the checkpoint rests on the log key alone',
        'warning',
      );
    } else
      f.add(
        'COSIGNATURE_MISSING',
        null,
        null,
        trust.distrustedCosigners?.length
          ? `the witness keys given (${trust.distrustedCosigners.join(', ')}) are Ed25519, which the relying party distrusts by now: none of their cosignatures counts`
          : 'no witness key was given, and a cosignature besides the log’s is required by default: give --witness, or --quorum 0 to rest on the log key alone',
      );
    return { verified: [], quorum: trust.quorum === 0 ? 0 : 1 };
  }
  if (!logKey) {
    f.notChecked(
      'witness-quorum',
      'the checkpoint is not signed by the log key, so cosignatures were not counted',
    );
    return { verified: [], quorum };
  }
  return countCosigners(b, logKey, witnesses, quorum, f, 'WITNESS_QUORUM', 'witnesses', '');
}

/** What the witness check found: who cosigned (by key name), and how many were required. */
export interface WitnessCount {
  verified: string[];
  /**
   * The witnesses required: with a tlog-policy file, the fewest that meet its quorum (when it is
   * met) or those who cosigned plus the fewest more that would meet it (when it is not), so that
   * "verified >= quorum" holds exactly when the quorum is met.
   */
  quorum: number;
  /** With a tlog-policy file: the rule met, for the check's detail. */
  rule?: string;
}

/** Auditors asked for are cosigners besides the log too (their own check is auditorQuorum). */
const auditorsAsked = (trust: BundleV2Trust) =>
  (trust.auditors?.length ?? 0) > 0 && trust.auditorQuorum !== 0;

/**
 * An auditor is not a witness: it keeps no state across checkpoints, so it does not stand
 * against a split view. The witness check is not performed; the auditors' is AUDITOR_QUORUM.
 */
const onlyAuditors = (f: Findings) =>
  f.notChecked(
    'witness-quorum',
    'no witness was asked for (only auditors, who replay the log but keep no state against split views)',
  );

/** The witness keys a verdict counts: the tlog-policy file's when one is given, else the caller's. */
export function witnessKeys(trust: BundleV2Trust): readonly NoteVerifier[] {
  return trust.tlogPolicy ? trust.tlogPolicy.witnesses.map((w) => w.verifier) : (trust.witnesses ?? []);
}

/**
 * tlog-policy §What is a "policy": "a checkpoint is considered valid if it is signed by any one
 * of the listed logs". Where the relying party's tlog-policy file lists log keys, the key that
 * signed the checkpoint (already the log key the ledger's authority named in genesis, not
 * revoked inside the checkpoint: checkpointSigned, LOG_KEY_REVOKED) must be listed too, under
 * the bundle's origin (§Defining a log: the key name is the origin); a file that lists none leaves the log to other context, as
 * §What is a "policy" allows. The file narrows the pins, never replaces them. Undefined when
 * nothing was asked, or the checkpoint is not signed by the log key (which fails on its own).
 */
export function logKeyListed(
  b: BundleV2,
  trust: BundleV2Trust,
  logKey: TypedKey | undefined,
  f: Findings,
): boolean | undefined {
  const policy = trust.tlogPolicy;
  if (!policy || policy.logs.length === 0 || !logKey || logKey.type !== KEY_TYPES.ed25519) return undefined;
  if (listsLog(policy, b.origin, logKey.publicKey)) return true;
  const short = ids45('K', keyIdOf(logKey, KEY_PURPOSES.log));
  const other = policy.logs.find((l) => equalBytes(l.verifier.publicKey, logKey.publicKey));
  f.add(
    'LOG_KEY_NOT_LISTED',
    null,
    null,
    other
      ? `the tlog-policy file lists the log key ${short} on line ${other.line} under the name ${other.verifier.name}, not under this log's origin ${b.origin}`
      : `the tlog-policy file lists ${policy.logs.length} log ${policy.logs.length === 1 ? 'key' : 'keys'}, and not the log key ${short} that signed the checkpoint of ${b.origin}`,
  );
  return false;
}

/**
 * The witness check under a tlog-policy file (tlog-policy §Defining a witness group): each
 * witness it lists witnesses the checkpoint iff its cosignature verifies (C2SP
 * tlog-cosignature), a group iff at least k of its members do, and the quorum line names what
 * must. Its witnesses and quorum replace the caller's, so giving both is refused.
 */
function tlogQuorum(
  b: BundleV2,
  trust: BundleV2Trust,
  policy: TlogPolicy,
  logKey: TypedKey | undefined,
  f: Findings,
): WitnessCount {
  const fewest = witnessesNeeded(policy, new Set());
  if ((trust.witnesses?.length ?? 0) > 0 || trust.quorum !== undefined) {
    f.add(
      'WITNESS_QUORUM',
      null,
      null,
      'witness keys or a quorum were given besides a tlog-policy file, which names the witnesses and their quorum: give one or the other',
    );
    return { verified: [], quorum: fewest };
  }
  if (policy.witnesses.length === 0) {
    // Only `quorum none` parses without a witness.
    if (auditorsAsked(trust)) onlyAuditors(f);
    else {
      f.notChecked('witness-quorum', 'the tlog-policy file asks for no cosignature (quorum none)');
      f.add(
        'COSIGNATURE_NOT_ASKED',
        null,
        null,
        'the tlog-policy file says "quorum none": no witness cosignature was asked for, and the checkpoint rests on the log key alone',
        'warning',
      );
    }
    return { verified: [], quorum: 0 };
  }
  if (!logKey) {
    f.notChecked(
      'witness-quorum',
      'the checkpoint is not signed by the log key, so cosignatures were not counted',
    );
    return { verified: [], quorum: fewest };
  }
  let signed: Set<NoteVerifier>;
  try {
    // The log cannot witness itself: a split view is exactly what its own key would sign.
    const own = policy.witnesses.find((w) => equalBytes(w.verifier.publicKey, logKey.publicKey));
    if (own) throw new Error(`the witness ${own.name} (line ${own.line}) has the log's own key`);
    const log = ed25519NoteVerifier(b.origin, logKey.publicKey);
    signed = new Set(verifyNote(b.checkpoint, [log, ...policy.witnesses.map((w) => w.verifier)]).verified);
  } catch (e) {
    f.add(
      'WITNESS_QUORUM',
      null,
      null,
      `witness cosignatures could not be checked: ${e instanceof Error ? e.message : String(e)}`,
    );
    return { verified: [], quorum: fewest };
  }
  const cosigned = policy.witnesses.filter((w) => signed.has(w.verifier));
  const verified = cosigned.map((w) => w.verifier.name);
  const more = witnessesNeeded(policy, new Set(cosigned.map((w) => w.name)));
  const q = JSON.stringify(policy.quorum);
  if (policy.quorum === TLOG_POLICY_NONE)
    return { verified, quorum: 0, rule: 'the tlog-policy file asks for no cosignature (quorum none)' };
  if (more > 0) {
    f.add(
      'WITNESS_QUORUM',
      null,
      null,
      `the tlog-policy quorum ${q} is not met: ${cosigned.length > 0 ? `only ${cosigned.map((w) => w.name).join(', ')} cosigned the checkpoint` : 'none of its witnesses cosigned the checkpoint'}, and at least ${more} more ${more === 1 ? 'witness' : 'witnesses'} would have to`,
    );
    return { verified, quorum: cosigned.length + more };
  }
  return {
    verified,
    quorum: fewest,
    rule: `${cosigned.length} of the tlog-policy file's witnesses cosigned the checkpoint, meeting its quorum ${q}`,
  };
}

/**
 * Auditor cosignatures (PROOFS.md §Auditors), counted like witnesses' against
 * the caller's auditor keys. None asked for: nothing is checked, and the
 * report says the state rests on the log key and witnesses only.
 */
export function auditorQuorum(
  b: BundleV2,
  trust: BundleV2Trust,
  logKey: TypedKey | undefined,
  f: Findings,
): { verified: string[]; quorum: number } {
  const auditors = trust.auditors ?? [];
  const quorum = trust.auditorQuorum ?? new Set(auditors.map((a) => a.name)).size;
  if (auditors.length === 0 || quorum === 0) return { verified: [], quorum: 0 };
  if (!logKey) return { verified: [], quorum };
  return countCosigners(
    b,
    logKey,
    auditors,
    quorum,
    f,
    'AUDITOR_QUORUM',
    'auditors',
    ': nobody the relying party trusts has replayed the log up to it',
  );
}

/**
 * The relying party's post-quantum quorum (docs/VERIFYING.md §The relying party's policy): how
 * many of the keys that count (the witness keys, the tlog-policy file's when one is given, and
 * the auditors, each key once) are ML-DSA-44 (type 0x06) and have a subtree/v1 line on the
 * checkpoint that verifies, counted by name: a cosigner listed with two ML-DSA-44 keys, or under
 * one name as witness and auditor, is one cosigner; fewer names than `trust.pqQuorum`: PQ_QUORUM.
 * Each line is checked on its own, so a tampered ML-DSA line does not count (and stops nothing
 * else here). Not counted when the checkpoint is not signed by the log key, which fails on its own.
 */
export function pqQuorum(
  b: BundleV2,
  trust: BundleV2Trust,
  logKey: TypedKey | undefined,
  f: Findings,
): { verified: string[]; quorum: number } {
  const quorum = trust.pqQuorum ?? 0;
  if (!Number.isSafeInteger(quorum) || quorum < 0) {
    f.add('PQ_QUORUM', null, null, `pqQuorum must be an integer of at least 0, not ${String(quorum)}`);
    return { verified: [], quorum: 0 };
  }
  if (quorum === 0 || !logKey) return { verified: [], quorum };
  const seen = new Set<string>();
  const keys = [...witnessKeys(trust), ...(trust.auditors ?? [])].filter((k) => {
    const id = toHex(k.publicKey);
    if (k.type !== SIG_TYPE_COSIGNATURE_MLDSA || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  // Cosigners are names (as in verifyWithPolicy): two keys under one name never count twice.
  const names = new Set(keys.map((k) => k.name)).size;
  let verified: string[];
  try {
    const note = parseNote(b.checkpoint);
    const cosigned = keys
      .filter((k) => {
        const lines = note.signatures.filter((s) => s.name === k.name && equalBytes(s.keyId, k.keyId));
        return (
          lines.length > 0 &&
          lines.every((s) => {
            try {
              return k.verify(note.text, s.signature) === true;
            } catch {
              return false;
            }
          })
        );
      })
      .map((k) => k.name);
    verified = [...new Set(cosigned)];
  } catch {
    verified = [];
  }
  if (verified.length < quorum)
    f.add(
      'PQ_QUORUM',
      null,
      null,
      `${verified.length} of the ${quorum} required post-quantum (ML-DSA-44) cosignatures verified on the checkpoint${names < quorum ? `, and only ${names} of the cosigners that count ${names === 1 ? 'has' : 'have'} an ML-DSA-44 key` : ''}`,
    );
  return { verified, quorum };
}

/**
 * How many of `keys` cosigned the checkpoint (signed-note signatures checked under the log
 * key), and the problem `code` if fewer than `quorum`: one counting for witnesses and auditors.
 */
function countCosigners(
  b: BundleV2,
  logKey: TypedKey,
  keys: readonly NoteVerifier[],
  quorum: number,
  f: Findings,
  code: 'WITNESS_QUORUM' | 'AUDITOR_QUORUM',
  who: 'witnesses' | 'auditors',
  why: string,
): { verified: string[]; quorum: number } {
  try {
    const r = verifyWithPolicy(b.checkpoint, {
      log: ed25519NoteVerifier(b.origin, logKey.publicKey),
      witnesses: [...keys],
      quorum,
    });
    if (!r.quorumMet)
      f.add(
        code,
        null,
        null,
        `${r.witnessesVerified.length} of the ${quorum} required ${who} cosigned the checkpoint${why}`,
      );
    return { verified: r.witnessesVerified, quorum };
  } catch (e) {
    const what = who === 'witnesses' ? 'witness' : 'auditor';
    f.add(
      code,
      null,
      null,
      `${what} cosignatures could not be checked: ${e instanceof Error ? e.message : String(e)}`,
    );
    return { verified: [], quorum };
  }
}
