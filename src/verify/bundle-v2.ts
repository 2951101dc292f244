/**
 * Offline verification of a v2 evidence bundle (docs/BUNDLE.md
 * §Verification): bytes and trust material in, an ExhibitVerdictV2 out.
 * Pure (no file, store or network access; test/bundle/v2-roundtrip.test.ts
 * walks the imports) and total: it never throws, whatever the bytes.
 *
 *   1. decode strictly                                   ../bundle/bundle-v2.ts
 *   2–5. checkpoint, inclusion, tail, seen roots         ./bundle-v2-proofs.ts
 *   6. checkpoint signed by genesis's log key            ./bundle-v2-proofs.ts
 *   7. replay through admit + judge, openings            ./bundle-v2-replay.ts
 *   8. state records at N against the replay             ./bundle-v2-records.ts
 *   9. recorded integrity, the file in hand, anchors     ./bundle-v2-facts.ts
 *  10. witnesses, auditors, post-quantum, as of when, age ./bundle-v2-cosigners.ts
 *  with a freshness file: the same as of a newer checkpoint ./bundle-v2-fresh.ts
 *
 * The verdict (./verdict.ts) is VERIFIED only if every check passed, the
 * result rests on a pinned key that matched (an authority key, or the log
 * key) and the cosigners the trust asks for signed; `ok` is exactly that.
 */

import { type BundleV2, decodeBundleV2 } from '../bundle/bundle-v2.js';
import type { ExhibitVerdict } from '../bundle/verdict.js';
import type { ExhibitVerdictV2 } from '../bundle/verdict-v2.js';
import { toHex } from '../bytes.js';
import type { SignatureChecker } from '../crypto/signature-checker.js';
import type { CustodyState } from '../custody/custody-state.js';
import { type ExhibitRecord, type KeyRecord, NS } from '../custody/records.js';
import { actorDirectory, actorOf, buildTimelineV2, type ShownStatement } from '../custody/timeline-v2.js';
import { CustodyError } from '../errors.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../format/key-id.js';
import { ids45 } from '../format/short-id.js';
import { checkArchives } from './bundle-v2-archives.js';
import { type CheckIdV2, Findings } from './bundle-v2-checks.js';
import { auditorQuorum, logKeyListed, pqQuorum, witnessKeys, witnessQuorum } from './bundle-v2-cosigners.js';
import {
  anchorsOf,
  type BundleV2Trust,
  exhibitFacts,
  fileVerdict,
  nonconformitiesOf,
  recordedIntegrity,
  statementsByExhibit,
} from './bundle-v2-facts.js';
import { verifyFresh } from './bundle-v2-fresh.js';
import {
  checkpointSigned,
  logMlDsaSigned,
  proveEntries,
  proveSeen,
  proveTail,
  readCheckpoint,
} from './bundle-v2-proofs.js';
import { checkRecords, logKeyStanding } from './bundle-v2-records.js';
import { preAdmit, replayBundle } from './bundle-v2-replay.js';
import { anySunsetPassed, checkSunset, postQuantumSignatures, trustAfterSunset } from './bundle-v2-sunset.js';
import { cosignedAt, existedNoLaterThan, freshness } from './bundle-v2-times.js';
import { decideVerdict } from './verdict.js';

export type { BundleV2Trust } from './bundle-v2-facts.js';

export interface BundleV2VerifyOptions {
  /** How the report names what was verified (default: a bundle of `bytes.length` bytes). */
  source?: ExhibitVerdict['source'];
  /**
   * A freshness file (docs/BUNDLE.md §Freshness): the verdict is then judged as of its newer
   * checkpoint M (no later event, no signer revoked or compromised, cosigners and age on M).
   */
  fresh?: Uint8Array;
  /**
   * Verifies the statements' signatures in one batch (the court page's workers); without it
   * they are verified inline. Either way the same signatures are checked with the same rules.
   */
  checker?: SignatureChecker;
}

/** Ancestors are followed at most this far (a derived copy of a copy of …). */
const MAX_LINEAGE = 1_000;

/** The exhibit, then its ancestors, as the replayed exhibit records' `parent` links name them. */
function lineageOf(x: Uint8Array, state: CustodyState): Uint8Array[] {
  const out = [x];
  for (let p = state.get<ExhibitRecord>(NS.exhibit, x)?.parent; p && out.length < MAX_LINEAGE; ) {
    out.push(p);
    p = state.get<ExhibitRecord>(NS.exhibit, p)?.parent;
  }
  return out;
}

export async function verifyBundleV2(
  bytes: Uint8Array,
  trust: BundleV2Trust = {},
  opts: BundleV2VerifyOptions = {},
): Promise<ExhibitVerdictV2> {
  const source = opts.source ?? { kind: 'bundle', name: 'bundle', bytes: bytes?.length ?? 0 };
  const f = new Findings();
  let b: BundleV2;
  try {
    b = decodeBundleV2(bytes);
  } catch (e) {
    // A resource cap reached is BUNDLE_TOO_LARGE (INCOMPLETE), anything else BUNDLE_MALFORMED.
    const tooLarge = e instanceof CustodyError && e.code === 'BUNDLE_TOO_LARGE';
    f.add(
      tooLarge ? 'BUNDLE_TOO_LARGE' : 'BUNDLE_MALFORMED',
      null,
      null,
      e instanceof CustodyError ? e.message : 'not a v2 custody bundle',
    );
    return empty(f, source, '');
  }
  try {
    return await verifyDecoded(b, trust, source, f, opts.fresh, opts.checker);
  } catch {
    // Backstop: every step above reports problems rather than throwing; should one not, the
    // verdict must still be a refusal, never an exception a caller might take for something else.
    f.add('VERIFIER_FAILED', null, null, 'verification stopped on an unexpected error (a bug, not the data)');
    return empty(f, source, b.origin);
  }
}

async function verifyDecoded(
  b: BundleV2,
  trust: BundleV2Trust,
  source: ExhibitVerdict['source'],
  f: Findings,
  freshBytes: Uint8Array | undefined,
  checker: SignatureChecker | undefined,
) {
  const cp = readCheckpoint(b, f);
  const proven = proveEntries(b, cp, f);
  const tail = proveTail(b, cp, f);
  const seenRoots = proveSeen(b, cp, f);
  if (!cp)
    f.notChecked(
      'inclusion-proofs',
      'the checkpoint could not be read, so nothing could be proven against it',
    );
  if (proven.length === 0) f.notChecked('records', 'no entry is proven, so none was decoded');
  const replay = replayBundle(
    proven,
    seenRoots,
    b.origin,
    f,
    checker ? await preAdmit(proven, checker) : undefined,
  );
  const nothing = 'no statement could be replayed';
  if (replay.shown.length === 0)
    for (const c of [
      'signatures',
      'signers',
      'exhibit-links',
      'openings',
      'recorded-integrity',
    ] satisfies CheckIdV2[])
      f.notChecked(c, nothing);

  let signed = false;
  let pqLog: { publicKey: Uint8Array; timestamp: number }[] = [];
  const logKeyId = replay.logKey ? keyIdOf(replay.logKey, KEY_PURPOSES.log) : undefined;
  if (cp && replay.logKey && logKeyId) {
    signed = checkpointSigned(cp, replay.logKey, f);
    pqLog = logMlDsaSigned(cp, replay.mlDsaLogKeys, f);
    logKeyStanding(cp.size, replay.state.get<KeyRecord>(NS.key, logKeyId), f);
  } else
    f.notChecked('checkpoint-signature', 'the log key is unknown without a valid genesis and checkpoint');

  const x = b.exhibit;
  const lineage = lineageOf(x, replay.state);
  if (replay.shown.length > 0 && !replay.state.get(NS.exhibit, x))
    f.add('EXHIBIT_UNKNOWN', null, x, 'the bundle does not register its exhibit');
  if (tail) checkRecords(b, tail.mapRoot, replay, lineage, f);
  else
    f.notChecked(
      'history-complete',
      'the checkpoint’s last entry is not proven, so the state at N is unknown',
    );
  // The renewals the bundle carries, then a freshness file given beside it: each extends the one
  // before (docs/BUNDLE.md §Renewals); the verdict is judged as of the last that was read.
  const links = [...(b.renewals ?? []), ...(freshBytes ? [freshBytes] : [])];
  let fresh: ReturnType<typeof verifyFresh>;
  let allSigned = true;
  for (const link of cp ? links : []) {
    const base = {
      cp: fresh?.cp ?? cp!,
      logKey: replay.logKey,
      mlDsaLogKeys: replay.mlDsaLogKeys,
      shown: replay.shown,
      lineage,
    };
    const next = verifyFresh(b, base, link, f);
    if (!next) {
      allSigned = false;
      break;
    }
    allSigned &&= next.signed;
    fresh = next;
  }
  // As of which checkpoint the verdict holds: cosigners and age are judged on that one's note.
  const asOfCp = fresh?.cp ?? cp;
  const judged = fresh ? { ...b, checkpoint: fresh.note } : b;
  const vouched = signed && (links.length === 0 || (fresh !== undefined && allSigned));
  const concerning = statementsByExhibit(replay.shown);
  const integrity = recordedIntegrity(lineage, concerning, f);
  const file = fileVerdict(trust, x, replay.shown, f);
  const { anchors, anchoredTo, nothingPinned } = anchorsOf(trust, replay, signed, f);
  // Past a sunset, the cosigners of a distrusted algorithm count for nothing (./bundle-v2-sunset.ts).
  const counted = trustAfterSunset(trust);
  // Their dates matter only past a sunset; otherwise every ML-DSA-44 line would be verified twice.
  const pqSignatures = anySunsetPassed(trust)
    ? postQuantumSignatures(judged, trust, replay.mlDsaLogKeys)
    : [];
  const sunset = vouched ? checkSunset(trust, pqSignatures, f) : undefined;
  const listed = logKeyListed(judged, counted, vouched ? replay.logKey : undefined, f);
  const witnessed = witnessQuorum(judged, counted, vouched ? replay.logKey : undefined, f);
  const audited = auditorQuorum(judged, counted, vouched ? replay.logKey : undefined, f);
  const pq = pqQuorum(judged, counted, vouched ? replay.logKey : undefined, f);
  const asOf = cosignedAt(judged, counted, [...witnessed.verified, ...audited.verified]);
  const bound = existedNoLaterThan(judged, counted, witnessed.verified, witnessed.quorum);
  // Archived checkpoints are judged under the bundle's own tree, with every cosigner named:
  // their lines are fixed by the tree, whatever has happened to their algorithms since.
  const timeEvidence = cp && vouched ? await checkArchives(b, cp, replay, trust, pqSignatures, f) : [];
  freshness(counted, asOf, f);

  const actors = actorDirectory(replay.shown);
  const ancestors = lineage.slice(1);
  const last = replay.state.get<ExhibitRecord>(NS.exhibit, x);
  const facts = exhibitFacts(x, concerning(x), actors);
  const revealed = replay.openings.filter((o) => o.status === 'revealed').length;
  const withheld = replay.openings.filter((o) => o.status === 'withheld').length;
  const xs = ids45('EX', x);
  const n = cp?.size ?? 0;
  const m = asOfCp?.size ?? 0;
  const later = fresh
    ? `; the freshness file shows no later event of it up to the checkpoint of size ${m}`
    : '';
  const logShort = logKeyId ? ids45('K', logKeyId) : '';
  const pqLogShort = pqLog.map((k) =>
    ids45('K', keyIdOf({ type: KEY_TYPES.mldsa44, publicKey: k.publicKey }, KEY_PURPOSES.log)),
  );
  const checks = f.checks({
    'bundle-structure': `custody bundle version 2: ${b.entries.length} entries, ${b.records.length} records, ${b.seen.length} seen roots, strictly decoded`,
    anchor:
      anchoredTo.length > 0
        ? `rests on the pinned ${anchoredTo.join(' and ')} key${listed ? ', and the tlog-policy file lists the log key' : ''}${sunset?.anchoredBy ? `; Ed25519 is distrusted from ${sunset.distrustedFrom}, and ${sunset.anchoredBy.by} (ML-DSA-44) vouched for the checkpoint at ${sunset.anchoredBy.time}, before then` : ''}`
        : '',
    'checkpoint-signature': vouched
      ? `the checkpoint of size ${n}${fresh ? ` and the newer one of size ${m}` : ''} ${fresh ? 'are' : 'is'} signed by the log key ${logShort} that genesis names${pqLogShort.length > 0 ? `, and the checkpoint of size ${n} also by the ML-DSA-44 log key ${pqLogShort.join(', ')} the authority enrolled (dual-signed)` : ''}`
      : '',
    'witness-quorum': `${witnessed.rule ?? `${witnessed.verified.length} of the ${witnessed.quorum} required witnesses cosigned the checkpoint`} (${witnessed.verified.join(', ') || 'none needed'})${audited.quorum > 0 ? `; ${audited.verified.length} of the ${audited.quorum} required auditors cosigned it (${audited.verified.join(', ') || 'none'})` : ''}${pq.quorum > 0 ? `; ${pq.verified.length} of the ${pq.quorum} required post-quantum (ML-DSA-44) cosignatures verified (${pq.verified.join(', ') || 'none'})` : ''}`,
    'inclusion-proofs': `each of the ${b.entries.length} entries, the checkpoint's last entry and ${b.seen.length} seen roots are proven against the checkpoint (RFC 9162)${fresh ? `, and the checkpoint of size ${m} extends it (consistency proof) with its last entry proven` : ''}`,
    records:
      'every entry and statement decodes strictly, at its own index, with the payload its entry commits to',
    signatures: 'every statement carries valid signatures of its signer and required co-signers',
    signers: 'every signer was enrolled, and neither revoked, expired nor compromised when it signed',
    'custody-rules': 'every statement obeys the custody rules, replayed in log order (CUSTODY-RULES.md)',
    'exhibit-links': `every event of ${xs}${ancestors.length ? ' and of the exhibits it derives from' : ''} links to the one before it, and governance forms one chain`,
    'history-complete': last
      ? `the state after entry ${n - 1} shows entry ${last.at} as the last event of ${xs} and the last governance statement shown as the last one: nothing is left out up to the checkpoint${later}`
      : '',
    openings: `${revealed} revealed fields open their commitments; ${withheld} withheld`,
    'recorded-integrity': `no digest mismatch or broken seal was recorded for ${xs}${ancestors.length ? ' or its sources' : ''}`,
    'file-digests': file ? `the file ${file.name} has the registered size and digests` : '',
  });
  const anchored = vouched && anchoredTo.length > 0;
  const outcome = decideVerdict({
    problems: [...f.problems].sort((p, q) => (p.seq ?? -1) - (q.seq ?? -1)),
    anchored,
    strict: trust.strict === true,
  });
  const used = new Set<string>();
  for (const s of replay.shown) {
    used.add(toHex(keyIdOf(s.statement.signer.key, KEY_PURPOSES.statement)));
    const to = s.statement.kind === 'transfer' ? s.statement.body['to'] : undefined;
    if (to instanceof Uint8Array) used.add(toHex(to));
  }
  const verdict: ExhibitVerdictV2 = {
    format: 2,
    ok: outcome.ok,
    verdict: outcome.verdict,
    anchored,
    source,
    origin: b.origin,
    exhibitId: toHex(x),
    anchoredTo,
    nothingPinned,
    coveredSize: asOfCp ? asOfCp.size : null,
    ...(fresh && cp ? { refreshedFrom: cp.size } : {}),
    checkpoint: asOfCp
      ? {
          size: asOfCp.size,
          root: toHex(asOfCp.root),
          signedBy: vouched && logKeyId ? actorOf(actors, logKeyId) : null,
          ...(pqLogShort.length > 0 && !fresh ? { mlDsaSignedBy: pqLogShort } : {}),
          // One row per witness name: a witness listed with two keys (Ed25519, ML-DSA-44) is one witness.
          witnesses: [...new Set(witnessKeys(counted).map((w) => w.name))].map((name) => ({
            name,
            verified: witnessed.verified.includes(name),
          })),
          quorum: witnessed.quorum,
          auditors: [...new Set((counted.auditors ?? []).map((w) => w.name))].map((name) => ({
            name,
            verified: audited.verified.includes(name),
          })),
          auditorQuorum: audited.quorum,
          ...(pq.quorum > 0 ? { pqQuorum: pq.quorum, pqCosigned: pq.verified } : {}),
          cosignedAt: asOf ? new Date(asOf.time * 1000).toISOString() : null,
          cosignedBy: asOf?.by ?? [],
          ...(bound
            ? {
                existedNoLaterThan: {
                  time: new Date(bound.time * 1000).toISOString(),
                  k: bound.k,
                  of: bound.of,
                },
              }
            : {}),
          ...(sunset ? { sunset } : {}),
        }
      : null,
    anchors,
    exhibit: facts,
    ancestors: ancestors.flatMap((a) => exhibitFacts(a, concerning(a), actors) ?? []),
    timeline: facts ? buildTimelineV2(x, concerning(x), actors) : null,
    ancestorTimelines: ancestors.map((a) => buildTimelineV2(a, concerning(a), actors)),
    entriesShown: b.entries.map((e) => e.index),
    ...crossingsOf(concerning(x)),
    ...nonconformitiesOf(x, concerning(x)),
    lastEventSeq: last?.at ?? null,
    file,
    checks,
    problems: outcome.problems,
    warnings: outcome.warnings,
    ...(timeEvidence.length > 0 ? { timeEvidence } : {}),
    recordedMismatches: integrity.mismatches,
    recordedBrokenSeals: integrity.brokenSeals,
    actors: [...actors.entries()]
      .filter(([k]) => used.has(k))
      .map(([, a]) => ({ ...a, roles: [...a.roles] })),
    openings: replay.openings,
  };
  return verdict;
}

/** The exhibit's statements that came from peer ledgers, for the verdict (none: no member). */
function crossingsOf(shown: readonly ShownStatement[]): Pick<ExhibitVerdictV2, 'crossings'> {
  const crossings = shown
    .filter((s) => s.foreign)
    .map((s) => ({
      seq: s.index,
      kind: s.statement.kind,
      // A confirmation carries this ledger's own cancel: it comes from the ledger that logged it.
      from: s.confirmedBy ?? s.statement.origin,
      id: toHex(s.id),
      ...(s.confirmedBy !== undefined ? { confirmation: true as const } : {}),
    }));
  return crossings.length > 0 ? { crossings } : {};
}

/**
 * The verdict on a bundle file too large to be read at all (the caller
 * checked its size): INCOMPLETE, for it may be genuine.
 */
export function bundleTooLarge(source: ExhibitVerdict['source'], message: string): ExhibitVerdictV2 {
  const f = new Findings();
  f.add('BUNDLE_TOO_LARGE', null, null, message);
  return empty(f, source, '');
}

/** The verdict of a bundle that could not be read at all. */
function empty(f: Findings, source: ExhibitVerdict['source'], origin: string): ExhibitVerdictV2 {
  const outcome = decideVerdict({ problems: f.problems, anchored: false });
  return {
    format: 2,
    ok: false,
    verdict: outcome.verdict,
    anchored: false,
    source,
    origin,
    exhibitId: '',
    anchoredTo: [],
    nothingPinned: true,
    coveredSize: null,
    checkpoint: null,
    anchors: [],
    exhibit: null,
    ancestors: [],
    timeline: null,
    ancestorTimelines: [],
    entriesShown: [],
    lastEventSeq: null,
    file: null,
    checks: f.checks({}),
    problems: outcome.problems,
    warnings: outcome.warnings,
    recordedMismatches: [],
    recordedBrokenSeals: [],
    actors: [],
    openings: [],
  };
}
