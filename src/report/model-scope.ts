/**
 * The scope of the report: the claims the verification supports, each made
 * only when the checks it rests on passed, and what remains unproven. Every
 * statement is a whole template of the report's language (src/report/messages/
 * scope-proven.ts, scope-unproven.ts, scope-limits.ts).
 */
import type { ExhibitVerdict } from '../bundle/verdict.js';
import { COMMON, type Language, say, sayCount } from './i18n.js';
import { SCOPE_LIMITS } from './messages/scope-limits.js';
import { SCOPE_PROVEN } from './messages/scope-proven.js';
import { SCOPE_UNPROVEN } from './messages/scope-unproven.js';
import { checkArea } from './model-areas.js';
import { sizeText } from './model-formatting.js';
import type { CheckpointInfo, Custody, FileInfo, Identification, Scope } from './model-types.js';
import { type Findings, fingerprintOf } from './model-verdict.js';

/** "Reason: …", naming at most three reasons so a statement stays readable; undefined when none. */
function because(why: readonly string[], lang: Language): string | undefined {
  if (why.length === 0) return undefined;
  const list = why.slice(0, 3).join(COMMON[lang].listSeparator);
  return why.length > 3
    ? sayCount(SCOPE_UNPROVEN, lang, 'reasonMore', why.length - 3, { list })
    : sayCount(SCOPE_UNPROVEN, lang, 'reason', why.length, { list });
}

type IssueKey = Extract<keyof (typeof SCOPE_UNPROVEN)['en'], `issue${string}`>;

/** "entries 7, 12" with the noun the language gives a list of that many entries. */
const entries = (seqs: readonly (number | null)[], lang: Language) =>
  sayCount(SCOPE_PROVEN, lang, 'entryList', seqs.length, { list: seqs.join(', ') });

/**
 * What the verification proves and what it does not. A statement goes into
 * `proven` only when every check it rests on passed; the limits of any such
 * record are always stated.
 */
export function deriveScope(
  v: ExhibitVerdict,
  f: Findings,
  ident: Identification | null,
  custody: Custody,
  file: FileInfo | null,
  checkpoint: CheckpointInfo | null,
): Scope {
  const lang = f.lang;
  const proven: string[] = [];
  const notProven: string[] = [];
  const core = f.blocked.core;
  const coreOk = core.length === 0 && ident !== null;
  const last = v.lastEventSeq ?? '?';

  if (coreOk && ident) {
    proven.push(
      sayCount(SCOPE_PROVEN, lang, 'authenticity', v.entriesShown.length, {
        origin: v.origin,
        key: fingerprintOf(v, lang),
      }),
    );
    const dg = ident.digests.find((d) => d.algorithm === 'sha256') ?? ident.digests[0];
    const carried = v.crossings?.find((c) => c.kind === 'register');
    const reg = {
      label: ident.label,
      id: ident.exhibitId,
      time: ident.registration.time.utc,
      by: ident.registration.by.text,
      alg: dg?.name,
      hex: dg?.hex,
    };
    proven.push(
      carried
        ? say(SCOPE_PROVEN, lang, 'registrationCarried', { ...reg, from: carried.from, seq: carried.seq })
        : say(SCOPE_PROVEN, lang, 'registration', { ...reg, seq: ident.registration.seq }),
    );
  } else {
    notProven.push(say(SCOPE_UNPROVEN, lang, 'notAuthentic', { reason: because(core, lang) }));
  }

  // From where this ledger's part of the history runs: registration, or the exhibit's first
  // arrival from a peer ledger, whose history there this record does not show.
  const arrival = v.crossings?.find((c) => c.kind === 'transfer');
  const since = arrival
    ? say(SCOPE_PROVEN, lang, 'sinceArrival', { from: arrival.from, seq: arrival.seq })
    : say(SCOPE_PROVEN, lang, 'sinceRegistration', { seq: ident?.registration.seq });

  // Custody in peer ledgers: shown only as far as their hand-overs and answers came here.
  for (const from of new Set((v.crossings ?? []).map((c) => c.from))) {
    const at = (v.crossings ?? []).filter((c) => c.from === from).map((c) => c.seq);
    notProven.push(
      say(SCOPE_LIMITS, lang, 'peerHistory', {
        from,
        origin: v.origin,
        entries: entries([...new Set(at)], lang),
      }),
    );
  }

  // The file in hand.
  if (!file) {
    notProven.push(say(SCOPE_UNPROVEN, lang, 'noFile'));
  } else if (!file.matches || f.blocked.file.length > 0) {
    notProven.push(
      say(SCOPE_UNPROVEN, lang, 'fileMismatch', { name: file.name, reason: because(f.blocked.file, lang) }),
    );
  } else if (coreOk && ident) {
    // Only collision-resistant digests identify the file; MD5 and SHA-1 are shown for comparison only.
    for (const d of file.digests.filter((x) => x.algorithm === 'sha256' || x.algorithm === 'sha512')) {
      const reg = ident.digests.find((r) => r.algorithm === d.algorithm);
      if (!reg || reg.hex.toLowerCase() !== d.hex.toLowerCase()) continue;
      proven.push(
        say(SCOPE_PROVEN, lang, 'fileIdentity', {
          alg: d.name,
          name: file.name,
          size: sizeText(file.size.bytes, lang).text,
          hex: d.hex,
          time: ident.registration.time.utc,
          seq: ident.registration.seq,
          by: ident.registration.by.text,
        }),
      );
    }
  } else {
    notProven.push(say(SCOPE_UNPROVEN, lang, 'fileUnproven', { name: file.name }));
  }

  // Continuity of custody.
  const hs = custody.handovers;
  const accepted = hs.filter((h) => h.outcome === 'accepted');
  const wrongAcceptor = accepted.filter((h) => !h.acceptedByNamedReceiver);
  const mismatched = custody.events.filter((e) => e.digestMismatch).map((e) => e.seq);
  const broken = custody.events.filter((e) => e.sealBroken).map((e) => e.seq);
  const issue = (key: IssueKey, seq: number) => say(SCOPE_UNPROVEN, lang, key, { seq });
  const recordedIssues = [
    ...f.blocked.recorded,
    ...mismatched.map((s) => issue('issueDigestAt', s)),
    ...broken.map((s) => issue('issueSealAt', s)),
    ...v.recordedMismatches
      .filter((s) => !mismatched.includes(s))
      .map((s) => issue('issueDigestRecorded', s)),
    ...v.recordedBrokenSeals.filter((s) => !broken.includes(s)).map((s) => issue('issueSealRecorded', s)),
    ...wrongAcceptor.map((h) => issue('issueWrongAcceptor', h.seq)),
  ];
  if (coreOk && recordedIssues.length === 0) {
    const returned = hs.filter((h) => h.outcome === 'rejected' || h.outcome === 'cancelled');
    const pending = hs.filter((h) => h.outcome === 'pending');
    const values = {
      since,
      last,
      accepted: accepted.length,
      total: hs.length,
      pending: pending[pending.length - 1]?.seq,
    };
    proven.push(
      hs.length === 0
        ? say(SCOPE_PROVEN, lang, 'continuityNever', values)
        : returned.length
          ? sayCount(SCOPE_PROVEN, lang, 'continuityReturned', returned.length, values)
          : say(SCOPE_PROVEN, lang, 'continuity', values),
    );
    const rehashed = accepted.filter((h) => h.rehash === 'match').map((h) => h.outcomeSeq);
    const notRehashed = accepted.filter((h) => h.rehash !== 'match').map((h) => h.outcomeSeq);
    if (accepted.length)
      proven.push(
        say(SCOPE_PROVEN, lang, 'integrity', {
          rehashed: rehashed.length,
          accepted: accepted.length,
          matchedAt: rehashed.length ? entries(rehashed, lang) : undefined,
          notAt: notRehashed.length ? entries(notRehashed, lang) : undefined,
        }),
      );
  } else if (coreOk) {
    notProven.push(
      say(SCOPE_UNPROVEN, lang, 'continuityNotShown', { reason: because(recordedIssues, lang) }),
    );
  } else if (recordedIssues.length) {
    notProven.push(
      say(SCOPE_UNPROVEN, lang, 'continuityNotShownProblem', { reason: because(recordedIssues, lang) }),
    );
  }

  // Completeness up to a signed checkpoint.
  const cpBlocked = f.blocked.checkpoint;
  if (coreOk && checkpoint?.signedBy && cpBlocked.length === 0) {
    proven.push(
      say(SCOPE_PROVEN, lang, 'completeness', {
        since,
        last,
        size: checkpoint.size,
        root: checkpoint.root,
        signer: checkpoint.signedBy.text,
      }),
    );
    const wOk = f.blocked.witness.length === 0 && checkpoint.quorum > 0 && checkpoint.quorumMet;
    if (wOk)
      proven.push(
        sayCount(SCOPE_PROVEN, lang, 'witnesses', checkpoint.witnessesVerified, {
          names: checkpoint.witnesses
            .filter((w) => w.verified)
            .map((w) => w.name)
            .join(', '),
          quorum: checkpoint.quorum,
        }),
      );
    else
      notProven.push(
        checkpoint.quorum === 0
          ? say(SCOPE_UNPROVEN, lang, 'noWitnessRequired')
          : say(SCOPE_UNPROVEN, lang, 'witnessesShort', {
              verified: checkpoint.witnessesVerified,
              quorum: checkpoint.quorum,
              reason: because(f.blocked.witness, lang),
            }),
      );
    // What the state at the checkpoint (nothing after the last event, keys' revocations) rests on.
    const audited = checkpoint.auditors.filter((a) => a.verified).map((a) => a.name);
    if (checkpoint.auditorQuorum > 0 && checkpoint.auditorQuorumMet && f.blocked.witness.length === 0)
      proven.push(sayCount(SCOPE_PROVEN, lang, 'auditors', audited.length, { names: audited.join(', ') }));
    else
      notProven.push(
        checkpoint.auditorQuorum === 0
          ? say(SCOPE_UNPROVEN, lang, 'noAuditor')
          : say(SCOPE_UNPROVEN, lang, 'auditorsShort', {
              audited: audited.length,
              quorum: checkpoint.auditorQuorum,
            }),
      );
  } else if (coreOk && !checkpoint) {
    proven.push(say(SCOPE_PROVEN, lang, 'completenessCopy', { since, last }));
    notProven.push(say(SCOPE_UNPROVEN, lang, 'noCheckpoint'));
  } else if (coreOk) {
    const why = cpBlocked.length ? cpBlocked : [say(SCOPE_UNPROVEN, lang, 'checkpointUnsigned')];
    notProven.push(say(SCOPE_UNPROVEN, lang, 'completenessNotShown', { reason: because(why, lang) }));
  } else if (
    checkpoint &&
    (f.blocked.witness.length > 0 || (checkpoint.quorum > 0 && !checkpoint.quorumMet))
  ) {
    notProven.push(
      say(SCOPE_UNPROVEN, lang, 'witnessesCount', {
        verified: checkpoint.witnessesVerified,
        quorum: checkpoint.quorum,
        reason: because(f.blocked.witness, lang),
      }),
    );
  }

  // Nothing after the last event (the exhibit's record at the checkpoint, proven in the state map).
  const headChecks = v.checks.filter((c) => checkArea(c.id) === 'head');
  const headProven =
    coreOk &&
    checkpoint !== null &&
    headChecks.length > 0 &&
    headChecks.every((c) => c.verdict === 'pass') &&
    f.blocked.head.length === 0;
  if (headProven && checkpoint)
    proven.push(say(SCOPE_PROVEN, lang, 'noLaterEvent', { last, size: checkpoint.size }));
  else if (headChecks.some((c) => c.verdict !== 'pass') || f.blocked.head.length > 0)
    notProven.push(
      say(
        SCOPE_UNPROVEN,
        lang,
        headChecks.some((c) => c.verdict === 'fail') || f.blocked.head.length > 0
          ? 'headFailed'
          : 'headUnproven',
        { last, reason: because(f.blocked.head, lang) },
      ),
    );

  // Lineage.
  if (coreOk && v.ancestors.length > 0) {
    const chain = v.ancestors
      .map((a) => say(SCOPE_PROVEN, lang, 'ancestor', { label: a.label, id: a.id, seq: a.registeredSeq }))
      .join(say(SCOPE_PROVEN, lang, 'derivedInTurn'));
    proven.push(
      say(SCOPE_PROVEN, lang, 'lineage', {
        chain,
        by: ident?.registration.by.text,
        seq: ident?.registration.seq,
      }),
    );
  }

  // The limits of any such record (always stated).
  notProven.push(
    say(SCOPE_LIMITS, lang, 'beforeRegistration', {
      seq: ident?.registration.seq,
      time: ident?.registration.time.utc,
    }),
    say(SCOPE_LIMITS, lang, 'truth'),
    say(SCOPE_LIMITS, lang, 'times'),
    say(SCOPE_LIMITS, lang, 'people'),
    checkpoint
      ? say(SCOPE_LIMITS, lang, headProven ? 'afterCheckpoint' : 'afterCheckpointOrLast', {
          last,
          size: checkpoint.size,
        })
      : say(SCOPE_LIMITS, lang, 'afterLast', { last }),
    say(SCOPE_LIMITS, lang, 'physical'),
  );
  return { proven, notProven };
}
