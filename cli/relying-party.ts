/**
 * What the relying party of verify-bundle and report asks for, from their
 * options (docs/VERIFYING.md §The relying party's policy): the keys it
 * trusts, the witnesses and auditors it names (or a policy file, or a C2SP
 * tlog-policy file), and the flags the report repeats.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { RELYING_POLICY_MAX_BYTES } from '../src/checkpoint/relying-policy.js';
import { TLOG_POLICY_MAX_BYTES } from '../src/checkpoint/tlog-policy.js';
import { CustodyError } from '../src/errors.js';
import type { BundleV2Trust } from '../src/verify/bundle-v2.js';
import { relyingTrust, witnessPolicy } from '../src/verify/relying-party.js';
import { collect } from './args.js';
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
  const trust = relyingTrust({
    authorityKeys,
    logKeys,
    witness: o.witness,
    auditor: o.auditor,
    quorum: o.quorum,
    policy: o.policy === undefined ? undefined : readTextFile(o.policy, 'policy', RELYING_POLICY_MAX_BYTES),
    tlogPolicy:
      o.tlogPolicy === undefined
        ? undefined
        : new Uint8Array(readInputFile(o.tlogPolicy, 'tlog-policy', TLOG_POLICY_MAX_BYTES, 'POLICY_INVALID')),
    strict: o.strict === true,
    now: Date.now(),
  });
  const file = (flag: string, f: string | undefined) =>
    f === undefined ? '' : ` ${flag} ${shellQuote(basename(f))}`;
  const flags =
    o.tlogPolicy !== undefined
      ? `${keys}${file('--tlog-policy', o.tlogPolicy)}${file('--policy', o.policy)}${o.auditor.map((w) => ` --auditor ${shellQuote(w)}`).join('')}${strict}`
      : o.policy !== undefined
        ? `${keys}${file('--policy', o.policy)}${strict}`
        : `${keys}${o.witness.map((w) => ` --witness ${shellQuote(w)}`).join('')}${o.witness.length > 0 || o.quorum !== undefined ? ` --quorum ${witnessPolicy(o.witness, o.quorum).quorum}` : ''}${o.auditor.map((w) => ` --auditor ${shellQuote(w)}`).join('')}${strict}`;
  return { trust, flags };
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
