/**
 * Offline verification of an evidence bundle (pure: bytes and trust material in,
 * an ExhibitVerdict out). It shares the custody rules with the ledger and the
 * full-log verifier: the bundle's entries are replayed through the same
 * `evaluate`, with each entry's position taken from its inclusion proof instead
 * of from its neighbours (a bundle holds only some of the log).
 *
 * Throws only BUNDLE_MALFORMED (the file is not a bundle at all: unusable
 * input). Every other defect is a failed check with problems, and the verdict
 * is ok only if every check that matters passed and the log is anchored to a
 * key the caller trusts.
 */

import { equalBytes, toBase64, toHex } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { ed25519NoteVerifier, type NoteVerifier, parseNote, verifyNote } from '../checkpoint/note.js';
import { ed25519 } from '../crypto/ed25519.js';
import { sha256 } from '../crypto/sha256.js';
import { evaluate } from '../custody/rules.js';
import { type ActorRecord, type ExhibitRecord, MemoryState } from '../custody/state.js';
import type { DigestAlgorithm, Payload, RegisterBody } from '../format/events.js';
import { exhibitOf } from '../format/events.js';
import { keyId } from '../format/ids.js';
import { decodeRecord, RecordError, signedMessage } from '../format/record.js';
import { hashLeaf } from '../merkle/hash.js';
import { verifyInclusion } from '../merkle/verify.js';
import { actorInfo, buildTimeline } from '../report/timeline.js';
import { checkCheckpointNote, isLogKeyFor } from '../verify/checkpoint-note.js';
import type { Problem } from '../verify/report.js';
import { exhibitFindings, fileProblems } from '../verify/verifier.js';
import { decodeBundle } from './format.js';
import { parseExhibitHead } from './head.js';
import type { Check, CheckVerdict, ExhibitFacts, ExhibitVerdict, TrustAnchor } from './verdict.js';

export interface BundleVerifyOptions {
  /** Authority public keys obtained through an official channel. */
  trustedKeys: readonly Uint8Array[];
  witnesses?: readonly NoteVerifier[];
  quorum?: number;
  /** Digests of the evidence file in hand. */
  file?: { name: string; size: number; digests: Partial<Record<DigestAlgorithm, Uint8Array>> };
  source?: ExhibitVerdict['source'];
}

/** If an event links past an entry already found bad, take its word for the link (see `tainted`). */
function relinkPastTainted(state: MemoryState, p: Payload, tainted: ReadonlySet<string>) {
  if (tainted.size === 0) return;
  const b = p.body as { exhibit?: string; after?: Uint8Array; parent?: string; parentAfter?: Uint8Array };
  for (const [id, link] of [
    [b.exhibit, b.after],
    [b.parent, b.parentAfter],
  ] as const) {
    const x = id && link ? state.exhibits.get(id) : undefined;
    if (x && link && !equalBytes(x.lastHash, link) && tainted.has(toBase64(x.lastHash)))
      state.exhibits.set(x.id, { ...x, lastHash: link });
  }
}

const RULE_LINK_CODES = new Set(['EXHIBIT_LINK_BROKEN']);
const SIGNER_CODES = new Set([
  'ACTOR_UNKNOWN',
  'ACTOR_REVOKED',
  'NOT_AUTHORITY',
  'SIGNER_MISMATCH',
  'KEY_NOT_ADMISSIBLE',
]);

export async function verifyBundle(bytes: Uint8Array, opts: BundleVerifyOptions): Promise<ExhibitVerdict> {
  const bundle = decodeBundle(bytes);
  const problems: Problem[] = [];
  const add = (code: string, seq: number | null, exhibit: string | null, message: string) =>
    problems.push({ code, severity: 'error', seq, exhibit, message });
  const byCheck = new Map<string, Problem[]>();
  const mark = (check: string, p: Problem) => byCheck.set(check, [...(byCheck.get(check) ?? []), p]);

  // Checkpoint body.
  let cpSize = 0;
  let cpRoot: Uint8Array | undefined;
  try {
    const cp = parseCheckpoint(parseNote(bundle.checkpoint).text);
    if (cp.origin !== bundle.origin)
      add(
        'CHECKPOINT_ORIGIN_MISMATCH',
        null,
        null,
        `the checkpoint is for ${cp.origin}, the bundle for ${bundle.origin}`,
      );
    cpSize = cp.size;
    cpRoot = cp.root;
  } catch (e) {
    add(
      'CHECKPOINT_MALFORMED',
      null,
      null,
      `the checkpoint is not a valid signed checkpoint: ${(e as Error).message}`,
    );
  }
  for (const p of problems) mark('checkpoint-signature', p);

  // Inclusion proofs and strict decoding.
  const unproven = new Set<string>();
  const decoded: {
    seq: number;
    payload: Payload;
    leafHash: Uint8Array;
    payloadBytes: Uint8Array;
    signature: Uint8Array;
  }[] = [];
  for (const e of bundle.entries) {
    const leaf = hashLeaf(e.record);
    if (!cpRoot || e.seq >= cpSize || !verifyInclusion(e.seq, cpSize, leaf, e.proof, cpRoot)) {
      unproven.add(toBase64(leaf));
      const p: Problem = {
        code: 'PROOF_INVALID',
        severity: 'error',
        seq: e.seq,
        exhibit: null,
        message: `entry ${e.seq} is not proven to be in the log at the checkpoint's size ${cpSize}`,
      };
      problems.push(p);
      mark('inclusion-proofs', p);
    }
    try {
      const r = decodeRecord(e.record);
      if (r.payload.seq !== e.seq) {
        const p: Problem = {
          code: 'SEQ_MISMATCH',
          severity: 'error',
          seq: e.seq,
          exhibit: exhibitOf(r.payload) ?? null,
          message: `entry at position ${e.seq} says it is entry ${r.payload.seq}`,
        };
        problems.push(p);
        mark('inclusion-proofs', p);
      }
      decoded.push({
        seq: e.seq,
        payload: r.payload,
        leafHash: r.leafHash,
        payloadBytes: r.payloadBytes,
        signature: r.signature,
      });
    } catch (err) {
      const p: Problem = {
        code: err instanceof RecordError ? err.code : 'RECORD_MALFORMED',
        severity: 'error',
        seq: e.seq,
        exhibit: null,
        message: `entry ${e.seq} is not a valid record: ${(err as Error).message}`,
      };
      problems.push(p);
      mark('records', p);
    }
  }

  // Sparse replay through the shared custody rules.
  const state = new MemoryState();
  const trusted = new Set(opts.trustedKeys.map((k) => toBase64(k)));
  let anchoredBy: { publicKey: Uint8Array; seq: number } | null = null;
  const payloads: Payload[] = [];
  const first = decoded[0];
  if (first?.seq !== 0 || first.payload.kind !== 'genesis') {
    const p: Problem = {
      code: 'GENESIS_MISSING',
      severity: 'error',
      seq: 0,
      exhibit: null,
      message: 'the bundle does not carry the ledger genesis',
    };
    problems.push(p);
    mark('signers', p);
  } else if (first.payload.body.origin !== bundle.origin) {
    const p: Problem = {
      code: 'ORIGIN_MISMATCH',
      severity: 'error',
      seq: 0,
      exhibit: null,
      message: `genesis names origin ${first.payload.body.origin}, the bundle ${bundle.origin}`,
    };
    problems.push(p);
    mark('signers', p);
  }
  // Entries already found bad (not proven, altered or refused): a later event that
  // links past one of them is judged on its own, so one bad entry is one problem.
  const tainted = new Set<string>(unproven);
  let signaturesChecked = 0;
  let prevDecoded: (typeof decoded)[number] | undefined;
  for (const d of decoded) {
    const p = d.payload;
    const exhibit = exhibitOf(p) ?? null;
    const signerKey = p.kind === 'genesis' ? p.body.publicKey : state.actor(p.actor)?.publicKey;
    const origin = p.kind === 'genesis' ? p.body.origin : state.origin;
    if (signerKey) {
      signaturesChecked++;
      if (!ed25519.verify(d.signature, signedMessage(origin, d.payloadBytes), signerKey)) {
        const pr: Problem = {
          code: 'SIGNATURE_INVALID',
          severity: 'error',
          seq: p.seq,
          exhibit,
          message: `entry ${p.seq} was altered after it was signed, or was not signed by the actor it names`,
        };
        problems.push(pr);
        mark('signatures', pr);
        tainted.add(toBase64(d.leafHash));
      }
    }
    // Where the bundle holds an entry's predecessor too, the two must link.
    if (prevDecoded && prevDecoded.seq === p.seq - 1 && !equalBytes(p.prev, prevDecoded.leafHash)) {
      const pr: Problem = {
        code: 'CHAIN_BROKEN',
        severity: 'error',
        seq: p.seq,
        exhibit,
        message: `entry ${p.seq} does not link to entry ${p.seq - 1}`,
      };
      problems.push(pr);
      mark('inclusion-proofs', pr);
    }
    prevDecoded = d;
    // Position comes from the (separately checked) inclusion proof, not from neighbours.
    state.size = p.seq;
    state.head = p.prev;
    relinkPastTainted(state, p, tainted);
    const verdict = evaluate(state, p, d.leafHash);
    if (verdict.ok) {
      state.apply(verdict.changes, d.leafHash, p.time);
      payloads.push(p);
      if (
        (p.kind === 'genesis' || p.kind === 'rotate') &&
        !anchoredBy &&
        trusted.has(toBase64(p.body.publicKey))
      )
        anchoredBy = { publicKey: p.body.publicKey, seq: p.seq };
    } else {
      const pr: Problem = {
        code: verdict.violation.code,
        severity: 'error',
        seq: p.seq,
        exhibit,
        message: verdict.violation.message,
      };
      problems.push(pr);
      mark(
        RULE_LINK_CODES.has(pr.code)
          ? 'exhibit-links'
          : SIGNER_CODES.has(pr.code)
            ? 'signers'
            : 'custody-rules',
        pr,
      );
      tainted.add(toBase64(d.leafHash));
      state.size = p.seq + 1;
      state.head = d.leafHash;
    }
  }
  if (trusted.size > 0 && !anchoredBy) {
    const p: Problem = {
      code: 'ANCHOR_MISMATCH',
      severity: 'error',
      seq: 0,
      exhibit: null,
      message: 'the ledger was not started by (or handed over to) any authority key you trust',
    };
    problems.push(p);
    mark('anchor', p);
  }

  // Checkpoint signature and witnesses, with the log keys the (anchored) replay knows.
  const witnesses = opts.witnesses ?? [];
  const quorum = opts.quorum ?? witnesses.length;
  const cc = cpRoot
    ? checkCheckpointNote(bundle.checkpoint, bundle.origin, state.actors.values(), witnesses, quorum)
    : undefined;
  for (const p of cc?.problems ?? []) {
    problems.push(p);
    mark(p.code === 'WITNESS_QUORUM' ? 'witness-quorum' : 'checkpoint-signature', p);
  }

  // The exhibit and its lineage.
  const x = state.exhibit(bundle.exhibit);
  const lineage: ExhibitRecord[] = [];
  for (let cur = x, n = 0; cur && n < 1000; cur = cur.parent ? state.exhibit(cur.parent) : undefined, n++)
    lineage.push(cur);
  if (!x) {
    const p: Problem = {
      code: 'EXHIBIT_UNKNOWN',
      severity: 'error',
      seq: null,
      exhibit: bundle.exhibit,
      message: `the bundle does not register exhibit ${bundle.exhibit}`,
    };
    problems.push(p);
    mark('custody-rules', p);
  }
  for (const rec of lineage)
    for (const f of exhibitFindings(rec)) {
      const p: Problem = { ...f, severity: 'error' };
      problems.push(p);
      mark('recorded-integrity', p);
    }

  // Head attestation: nothing after the last event shown.
  let headDetail =
    "the bundle carries no attestation of the exhibit's last event; events after the last one shown cannot be excluded";
  let headVerdict: CheckVerdict = 'not-checked';
  if (bundle.head !== undefined && x && cc?.signedBy) {
    // (cc.signedBy: the head is only worth checking once the checkpoint itself verified.)
    // Any log key valid at the checkpoint's size may attest (it need not be the checkpoint's signer).
    let logActor: ActorRecord | undefined;
    let h: ReturnType<typeof parseExhibitHead>;
    for (const a of state.actors.values()) {
      if (!isLogKeyFor(a, cpSize)) continue;
      try {
        const note = parseNote(bundle.head);
        verifyNote(note, [ed25519NoteVerifier(bundle.origin, a.publicKey)]);
        h = parseExhibitHead(note.text);
        logActor = a;
        break;
      } catch {
        // Not this key.
      }
    }
    if (
      h &&
      h.origin === bundle.origin &&
      h.size === cpSize &&
      h.exhibit === x.id &&
      h.lastSeq === x.lastSeq &&
      equalBytes(h.lastHash, x.lastHash)
    ) {
      headVerdict = 'pass';
      headDetail = `the log key ${logActor!.name} (${logActor!.id}) attests that entry ${h.lastSeq} is the last event of ${x.id} in the first ${cpSize} entries`;
    } else {
      headVerdict = 'fail';
      const p: Problem = {
        code: 'HEAD_ATTESTATION_INVALID',
        severity: 'error',
        seq: x.lastSeq,
        exhibit: x.id,
        message:
          "the attestation of the exhibit's last event does not verify or does not match the events in the bundle: events may be missing",
      };
      problems.push(p);
      mark('history-complete', p);
      headDetail = p.message;
    }
  }

  // The file in hand.
  let file: ExhibitVerdict['file'] = null;
  if (opts.file && x) {
    const fp = fileProblems(x, opts.file.digests);
    for (const p of fp) {
      problems.push(p);
      mark('file-digests', p);
    }
    file = {
      name: opts.file.name,
      size: opts.file.size,
      digests: Object.fromEntries(
        Object.entries(opts.file.digests).map(([k, v]) => [k, toHex(v as Uint8Array)]),
      ),
      matches: fp.length === 0 && opts.file.size === x.size,
    };
    if (opts.file.size !== x.size) {
      const p: Problem = {
        code: 'FILE_SIZE_MISMATCH',
        severity: 'error',
        seq: x.registeredSeq,
        exhibit: x.id,
        message: `the file has ${opts.file.size} bytes, ${x.size} were registered`,
      };
      problems.push(p);
      mark('file-digests', p);
    }
  }

  problems.sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1));
  const check = (id: string, title: string, passDetail: string, notChecked?: string): Check => {
    const ps = byCheck.get(id) ?? [];
    if (ps.length > 0)
      return {
        id,
        title,
        verdict: 'fail',
        detail:
          ps
            .map((p) => p.message)
            .slice(0, 5)
            .join('; ') + (ps.length > 5 ? ` (and ${ps.length - 5} more)` : ''),
      };
    if (notChecked !== undefined) return { id, title, verdict: 'not-checked', detail: notChecked };
    return { id, title, verdict: 'pass', detail: passDetail };
  };
  const actorsMap = state.actors;
  const checks: Check[] = [
    check(
      'bundle-structure',
      'Bundle structure',
      `custody bundle version 1 with ${bundle.entries.length} entries, strictly decoded`,
    ),
    check(
      'anchor',
      'Trust anchor',
      anchoredBy
        ? `the ledger was started (or handed over, at entry ${anchoredBy.seq}) by the authority key you trust`
        : '',
      trusted.size === 0
        ? 'no authority key was given: the bundle is only internally consistent, and anyone could build one'
        : undefined,
    ),
    check(
      'checkpoint-signature',
      'Checkpoint signature',
      cc?.signedBy
        ? `the checkpoint of size ${cpSize} is signed by the log key ${actorInfo(actorsMap, cc.signedBy).name} (${cc.signedBy}), enrolled in this ledger`
        : '',
    ),
    check(
      'witness-quorum',
      'Witness cosignatures',
      `${cc?.witnessesVerified.length ?? 0} of ${quorum} required witnesses cosigned the checkpoint (${(cc?.witnessesVerified ?? []).join(', ')})`,
      witnesses.length === 0
        ? 'no witness keys were given'
        : !cc?.signedBy
          ? 'the checkpoint itself did not verify, so its cosignatures were not counted'
          : undefined,
    ),
    check(
      'inclusion-proofs',
      'Inclusion in the log',
      `each of the ${bundle.entries.length} entries is proven to be in the log at its position (RFC 9162 inclusion proofs against the checkpoint)`,
    ),
    check('records', 'Record format', `every record is canonical and well-formed`),
    check(
      'signatures',
      'Signatures',
      `all ${signaturesChecked} entries carry a valid Ed25519 signature of the actor they name`,
    ),
    check(
      'signers',
      'Signers entitled to act',
      'every signer was enrolled by the authority and not revoked when it signed',
    ),
    check(
      'custody-rules',
      'Custody rules',
      'every event respected the custody rules (holder-only hand-overs, acceptance by the named receiver, legal basis across borders, roles)',
    ),
    check(
      'exhibit-links',
      'No missing events',
      x
        ? `every event of ${x.id}${lineage.length > 1 ? ' and of the exhibits it derives from' : ''} links to the one before it, from registration (entry ${x.registeredSeq}) to entry ${x.lastSeq}`
        : '',
    ),
    {
      id: 'history-complete',
      title: 'Nothing after the last event',
      verdict: headVerdict,
      detail: headDetail,
    },
    check(
      'recorded-integrity',
      'Integrity on every re-check',
      x
        ? `no digest mismatch or broken seal was recorded for ${x.id}${lineage.length > 1 ? ' or its sources' : ''}`
        : '',
    ),
    check(
      'file-digests',
      'The file in hand',
      file
        ? `the file ${file.name} has exactly the registered size and digests (${Object.keys(x?.digests ?? {}).join(', ')})`
        : '',
      opts.file ? undefined : 'no evidence file was given (--file)',
    ),
  ];
  for (const c of checks) if (c.verdict === 'pass' && c.detail === '') c.verdict = 'fail';

  const facts = (rec: ExhibitRecord): ExhibitFacts => {
    const reg = payloads.find((p) => p.kind === 'register' && p.body.exhibit === rec.id) as
      | (Payload & { kind: 'register' })
      | undefined;
    const b = reg?.body as RegisterBody | undefined;
    const f: ExhibitFacts = {
      id: rec.id,
      label: rec.label,
      caseRef: rec.caseRef,
      description: b?.description ?? '',
      size: rec.size,
      digests: Object.fromEntries(Object.entries(rec.digests).map(([k, v]) => [k, toHex(v as Uint8Array)])),
      registeredSeq: rec.registeredSeq,
      registeredAt: reg?.time ?? 0,
      registeredTz: reg?.tz ?? 'UTC',
      registeredBy: actorInfo(actorsMap, reg?.actor ?? ''),
    };
    if (b?.seal) f.seal = b.seal;
    if (b?.location) f.location = b.location;
    if (b?.seizedAt !== undefined) f.seizedAt = b.seizedAt;
    if (rec.parent) f.parent = rec.parent;
    return f;
  };
  const usedActors = new Set(payloads.map((p) => p.actor));
  const errors = problems.filter((p) => p.severity === 'error');
  return {
    ok: errors.length === 0 && anchoredBy !== null && checks.every((c) => c.verdict !== 'fail'),
    source: opts.source ?? { kind: 'bundle', name: 'bundle', bytes: bytes.length },
    origin: bundle.origin,
    checkpoint: cpRoot
      ? {
          size: cpSize,
          root: toHex(cpRoot),
          signedBy: cc?.signedBy ? actorInfo(actorsMap, cc.signedBy) : null,
          witnesses: witnesses.map((w) => ({
            name: w.name,
            verified: cc?.witnessesVerified.includes(w.name) ?? false,
          })),
          quorum,
        }
      : null,
    anchors: anchorsOf(
      opts,
      anchoredBy,
      cc?.signedBy ? state.actor(cc.signedBy) : undefined,
      cc?.witnessesVerified ?? [],
    ),
    exhibit: x ? facts(x) : null,
    ancestors: lineage.slice(1).map(facts),
    timeline: x ? buildTimeline(x.id, payloads, actorsMap) : null,
    ancestorTimelines: lineage.slice(1).map((a) => buildTimeline(a.id, payloads, actorsMap)),
    entriesShown: bundle.entries.map((e) => e.seq),
    lastEventSeq: x?.lastSeq ?? null,
    file,
    checks,
    problems,
    recordedMismatches: lineage.flatMap((r) => r.mismatches),
    recordedBrokenSeals: lineage.flatMap((r) => r.brokenSeals),
    actors: [...actorsMap.values()]
      .filter(
        (a) => usedActors.has(a.id) || payloads.some((p) => p.kind === 'transfer' && p.body.to === a.id),
      )
      .map((a: ActorRecord) => ({
        id: a.id,
        name: a.name,
        jurisdiction: a.jurisdiction,
        org: a.org,
        roles: [...a.roles],
        publicKey: toBase64(a.publicKey),
        enrolledSeq: a.enrolledSeq,
        ...(a.revokedSeq !== undefined ? { revokedSeq: a.revokedSeq } : {}),
      })),
  };
}

const fingerprint = (pk: Uint8Array) => toHex(sha256(pk));

function anchorsOf(
  opts: BundleVerifyOptions,
  anchoredBy: { publicKey: Uint8Array } | null,
  log: ActorRecord | undefined,
  witnessesVerified: string[],
): TrustAnchor[] {
  const out: TrustAnchor[] = opts.trustedKeys.map((k) => ({
    role: 'authority',
    name: `authority ${keyId(k)}`,
    publicKey: toBase64(k),
    fingerprint: fingerprint(k),
    matched: anchoredBy !== null && equalBytes(anchoredBy.publicKey, k),
  }));
  if (log)
    out.push({
      role: 'log',
      name: `${log.name} (${log.id})`,
      publicKey: toBase64(log.publicKey),
      fingerprint: fingerprint(log.publicKey),
      matched: true,
    });
  for (const w of opts.witnesses ?? [])
    out.push({
      role: 'witness',
      name: w.name,
      publicKey: toBase64(w.publicKey),
      fingerprint: fingerprint(w.publicKey),
      matched: witnessesVerified.includes(w.name),
    });
  return out;
}
