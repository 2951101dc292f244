/**
 * Replay of a v2 bundle's statements (docs/BUNDLE.md §Verification, step
 * 7): in index order through the same admit + judge that append and the
 * whole-log replay use (src/custody/admit.ts, judge.ts; src/verify/entries.ts),
 * on a fresh CustodyState, each placed at its own index and log time, with
 * the tree root at `seen.size` learnt from the bundle's consistency proofs.
 *
 * A bundle holds a subset of the log, so the map roots the entries carry are
 * NOT compared here (the subset's map differs from the log's); the state
 * records proven against the tail's map root stand in for them
 * (./bundle-v2-records.ts). The openings of each statement are checked
 * against its commitments; a withheld opening is not a problem.
 */
import type { OpenedField } from '../bundle/verdict-v2.js';
import { equalBytes } from '../bytes.js';
import type { SignatureChecker, SignatureJob } from '../crypto/signature-checker.js';
import { type Admitted, admit } from '../custody/admit.js';
import { CustodyState } from '../custody/custody-state.js';
import { admitForeign, judgeForeign } from '../custody/foreign-rules.js';
import { judge } from '../custody/judge.js';
import type { Violation } from '../custody/judgement.js';
import type { ShownStatement } from '../custody/timeline-v2.js';
import { PAYLOAD_TYPES } from '../format/entry.js';
import { FormatError } from '../format/format-error.js';
import { KEY_PURPOSES, KEY_TYPES, type TypedKey } from '../format/key-id.js';
import { wireKey } from '../format/kinds.js';
import { checkOpenings, decodeOpenings, type Openings } from '../format/openings.js';
import { signatureJobs } from '../format/sign-statement.js';
import { problemCodeOf } from '../problem-codes.js';
import type { Findings } from './bundle-v2-checks.js';
import type { ProvenEntry } from './bundle-v2-proofs.js';

export interface ReplayV2 {
  state: CustodyState;
  /** Statements the rules accepted, in index order, with their revealed cleartext. */
  shown: ShownStatement[];
  /** Every committed field of every admitted statement. */
  openings: OpenedField[];
  /** Public keys that were the authority: the genesis signer and each accepted rotation's new key. */
  authorityKeys: Uint8Array[];
  /** The log key genesis names (FORMAT.md §Kinds and bodies, genesis); it never changes. */
  logKey: TypedKey | undefined;
  /** The log's ML-DSA-44 keys, enrolled by the authority for purpose log (docs/PROOFS.md §Dual-signed checkpoints). */
  mlDsaLogKeys: Uint8Array[];
}

/** The exhibit a statement concerns, for problem reports: its link, or its own id for a registration. */
function exhibitOf(a: Admitted): Uint8Array | null {
  if (a.statement.exhibit instanceof Uint8Array) return a.statement.exhibit;
  return a.statement.kind === 'register' ? a.id : null;
}

/** FORMAT.md §Commitments and openings: revealed must open and obey the text rules; withheld is fine. */
function openingsOf(
  a: Admitted,
  index: number,
  raw: Uint8Array | undefined,
  f: Findings,
): { opened: Record<string, string>; fields: OpenedField[] } {
  const { spec, statement: s } = a;
  const committed = Object.keys(spec.committed).filter((k) => s.body[k] instanceof Uint8Array);
  const opened: Record<string, string> = {};
  let revealed: Openings = {};
  let unreadable = false;
  if (raw) {
    try {
      revealed = decodeOpenings(raw);
    } catch (e) {
      unreadable = true;
      f.add('OPENING_INVALID', index, exhibitOf(a), e instanceof Error ? e.message : 'unreadable openings');
    }
    for (const k of Object.keys(revealed))
      if (!committed.includes(k))
        f.add(
          'OPENING_INVALID',
          index,
          exhibitOf(a),
          `${s.kind}: ${k} is not a committed field of this statement`,
        );
  }
  const fields = committed.map((field): OpenedField => {
    const o = Object.hasOwn(revealed, field) ? revealed[field] : undefined;
    if (!o) return { index, kind: s.kind, field, status: unreadable ? 'invalid' : 'withheld' };
    try {
      checkOpenings(spec, s.kind, s.body, { [field]: o });
      opened[field] = o.value;
      return { index, kind: s.kind, field, status: 'revealed', value: o.value };
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      const p = problemCodeOf(e.code, e.message);
      f.add(p.code, index, exhibitOf(a), p.message);
      return { index, kind: s.kind, field, status: 'invalid' };
    }
  });
  return { opened, fields };
}

/**
 * A peer ledger's statement carried here (FORMAT.md §Foreign statements), judged by the same
 * rule as on append, against the peer's policy as the bundled `peer` statement recorded it. The
 * registration an imported hand-over carries is shown too (it is self-authenticating: its
 * identity is the exhibit id), at the same position, before the hand-over.
 */
function replayForeign(out: ReplayV2, p: ProvenEntry, f: Findings): void {
  const fa = admitForeign(p.payload);
  if ('violation' in fa) {
    const v = problemCodeOf(fa.violation.code, fa.violation.message);
    f.add(v.code, p.index, null, v.message);
    return;
  }
  const o = judgeForeign(out.state, fa, { index: p.index, time: p.entry.time });
  if (!o.ok) {
    f.add(o.violation.code, p.index, fa.exhibit, o.violation.message);
    return;
  }
  out.state.apply(o.writes);
  const at = { index: p.index, logTime: p.entry.time, opened: {}, foreign: true as const };
  const reg = fa.registration;
  if (reg && !out.shown.some((s) => s.statement.kind === 'register' && equalBytes(s.id, reg.id)))
    out.shown.push({ ...at, id: reg.id, statement: reg.statement });
  out.shown.push({
    ...at,
    id: fa.inner.id,
    statement: fa.inner.statement,
    ...(fa.confirmation ? { confirmedBy: fa.via } : {}),
  });
}

type Admission = Admitted | { violation: Violation };

/**
 * The statements' admissions with their signatures verified by `checker` in one call (the
 * page's workers, or the Node pool), keyed by log index; the replay then admits them without
 * verifying again. A failed checker verifies nothing: every statement is refused, never passed.
 */
export async function preAdmit(
  proven: readonly ProvenEntry[],
  checker: SignatureChecker,
): Promise<Map<number, Admission>> {
  const out = new Map<number, Admission>();
  const jobs: SignatureJob[] = [];
  const owners: [index: number, start: number, n: number][] = [];
  for (const p of proven) {
    if (p.entry.payloadType !== PAYLOAD_TYPES.statement) continue;
    const a = admit(p.payload, false);
    out.set(p.index, a);
    if ('violation' in a) continue;
    const j = signatureJobs(a.decoded, a.spec);
    if ('problem' in j) {
      out.set(p.index, { violation: { code: 'STATEMENT_SIGNATURE_INVALID', message: j.problem } });
      continue;
    }
    owners.push([p.index, jobs.length, j.jobs.length]);
    jobs.push(...j.jobs);
  }
  let ok: boolean[] = [];
  let failure = '';
  try {
    if (jobs.length > 0) ok = await checker.check(jobs);
  } catch (e) {
    failure = `signatures could not be checked: ${e instanceof Error ? e.message : String(e)}`;
  }
  for (const [index, start, n] of owners)
    for (let k = 0; k < n; k++)
      if (ok[start + k] !== true) {
        const message = failure || `signature ${k} does not verify`;
        out.set(index, { violation: { code: 'STATEMENT_SIGNATURE_INVALID', message } });
        break;
      }
  return out;
}

export function replayBundle(
  proven: readonly ProvenEntry[],
  seenRoots: ReadonlyMap<number, Uint8Array>,
  origin: string,
  f: Findings,
  admitted?: ReadonlyMap<number, Admission>,
): ReplayV2 {
  const admitAt = (p: ProvenEntry): Admission => admitted?.get(p.index) ?? admit(p.payload);
  const out: ReplayV2 = {
    state: new CustodyState(),
    shown: [],
    openings: [],
    authorityKeys: [],
    logKey: undefined,
    mlDsaLogKeys: [],
  };
  const first = proven[0];
  const g = first?.index === 0 ? admitAt(first) : undefined;
  if (!g || 'violation' in g || g.statement.kind !== 'genesis') {
    // Without genesis nothing can be judged: every statement would only repeat this.
    f.add('GENESIS_MISSING', 0, null, 'the bundle does not carry a valid ledger genesis as entry 0');
    return out;
  }
  if (g.statement.origin !== origin) {
    f.add(
      'ORIGIN_MISMATCH',
      0,
      null,
      `genesis is signed for ${g.statement.origin}, the bundle is for ${origin}`,
    );
    return out;
  }
  for (const p of proven) {
    if (p.entry.payloadType === PAYLOAD_TYPES.foreign) {
      replayForeign(out, p, f);
      continue;
    }
    const a = p.index === 0 ? g : admitAt(p);
    if ('violation' in a) {
      // admit() passes a decoder's code on as a runtime string: narrowed, never cast.
      const v = problemCodeOf(a.violation.code, a.violation.message);
      f.add(v.code, p.index, null, v.message);
      continue;
    }
    const { opened, fields } = openingsOf(a, p.index, p.openings, f);
    out.openings.push(...fields);
    const s = a.statement;
    const seenRoot = s.seen && s.seen.size <= p.index ? seenRoots.get(s.seen.size) : undefined;
    const at = seenRoot
      ? { index: p.index, time: p.entry.time, seenRoot }
      : { index: p.index, time: p.entry.time };
    const o = judge(out.state, a, at);
    if (!o.ok) {
      f.add(o.violation.code, p.index, exhibitOf(a), o.violation.message);
      continue;
    }
    out.state.apply(o.writes);
    out.shown.push({ index: p.index, logTime: p.entry.time, id: a.id, statement: s, opened });
    if (s.kind === 'genesis') {
      out.authorityKeys.push(s.signer.key.publicKey);
      out.logKey = wireKey(s.body['logKey']);
    } else if (s.kind === 'rotate') out.authorityKeys.push(wireKey(s.body['key']).publicKey);
    else if (s.kind === 'enrol' && s.body['purpose'] === KEY_PURPOSES.log) {
      const k = wireKey(s.body['key']);
      if (k.type === KEY_TYPES.mldsa44) out.mlDsaLogKeys.push(k.publicKey);
    }
  }
  return out;
}
