/**
 * The parts of a v2 bundle verdict that describe rather than prove (docs/
 * BUNDLE.md §Verification result): the exhibit's registered facts, the
 * integrity re-checks its history records, the file in hand compared with
 * the registered digests, and the trust anchors (which pinned keys matched).
 */

import type {
  EvidenceFacts,
  ExhibitFacts,
  ExhibitVerdict,
  NonconformityFacts,
  TrustAnchor,
} from '../bundle/verdict.js';
import type { AnchorKind } from '../bundle/verdict-v2.js';
import { equalBytes, toBase64, toHex } from '../bytes.js';
import type { NoteVerifier } from '../checkpoint/note.js';
import type { TlogPolicy } from '../checkpoint/tlog-policy.js';
import { sha256 } from '../crypto/sha256.js';
import { type RecordedIntegrity, recordedIntegrity as recordedOf } from '../custody/integrity.js';
import { openNonconformitiesOf } from '../custody/nonconformities.js';
import {
  type ActorDirectory,
  committedText,
  type ShownStatement,
  signerOfShown,
} from '../custody/timeline-v2.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../format/key-id.js';
import { ids45 } from '../format/short-id.js';
import type { Findings } from './bundle-v2-checks.js';
import type { ReplayV2 } from './bundle-v2-replay.js';

export interface BundleV2Trust {
  /** Authority statement keys (Ed25519, 32 bytes) obtained through an official channel. */
  authorityKeys?: readonly Uint8Array[];
  /** Log keys (Ed25519, 32 bytes) obtained through an official channel. */
  logKeys?: readonly Uint8Array[];
  /** The evidence file in hand: its size and digests by algorithm (md5, sha1, sha256, sha512). */
  file?: { name: string; size: number; digests: Readonly<Record<string, Uint8Array>> };
  /** Witness cosigner keys (C2SP tlog-cosignature) and how many must have cosigned the checkpoint. */
  witnesses?: readonly NoteVerifier[];
  /**
   * How many of `witnesses` must have cosigned. Default: every witness given;
   * with no witness given, the default asks for one cosignature besides the
   * log's, which cannot be met (UNWITNESSED). 0 rests on the log key alone.
   */
  quorum?: number;
  /**
   * An unmodified C2SP tlog-policy file, parsed (src/checkpoint/tlog-policy.ts). Where it lists
   * log keys, the log key that signed the checkpoint must be one of them, under the bundle's
   * origin (tlog-policy §Defining a log), besides being the one the ledger's authority enrolled:
   * otherwise LOG_KEY_NOT_LISTED (UNANCHORED). Its witnesses and its group/quorum expression
   * decide the witness check instead of `witnesses` and `quorum`, which must then be left out
   * (given anyway: WITNESS_QUORUM, for the verifier cannot tell which was meant).
   */
  tlogPolicy?: TlogPolicy;
  /** Recorded custody warnings (a digest mismatch on a re-check, a broken seal) fail. */
  strict?: boolean;
  /**
   * Auditor cosigner keys (PROOFS.md §Auditors): their cosignature says the log was replayed
   * and every rule and map root holds. How many must have cosigned: `auditorQuorum`, default
   * every auditor given. Missing: AUDITOR_QUORUM (UNWITNESSED).
   */
  auditors?: readonly NoteVerifier[];
  auditorQuorum?: number;
  /**
   * Post-quantum cosignatures required (docs/VERIFYING.md §The relying party's policy): at least
   * this many of the keys that count (the witnesses, or the tlog-policy file's, and the auditors,
   * each key once) must have an ML-DSA-44 subtree/v1 line (type 0x06) on the checkpoint that
   * verifies. Default 0. Fewer (or not a non-negative integer): PQ_QUORUM (UNWITNESSED).
   */
  pqQuorum?: number;
  /**
   * The relying party's maximum age of evidence, in ms (src/checkpoint/relying-policy.ts): the
   * checkpoint's newest verified cosignature must be at most this old at `now` (ms since
   * 1970; the caller's clock, the verifier reads none). Otherwise EVIDENCE_TOO_OLD (INCOMPLETE).
   */
  maxAgeMs?: number;
  now?: number;
  /**
   * Algorithm sunsets (./bundle-v2-sunset.ts): from `ed25519` (ms since 1970) on, by `now`,
   * Ed25519 cosignatures count for nothing and the checkpoint must be vouched for by a
   * post-quantum signature dated before then (ALGORITHM_SUNSET, UNANCHORED, otherwise).
   */
  distrust?: { ed25519?: number; rsa?: number; ecdsa?: number };
  /**
   * Of `tsaRoots`, those the relying party holds to be qualified trust service providers'
   * (eIDAS Art. 41(2), from a trusted list): a token chaining to one is marked qualified.
   */
  qualifiedTsaRoots?: readonly Uint8Array[];
  /**
   * Roots (DER certificates) of the time-stamping authorities the relying party trusts: the
   * RFC 3161 tokens of archived checkpoints are checked against them (./bundle-v2-archives.ts).
   * None: tokens date nothing (TIMESTAMP_NOT_CHECKED, a warning).
   */
  tsaRoots?: readonly Uint8Array[];
  /** Set by the verifier itself (./bundle-v2-sunset.ts): the cosigners left out as distrusted, for its messages. */
  distrustedCosigners?: readonly string[];
}

const same = (a: Uint8Array, b: Uint8Array) => equalBytes(a, b);

/** The registration of `x` among the accepted statements. */
export const registrationOf = (x: Uint8Array, shown: readonly ShownStatement[]) =>
  shown.find((s) => s.statement.kind === 'register' && same(s.id, x));

/** The accepted statements that concern one exhibit, in log order. */
export type Concerning = (x: Uint8Array) => readonly ShownStatement[];

/**
 * The accepted statements that concern each exhibit, in log order: its
 * registration and every statement linked to it (its chain, its annotations,
 * the registrations of copies derived from it). An exhibit's facts, timeline
 * and recorded integrity read nothing else, so each of up to 1,000 ancestors
 * is built from its own statements, not from all of them: a bundle of 1,000
 * generations of copies and 50,000 statements otherwise costs every
 * per-ancestor pass 5·10^7 visits (40 s; bench/hostile-bundle.ts lineage-deep).
 */
export function statementsByExhibit(shown: readonly ShownStatement[]): Concerning {
  const by = new Map<string, ShownStatement[]>();
  const add = (x: Uint8Array, s: ShownStatement) => {
    const k = toHex(x);
    const list = by.get(k);
    if (list) list.push(s);
    else by.set(k, [s]);
  };
  for (const s of shown) {
    // A link to another ledger's statement ({origin, id}) concerns no exhibit of this one.
    if (s.statement.exhibit instanceof Uint8Array) add(s.statement.exhibit, s);
    if (s.statement.kind === 'register') add(s.id, s);
  }
  return (x) => by.get(toHex(x)) ?? [];
}

const hexDigests = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries((v ?? {}) as Record<string, Uint8Array>).map(([k, d]) => [k, toHex(d)]));

export function exhibitFacts(
  x: Uint8Array,
  shown: readonly ShownStatement[],
  actors: ActorDirectory,
): ExhibitFacts | null {
  const reg = registrationOf(x, shown);
  if (!reg) return null;
  const s = reg.statement;
  const b = s.body;
  const f: ExhibitFacts = {
    id: ids45('EX', x),
    label: b['label'] as string,
    caseRef: b['caseRef'] as string,
    description: committedText(reg, 'description') ?? '',
    size: b['size'] as number,
    digests: hexDigests(b['digests']),
    registeredSeq: reg.index,
    registeredAt: s.time,
    registeredTz: s.tz,
    registeredBy: signerOfShown(actors, reg),
  };
  if (typeof b['seal'] === 'string') f.seal = b['seal'];
  const location = committedText(reg, 'location');
  if (location !== undefined) f.location = location;
  if (typeof b['seizedAt'] === 'number') f.seizedAt = b['seizedAt'];
  if (s.exhibit instanceof Uint8Array) f.parent = ids45('EX', s.exhibit);
  const evidence = evidenceFacts(b);
  if (evidence) f.evidence = evidence;
  return f;
}

/** What a register body version 2 says the bytes are (docs/FORMAT.md §register, body version 2). */
function evidenceFacts(b: Record<string, unknown>): EvidenceFacts | undefined {
  const type = b['evidence'];
  if (type !== 'file' && type !== 'directory' && type !== 'segments' && type !== 'device') return undefined;
  const e: EvidenceFacts = { type };
  if (typeof b['entries'] === 'number') e.entries = b['entries'];
  if (b['manifest'] instanceof Uint8Array) e.manifest = toHex(b['manifest']);
  const d = b['device'] as Record<string, unknown> | undefined;
  if (d && typeof d['readOnly'] === 'string' && typeof d['mounted'] === 'string')
    e.device = {
      ...(typeof d['model'] === 'string' ? { model: d['model'] } : {}),
      readOnly: d['readOnly'],
      mounted: d['mounted'],
    };
  const r = b['reported'] as Record<string, unknown> | undefined;
  if (r && typeof r['tool'] === 'string' && typeof r['version'] === 'string')
    e.reported = { tool: r['tool'], version: r['version'] };
  return e;
}

/**
 * Every non-conformity the exhibit's own statements opened, and whether it
 * is still open (src/custody/nonconformities.ts): the ones ever opened are
 * those a replay without the resolves leaves open. None: no field.
 */
export function nonconformitiesOf(
  x: Uint8Array,
  shown: readonly ShownStatement[],
): Pick<ExhibitVerdict, 'nonconformities'> {
  const opened = openNonconformitiesOf(
    x,
    shown.filter((s) => s.statement.kind !== 'resolve'),
  );
  if (opened.length === 0) return {};
  const open = new Set(openNonconformitiesOf(x, shown).map((n) => toHex(n.opener)));
  return {
    nonconformities: opened.map(
      (n): NonconformityFacts => ({
        seq: n.at,
        id: toHex(n.opener),
        kind: n.kind,
        time: n.time,
        open: open.has(toHex(n.opener)),
      }),
    ),
  };
}

/**
 * Re-computed digests that differ from the registered ones, and seals found
 * broken, as the chains of the exhibit and its ancestors record them
 * (src/custody/integrity.ts): facts the log states, not refusals
 * (CUSTODY-RULES.md §Custody); warnings that fail the "integrity on every
 * re-check" check.
 */
export function recordedIntegrity(
  lineage: readonly Uint8Array[],
  concerning: Concerning,
  f: Findings,
): RecordedIntegrity {
  const all: RecordedIntegrity = { mismatches: [], brokenSeals: [] };
  for (const x of lineage) {
    const shown = concerning(x);
    const registered = (registrationOf(x, shown)?.statement.body['digests'] ?? {}) as Record<
      string,
      Uint8Array
    >;
    const r = recordedOf(x, registered, shown);
    // Sets, not Array#includes: a hostile (or merely long) chain can record a
    // mismatch at every one of 200,000 entries, and a scan per entry is quadratic.
    const mismatches = new Set(r.mismatches);
    const brokenSeals = new Set(r.brokenSeals);
    // In log order, a statement's mismatch before its seal, as the report lists them.
    for (const index of [...new Set([...r.mismatches, ...r.brokenSeals])].sort((a, b) => a - b)) {
      if (mismatches.has(index))
        f.add(
          'DIGEST_MISMATCH_RECORDED',
          index,
          x,
          `entry ${index} recorded a digest that differs from the registered one`,
          'warning',
        );
      if (brokenSeals.has(index))
        f.add(
          'SEAL_BROKEN_RECORDED',
          index,
          x,
          `entry ${index} recorded that the seal was broken on receipt`,
          'warning',
        );
    }
    // concat, not push(...xs): spreading 200,000 arguments overflows the stack.
    all.mismatches = all.mismatches.concat(r.mismatches);
    all.brokenSeals = all.brokenSeals.concat(r.brokenSeals);
  }
  return all;
}

/** The file in hand against the exhibit's registration: every digest both have must match, and the size. */
export function fileVerdict(
  trust: BundleV2Trust,
  x: Uint8Array,
  shown: readonly ShownStatement[],
  f: Findings,
): ExhibitVerdict['file'] {
  const file = trust.file;
  if (!file) {
    f.notChecked('file-digests', 'no evidence file was given');
    return null;
  }
  const reg = registrationOf(x, shown);
  if (!reg) {
    f.notChecked(
      'file-digests',
      'the exhibit’s registration is not in the bundle, so there is nothing to compare with',
    );
    return null;
  }
  const registered = reg.statement.body['digests'] as Record<string, Uint8Array>;
  let compared = 0;
  let matches = true;
  for (const [alg, want] of Object.entries(registered)) {
    const got = Object.hasOwn(file.digests, alg) ? file.digests[alg] : undefined;
    if (!got) continue;
    compared++;
    if (!same(got, want)) {
      matches = false;
      f.add(
        'FILE_DIGEST_MISMATCH',
        reg.index,
        x,
        `the file's ${alg} is ${toHex(got)}, but ${toHex(want)} was registered`,
      );
    }
  }
  if (compared === 0) {
    matches = false;
    f.add(
      'FILE_NOT_COMPARED',
      reg.index,
      x,
      'no digest of the file could be compared with the registered digests',
    );
  }
  const size = reg.statement.body['size'] as number;
  if (file.size !== size) {
    matches = false;
    f.add('FILE_SIZE_MISMATCH', reg.index, x, `the file has ${file.size} bytes, ${size} were registered`);
  }
  const digests = Object.fromEntries(Object.entries(file.digests).map(([k, v]) => [k, toHex(v)]));
  return { name: file.name, size: file.size, digests, matches };
}

/**
 * Which pinned keys the result rests on (docs/BUNDLE.md §Trust): an
 * authority pin matches the genesis signer or a key an accepted rotation
 * brought in; a log pin matches the log key genesis names, once it verified
 * the checkpoint. A pin that matches nothing is a problem; no pin at all is
 * a warning, and the verdict is then never ok.
 */
export function anchorsOf(
  trust: BundleV2Trust,
  replay: ReplayV2,
  checkpointSigned: boolean,
  f: Findings,
): { anchors: TrustAnchor[]; anchoredTo: AnchorKind[]; nothingPinned: boolean } {
  const authority = trust.authorityKeys ?? [];
  const log = trust.logKeys ?? [];
  const logKey =
    checkpointSigned && replay.logKey?.type === KEY_TYPES.ed25519 ? replay.logKey.publicKey : undefined;
  const anchor = (role: AnchorKind, k: Uint8Array, matched: boolean): TrustAnchor => ({
    role,
    name: `${role} key ${ids45('K', keyIdOf({ type: KEY_TYPES.ed25519, publicKey: k }, role === 'log' ? KEY_PURPOSES.log : KEY_PURPOSES.statement))}`,
    publicKey: toBase64(k),
    fingerprint: toHex(sha256(k)),
    matched,
  });
  const anchors = [
    ...authority.map((k) =>
      anchor(
        'authority',
        k,
        replay.authorityKeys.some((a) => same(a, k)),
      ),
    ),
    ...log.map((k) => anchor('log', k, logKey !== undefined && same(logKey, k))),
  ];
  const anchoredTo: AnchorKind[] = [];
  if (authority.length > 0) {
    if (anchors.some((a) => a.role === 'authority' && a.matched)) anchoredTo.push('authority');
    else if (replay.authorityKeys.length === 0)
      f.notChecked(
        'anchor',
        'the ledger’s authority is unknown without a valid genesis, so no pin could be compared',
      );
    else
      f.add(
        'ANCHOR_MISMATCH',
        0,
        null,
        'the ledger was not founded by, nor handed over to, any authority key you pinned',
      );
  }
  if (log.length > 0) {
    if (anchors.some((a) => a.role === 'log' && a.matched)) anchoredTo.push('log');
    else f.add('LOG_KEY_MISMATCH', null, null, 'the checkpoint is not signed by any log key you pinned');
  }
  const nothingPinned = authority.length === 0 && log.length === 0;
  if (nothingPinned) {
    const why =
      'no authority or log key was pinned: the bundle is only consistent in itself, and anyone could build one';
    f.add('TRUST_NOT_PINNED', null, null, why, 'warning');
    f.notChecked('anchor', why);
  }
  return { anchors, anchoredTo, nothingPinned };
}
