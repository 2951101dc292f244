/**
 * What the relying party of verify-bundle and report asks for, from their
 * options (docs/VERIFYING.md §The relying party's policy): the keys it
 * trusts, the witnesses and auditors it names (or a policy file, or a C2SP
 * tlog-policy file), and the flags the report repeats.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { equalBytes } from '../src/bytes.js';
import { verifierFromVkey } from '../src/checkpoint/cosignature.js';
import { SIG_TYPE_COSIGNATURE_MLDSA } from '../src/checkpoint/note.js';
import { parseRelyingPolicy, RELYING_POLICY_MAX_BYTES } from '../src/checkpoint/relying-policy.js';
import { parseTlogPolicy, TLOG_POLICY_MAX_BYTES, type TlogPolicy } from '../src/checkpoint/tlog-policy.js';
import { CustodyError } from '../src/errors.js';
import type { BundleV2Trust } from '../src/verify/bundle-v2.js';
import { collect, witnessPolicy } from './args.js';
import { b64 } from './io.js';
import { parsePublicKey, readInputFile, readTextFile } from './keys.js';
import { shellQuote } from './shell.js';
import { readCertificates } from './tsa.js';

/** The cosigner options verify-bundle and report share (cosignerOptions). */
export interface CosignerOptions {
  trust: string[];
  trustLog: string[];
  witness: string[];
  auditor: string[];
  policy?: string;
  tlogPolicy?: string;
  quorum?: string;
  strict?: boolean;
  tsaRoot?: string[];
  qualifiedTsaRoot?: string[];
}

/**
 * The relying party's choices, as the verifier takes them and as the report
 * repeats them (`--trust`, `--trust-log` as base64 keys: key files are not
 * portable; `--witness`, `--quorum`, `--strict`). Without --witness, only an
 * explicit --quorum 0 waives the default cosignature. Exported for tests.
 */
export function relyingParty(o: CosignerOptions): { trust: BundleV2Trust; flags: string } {
  const r = cosigners(o);
  // TSA roots for the archived checkpoints' tokens (docs/LONG-TERM.md); the report repeats them by file name.
  const roots = o.tsaRoot ?? [];
  const qualified = o.qualifiedTsaRoot ?? [];
  if (roots.length + qualified.length === 0) return r;
  const q = readCertificates(qualified);
  return {
    // A qualified TSA's root is trusted too; it also marks its tokens qualified (eIDAS Art. 41(2)).
    trust: { ...r.trust, tsaRoots: [...readCertificates(roots), ...q], qualifiedTsaRoots: q },
    flags: `${r.flags}${roots.map((f) => ` --tsa-root ${shellQuote(basename(f))}`).join('')}${qualified.map((f) => ` --qualified-tsa-root ${shellQuote(basename(f))}`).join('')}`,
  };
}

function cosigners(o: CosignerOptions): { trust: BundleV2Trust; flags: string } {
  const { authorityKeys, logKeys } = trustedKeys(o);
  const keys = `${authorityKeys.map((k) => `--trust ${shellQuote(b64(k))}`).join(' ')}${logKeys.map((k) => ` --trust-log ${shellQuote(b64(k))}`).join('')}`;
  const strict = o.strict ? ' --strict' : '';
  if (o.tlogPolicy !== undefined) return withTlogPolicy(o, { authorityKeys, logKeys }, keys, o.tlogPolicy);
  if (o.policy !== undefined) {
    if (o.witness.length > 0 || o.auditor.length > 0 || o.quorum !== undefined)
      throw new CustodyError(
        'USAGE',
        '--policy says which cosigners are required: give it without --witness, --auditor or --quorum',
        'input',
      );
    const p = parseRelyingPolicy(readTextFile(o.policy, 'policy', RELYING_POLICY_MAX_BYTES));
    return {
      trust: {
        authorityKeys,
        logKeys,
        witnesses: p.witnesses,
        ...(p.witnessQuorum !== undefined ? { quorum: p.witnessQuorum } : {}),
        auditors: p.auditors,
        auditorQuorum: p.auditorQuorum,
        ...(p.pqQuorum > 0 ? { pqQuorum: p.pqQuorum } : {}),
        ...(p.maxAgeMs !== undefined ? { maxAgeMs: p.maxAgeMs } : {}),
        ...(p.distrust ? { distrust: p.distrust } : {}),
        now: Date.now(),
        strict: o.strict === true,
      },
      flags: `${keys} --policy ${shellQuote(basename(o.policy))}${strict}`,
    };
  }
  const { witnesses, quorum } = witnessPolicy(o.witness, o.quorum);
  const auditors = o.auditor.map((v) => verifierFromVkey(v));
  const asked = o.witness.length > 0 || o.quorum !== undefined;
  return {
    trust: {
      authorityKeys,
      logKeys,
      witnesses,
      ...(asked ? { quorum } : {}),
      ...(auditors.length > 0 ? { auditors } : {}),
      strict: o.strict === true,
    },
    flags: `${keys}${o.witness.map((w) => ` --witness ${shellQuote(w)}`).join('')}${asked ? ` --quorum ${quorum}` : ''}${o.auditor.map((w) => ` --auditor ${shellQuote(w)}`).join('')}${strict}`,
  };
}

/**
 * `--tlog-policy`: an unmodified C2SP tlog-policy file names the log keys and the witnesses and
 * their quorum (c2sp.org/tlog-policy); `--policy` or `--auditor` beside it may only say who the
 * auditors are, how many must cosign, how many cosignatures must be post-quantum (its
 * witnesses counting too), and how old evidence may be, which that grammar cannot
 * (docs/VERIFYING.md §The relying party's policy). One key counts in one role only.
 */
function withTlogPolicy(
  o: CosignerOptions,
  pins: { authorityKeys: Uint8Array[]; logKeys: Uint8Array[] },
  keys: string,
  file: string,
): { trust: BundleV2Trust; flags: string } {
  if (o.witness.length > 0 || o.quorum !== undefined)
    throw new CustodyError(
      'USAGE',
      '--tlog-policy names the witnesses and their quorum: give it without --witness or --quorum',
      'input',
    );
  if (o.policy !== undefined && o.auditor.length > 0)
    throw new CustodyError(
      'USAGE',
      '--policy says which auditors are required: give it without --auditor',
      'input',
    );
  const tlogPolicy: TlogPolicy = parseTlogPolicy(
    new Uint8Array(readInputFile(file, 'tlog-policy', TLOG_POLICY_MAX_BYTES, 'POLICY_INVALID')),
  );
  const p = o.policy
    ? parseRelyingPolicy(readTextFile(o.policy, 'policy', RELYING_POLICY_MAX_BYTES), {
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
  const auditors = p ? p.auditors : o.auditor.map((v) => verifierFromVkey(v));
  for (const a of auditors) {
    const w = tlogPolicy.witnesses.find((x) => equalBytes(x.verifier.publicKey, a.publicKey));
    if (w)
      throw new CustodyError(
        'USAGE',
        `the auditor ${a.name} has the key of the tlog-policy file's witness ${w.name}: one key counts in one role`,
        'input',
      );
  }
  const strict = o.strict === true;
  return {
    trust: {
      ...pins,
      tlogPolicy,
      ...(auditors.length > 0 ? { auditors } : {}),
      ...(p ? { auditorQuorum: p.auditorQuorum } : {}),
      ...(p && p.pqQuorum > 0 ? { pqQuorum: p.pqQuorum } : {}),
      ...(p?.maxAgeMs !== undefined ? { maxAgeMs: p.maxAgeMs } : {}),
      ...(p?.distrust ? { distrust: p.distrust } : {}),
      now: Date.now(),
      strict,
    },
    flags: `${keys} --tlog-policy ${shellQuote(basename(file))}${o.policy ? ` --policy ${shellQuote(basename(o.policy))}` : ''}${o.auditor.map((w) => ` --auditor ${shellQuote(w)}`).join('')}${strict ? ' --strict' : ''}`,
  };
}

/** The keys the caller trusts: at least one authority (--trust) or log (--trust-log) public key. */
function trustedKeys(o: { trust: string[]; trustLog: string[] }) {
  if (o.trust.length + o.trustLog.length === 0)
    throw new CustodyError(
      'USAGE',
      'give the key you trust: --trust <authority public key> or --trust-log <log public key>',
      'input',
    );
  return { authorityKeys: o.trust.map(parsePublicKey), logKeys: o.trustLog.map(parsePublicKey) };
}

/**
 * The cosigners a relying party asks for, as options of verify-bundle and report: witnesses
 * (with their quorum), auditors, or a policy file naming both (see relyingParty).
 */
export function cosignerOptions(cmd: Command): Command {
  return cmd
    .option('--witness <vkey>', 'witness cosigner key; repeatable', collect, [] as string[])
    .option(
      '--auditor <vkey>',
      'auditor cosigner key (its cosignature: it replayed the log and every rule and map root holds); repeatable',
      collect,
      [] as string[],
    )
    .option(
      '--policy <file>',
      "the relying party's policy file (witnesses, auditors, quorums, post-quantum cosignatures, maximum age); instead of --witness, --quorum, --auditor",
    )
    .option(
      '--tlog-policy <file>',
      'a C2SP tlog-policy file: the log key must be one of its logs (if it lists any), and its witnesses and quorum decide witnessing; instead of --witness and --quorum',
    )
    .option(
      '--quorum <k>',
      'witness cosignatures required (default: all given; without --witness, 0 accepts the log key alone)',
    )
    .option(
      '--tsa-root <certificate file>',
      "a time-stamping authority's root you trust (PEM or DER): the tokens of the bundle's archived checkpoints are checked against it; repeatable",
      collect,
      [] as string[],
    )
    .option(
      '--qualified-tsa-root <certificate file>',
      "the same for a qualified trust service provider's TSA (from an EU trusted list): its tokens are marked qualified; repeatable",
      collect,
      [] as string[],
    );
}
