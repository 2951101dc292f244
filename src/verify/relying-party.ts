/**
 * The relying party's choices as the verifier takes them (docs/VERIFYING.md §The relying
 * party's policy): the keys it pinned, the witnesses and auditors it names, or a policy file,
 * or a C2SP tlog-policy file. Pure: the CLI (cli/relying-party.ts) reads the files and gives
 * their contents, the court's verifier page gives what was dropped into it, so both reach the
 * same BundleV2Trust, and so the same verdict, from the same inputs.
 */
import { equalBytes } from '../bytes.js';
import { verifierFromVkey } from '../checkpoint/cosignature.js';
import { type NoteVerifier, SIG_TYPE_COSIGNATURE_MLDSA } from '../checkpoint/note.js';
import { parseRelyingPolicy } from '../checkpoint/relying-policy.js';
import { parseTlogPolicy } from '../checkpoint/tlog-policy.js';
import { CustodyError } from '../errors.js';
import type { BundleV2Trust } from './bundle-v2-facts.js';

export interface RelyingChoices {
  /** Authority and log public keys obtained through an official channel; at least one. */
  authorityKeys: Uint8Array[];
  logKeys: Uint8Array[];
  /** Witness and auditor vkeys (C2SP signed-note verifier keys). */
  witness: string[];
  auditor: string[];
  /** Witness cosignatures required, as typed (default: every witness named). */
  quorum?: string | undefined;
  /** The text of a relying-party policy file. */
  policy?: string | undefined;
  /** The bytes of an unmodified C2SP tlog-policy file. */
  tlogPolicy?: Uint8Array | undefined;
  strict: boolean;
  now: number;
}

/** Witness vkeys and the quorum (default: every witness given; one name with two keys is one witness). */
export function witnessPolicy(
  vkeys: string[],
  quorumArg: string | undefined,
): { witnesses: NoteVerifier[]; quorum: number } {
  const witnesses = vkeys.map((v) => verifierFromVkey(v));
  const names = new Set(witnesses.map((w) => w.name)).size;
  const quorum = quorumArg === undefined ? names : Number(quorumArg);
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > names)
    throw new CustodyError(
      'USAGE',
      `--quorum must be between 0 and the number of witnesses named by --witness (${names})`,
      'input',
    );
  return { witnesses, quorum };
}

/**
 * The trust the verifier is given. Without witnesses, only an explicit quorum of 0 waives the
 * default cosignature (UNWITNESSED otherwise). Contradictory choices are USAGE errors.
 */
export function relyingTrust(c: RelyingChoices): BundleV2Trust {
  if (c.authorityKeys.length + c.logKeys.length === 0)
    throw new CustodyError(
      'USAGE',
      'give the key you trust: --trust <authority public key> or --trust-log <log public key>',
      'input',
    );
  const pins = { authorityKeys: c.authorityKeys, logKeys: c.logKeys };
  if (c.tlogPolicy !== undefined) return withTlogPolicy(c, pins, c.tlogPolicy);
  if (c.policy !== undefined) {
    if (c.witness.length > 0 || c.auditor.length > 0 || c.quorum !== undefined)
      throw new CustodyError(
        'USAGE',
        '--policy says which cosigners are required: give it without --witness, --auditor or --quorum',
        'input',
      );
    const p = parseRelyingPolicy(c.policy);
    return {
      ...pins,
      witnesses: p.witnesses,
      ...(p.witnessQuorum !== undefined ? { quorum: p.witnessQuorum } : {}),
      auditors: p.auditors,
      auditorQuorum: p.auditorQuorum,
      ...(p.pqQuorum > 0 ? { pqQuorum: p.pqQuorum } : {}),
      ...(p.maxAgeMs !== undefined ? { maxAgeMs: p.maxAgeMs } : {}),
      ...(p.distrust ? { distrust: p.distrust } : {}),
      now: c.now,
      strict: c.strict,
    };
  }
  const { witnesses, quorum } = witnessPolicy(c.witness, c.quorum);
  const auditors = c.auditor.map((v) => verifierFromVkey(v));
  const asked = c.witness.length > 0 || c.quorum !== undefined;
  return {
    ...pins,
    witnesses,
    ...(asked ? { quorum } : {}),
    ...(auditors.length > 0 ? { auditors } : {}),
    strict: c.strict,
  };
}

/**
 * A C2SP tlog-policy file names the log keys and the witnesses and their quorum
 * (c2sp.org/tlog-policy); a policy file or auditors beside it may only say who the auditors
 * are, how many must cosign, how many cosignatures must be post-quantum (its witnesses counting
 * too), and how old evidence may be, which that grammar cannot. One key counts in one role only.
 */
function withTlogPolicy(
  c: RelyingChoices,
  pins: { authorityKeys: Uint8Array[]; logKeys: Uint8Array[] },
  bytes: Uint8Array,
): BundleV2Trust {
  if (c.witness.length > 0 || c.quorum !== undefined)
    throw new CustodyError(
      'USAGE',
      '--tlog-policy names the witnesses and their quorum: give it without --witness or --quorum',
      'input',
    );
  if (c.policy !== undefined && c.auditor.length > 0)
    throw new CustodyError(
      'USAGE',
      '--policy says which auditors are required: give it without --auditor',
      'input',
    );
  const tlogPolicy = parseTlogPolicy(bytes);
  const p =
    c.policy !== undefined
      ? parseRelyingPolicy(c.policy, {
          pqKeysBeside: tlogPolicy.witnesses.filter((w) => w.verifier.type === SIG_TYPE_COSIGNATURE_MLDSA)
            .length,
        })
      : undefined;
  if (p && (p.witnesses.length > 0 || p.witnessQuorum !== undefined))
    throw new CustodyError(
      'USAGE',
      'with --tlog-policy the witnesses and their quorum come from the tlog-policy file: the --policy file may give only auditors, auditorQuorum, pqQuorum and maxAgeDays',
      'input',
    );
  const auditors = p ? p.auditors : c.auditor.map((v) => verifierFromVkey(v));
  for (const a of auditors) {
    const w = tlogPolicy.witnesses.find((x) => equalBytes(x.verifier.publicKey, a.publicKey));
    if (w)
      throw new CustodyError(
        'USAGE',
        `the auditor ${a.name} has the key of the tlog-policy file's witness ${w.name}: one key counts in one role`,
        'input',
      );
  }
  return {
    ...pins,
    tlogPolicy,
    ...(auditors.length > 0 ? { auditors } : {}),
    ...(p ? { auditorQuorum: p.auditorQuorum } : {}),
    ...(p && p.pqQuorum > 0 ? { pqQuorum: p.pqQuorum } : {}),
    ...(p?.maxAgeMs !== undefined ? { maxAgeMs: p.maxAgeMs } : {}),
    ...(p?.distrust ? { distrust: p.distrust } : {}),
    now: c.now,
    strict: c.strict,
  };
}
