/**
 * The scope of the report: the claims the verification supports, each made
 * only when the checks it rests on passed, and what remains unproven.
 */
import type { ExhibitVerdict } from '../bundle/verdict.js';
import { checkArea } from './model-areas.js';
import type { CheckpointInfo, Custody, FileInfo, Identification, Scope } from './model-types.js';
import { type Findings, fingerprintOf } from './model-verdict.js';

/** " Reason: …", naming at most three reasons so a statement stays readable. */
const because = (why: string[]) =>
  why.length
    ? ` Reason: ${why.slice(0, 3).join('; ')}${why.length > 3 ? `; and ${why.length - 3} more` : ''}.`
    : '';

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
  const proven: string[] = [];
  const notProven: string[] = [];
  const core = f.blocked.core;
  const coreOk = core.length === 0 && ident !== null;
  const last = v.lastEventSeq;

  if (coreOk && ident) {
    const shown = v.entriesShown.length;
    proven.push(
      `Authenticity of the record: each of the ${shown} ${shown === 1 ? 'entry' : 'entries'} shown carries a valid Ed25519 signature by the key of the actor it names, each is proven (RFC 9162 inclusion proof) to sit at its position in the log the signed checkpoint commits to, the exhibit's events link one to the next, the events obey the custody rules, and the ledger "${v.origin}" chains back to the trusted authority key ${fingerprintOf(v)}.`,
    );
    const dg = ident.digests.find((d) => d.algorithm === 'sha256') ?? ident.digests[0];
    const carried = v.crossings?.find((c) => c.kind === 'register');
    proven.push(
      carried
        ? `Registration: exhibit "${ident.label}" (${ident.exhibitId}) was registered in the ledger "${carried.from}", with the recorded time ${ident.registration.time.utc}, by the key ${ident.registration.by.text}${dg ? `, with ${dg.name} ${dg.hex}` : ''}; the registration came with the hand-over at entry ${carried.seq}, and its identity is the exhibit id.`
        : `Registration: exhibit "${ident.label}" (${ident.exhibitId}) was registered at entry ${ident.registration.seq}, with the recorded time ${ident.registration.time.utc}, by the key enrolled for ${ident.registration.by.text}${dg ? `, with ${dg.name} ${dg.hex}` : ''}.`,
    );
  } else {
    notProven.push(
      `Authenticity of the record is NOT shown, so nothing below is proven about this exhibit's history.${because(core)}`,
    );
  }

  // From where this ledger's part of the history runs: registration, or the exhibit's first
  // arrival from a peer ledger, whose history there this record does not show.
  const arrival = v.crossings?.find((c) => c.kind === 'transfer');
  const since = arrival
    ? `its arrival from the ledger "${arrival.from}" (entry ${arrival.seq})`
    : `registration (entry ${ident?.registration.seq})`;

  // Custody in peer ledgers: shown only as far as their hand-overs and answers came here.
  for (const from of new Set((v.crossings ?? []).map((c) => c.from))) {
    const at = (v.crossings ?? []).filter((c) => c.from === from).map((c) => c.seq);
    notProven.push(
      `The exhibit's history in the ledger "${from}": this record shows what crossed from it (entries ${[...new Set(at)].join(', ')}), each vouched for by that ledger's receipt under the tlog-policy that "${v.origin}"'s authority recorded for it, and signed by keys of that ledger; that those keys were enrolled there, and any event there before or between them, are that ledger's to show: verify a bundle from "${from}" as well.`,
    );
  }

  // The file in hand.
  if (!file) {
    notProven.push(
      'That any particular file is the evidence: no evidence file was compared with the registered digests in this verification.',
    );
  } else if (!file.matches || f.blocked.file.length > 0) {
    notProven.push(
      `That the file "${file.name}" is the registered evidence: its digests do NOT equal the registered ones.${because(f.blocked.file)}`,
    );
  } else if (coreOk && ident) {
    // Only collision-resistant digests identify the file; MD5 and SHA-1 are shown for comparison only.
    for (const d of file.digests.filter((x) => x.algorithm === 'sha256' || x.algorithm === 'sha512')) {
      const reg = ident.digests.find((r) => r.algorithm === d.algorithm);
      if (!reg || reg.hex.toLowerCase() !== d.hex.toLowerCase()) continue;
      proven.push(
        `Identity of the file: the ${d.name} of the file "${file.name}" (${file.size.text}) is ${d.hex}, which equals the digest registered on ${ident.registration.time.utc} (entry ${ident.registration.seq}) by ${ident.registration.by.text}.`,
      );
    }
  } else {
    notProven.push(
      `That the file "${file.name}" is the registered evidence: its digests equal the digests in the record, but the record itself is not shown to be authentic.`,
    );
  }

  // Continuity of custody.
  const hs = custody.handovers;
  const accepted = hs.filter((h) => h.outcome === 'accepted');
  const wrongAcceptor = accepted.filter((h) => !h.acceptedByNamedReceiver);
  const mismatched = custody.events.filter((e) => e.digestMismatch).map((e) => e.seq);
  const broken = custody.events.filter((e) => e.sealBroken).map((e) => e.seq);
  const recordedIssues = [
    ...f.blocked.recorded,
    ...mismatched.map((s) => `entry ${s} recorded a digest different from the registered one`),
    ...broken.map((s) => `entry ${s} recorded a broken seal`),
    ...v.recordedMismatches
      .filter((s) => !mismatched.includes(s))
      .map((s) => `digest mismatch recorded at entry ${s}`),
    ...v.recordedBrokenSeals
      .filter((s) => !broken.includes(s))
      .map((s) => `broken seal recorded at entry ${s}`),
    ...wrongAcceptor.map(
      (h) => `the hand-over at entry ${h.seq} was accepted by someone other than the named receiver`,
    ),
  ];
  if (coreOk && recordedIssues.length === 0) {
    const returned = hs.filter((h) => h.outcome === 'rejected' || h.outcome === 'cancelled');
    const pending = hs.filter((h) => h.outcome === 'pending');
    let s = `Continuity of custody within the record: custody was continuous from ${since} to entry ${last ?? '?'}`;
    if (hs.length === 0) s += '; the exhibit was never handed over';
    else {
      s += `: every hand-over was accepted by the receiver named in it (${accepted.length} of ${hs.length})`;
      if (returned.length)
        s += `, except ${returned.length} that ${returned.length === 1 ? 'was' : 'were'} rejected or cancelled, returning custody to the sender`;
    }
    if (pending.length)
      s += `; the last hand-over (entry ${pending[pending.length - 1]?.seq}) is still awaiting acceptance at the end of the record`;
    proven.push(`${s}.`);
    const rehashed = accepted.filter((h) => h.rehash === 'match');
    const notRehashed = accepted.filter((h) => h.rehash !== 'match');
    if (accepted.length)
      proven.push(
        `Integrity at hand-over: ${rehashed.length} of ${accepted.length} receivers re-computed the digest on receipt and it matched the registered one${rehashed.length ? ` (entries ${rehashed.map((h) => h.outcomeSeq).join(', ')})` : ''}${notRehashed.length ? `; at entries ${notRehashed.map((h) => h.outcomeSeq).join(', ')} no digest was re-computed` : ''}. No seal was recorded as broken.`,
      );
  } else if (coreOk) {
    notProven.push(
      `Continuity and integrity of custody are NOT shown.${because(recordedIssues)} The recorded facts are genuine entries: the evidence may have changed, and what happened must be established from other sources.`,
    );
  } else if (recordedIssues.length) {
    notProven.push(
      `Continuity and integrity of custody are NOT shown; moreover the record itself reports a problem.${because(recordedIssues)}`,
    );
  }

  // Completeness up to a signed checkpoint.
  const cpBlocked = f.blocked.checkpoint;
  if (coreOk && checkpoint?.signedBy && cpBlocked.length === 0) {
    proven.push(
      `Completeness: the history of this exhibit is complete from ${since} to entry ${last ?? '?'}, and these entries are included in the checkpoint of size ${checkpoint.size} (root ${checkpoint.root}) signed by the ${checkpoint.signedBy.text}.`,
    );
    const wOk = f.blocked.witness.length === 0 && checkpoint.quorum > 0 && checkpoint.quorumMet;
    if (wOk)
      proven.push(
        `Independent confirmation: ${checkpoint.witnessesVerified} witness${checkpoint.witnessesVerified === 1 ? '' : 'es'} (${checkpoint.witnesses
          .filter((w) => w.verified)
          .map((w) => w.name)
          .join(
            ', ',
          )}) cosigned this checkpoint, meeting the required quorum of ${checkpoint.quorum}: they were shown this history, not a different one.`,
      );
    else
      notProven.push(
        checkpoint.quorum === 0
          ? 'Independent confirmation of the checkpoint: no witness cosignatures were required or checked, so it is not shown that others were shown the same history (a split view is not excluded).'
          : `Independent confirmation of the checkpoint: only ${checkpoint.witnessesVerified} of the ${checkpoint.quorum} required witnesses cosigned it, so it is not shown that others were shown the same history (a split view is not excluded).${because(f.blocked.witness)}`,
      );
    // What the state at the checkpoint (nothing after the last event, keys' revocations) rests on.
    const audited = checkpoint.auditors.filter((a) => a.verified).map((a) => a.name);
    if (checkpoint.auditorQuorum > 0 && checkpoint.auditorQuorumMet && f.blocked.witness.length === 0)
      proven.push(
        `Replayed by an auditor: ${audited.join(', ')} cosigned this checkpoint as ${audited.length === 1 ? 'an auditor' : 'auditors'}, stating that they replayed the log up to it and that every statement obeys the custody rules and every state root is correct.`,
      );
    else
      notProven.push(
        checkpoint.auditorQuorum === 0
          ? "That the state the log committed to (an exhibit's last event, a key's revocation) was recomputed by someone else: no auditor was asked for, so it rests on the log key and the witnesses, who do not replay the log."
          : `That the state the log committed to was recomputed by someone else: only ${audited.length} of the ${checkpoint.auditorQuorum} required auditors cosigned the checkpoint.`,
      );
  } else if (coreOk && !checkpoint) {
    proven.push(
      `Completeness within this copy: in the ledger copy verified, the history of this exhibit is complete from ${since} to entry ${last ?? '?'}.`,
    );
    notProven.push(
      'That others were shown the same history: no signed checkpoint was verified, so the ledger copy could have been rewritten as a whole by whoever controls it.',
    );
  } else if (coreOk) {
    notProven.push(
      `Completeness of the history up to a signed checkpoint is NOT shown.${because(cpBlocked.length ? cpBlocked : ['the checkpoint is not signed by a log key'])}`,
    );
  } else if (
    checkpoint &&
    (f.blocked.witness.length > 0 || (checkpoint.quorum > 0 && !checkpoint.quorumMet))
  ) {
    notProven.push(
      `Independent confirmation of the checkpoint: ${checkpoint.witnessesVerified} of the ${checkpoint.quorum} required witnesses cosigned it.${because(f.blocked.witness)}`,
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
    proven.push(
      `No later event: the state map committed in the checkpointed log names entry ${last ?? '?'} as the last event of this exhibit among the first ${checkpoint.size} entries of the log.`,
    );
  else if (headChecks.some((c) => c.verdict !== 'pass') || f.blocked.head.length > 0)
    notProven.push(
      `That entry ${last ?? '?'} is this exhibit's last event up to the checkpoint: ${
        headChecks.some((c) => c.verdict === 'fail') || f.blocked.head.length > 0
          ? 'the exhibit record at the checkpoint did not verify'
          : 'the bundle does not prove the exhibit record at the checkpoint'
      }, so later events of the exhibit may have been left out.${because(f.blocked.head)}`,
    );

  // Lineage.
  if (coreOk && v.ancestors.length > 0) {
    const chain = v.ancestors
      .map((a) => `"${a.label}" (${a.id}, registered at entry ${a.registeredSeq})`)
      .join(', derived in turn from ');
    proven.push(
      `Lineage: this exhibit is recorded as derived from ${chain}; the derivation was registered by ${ident?.registration.by.text} at entry ${ident?.registration.seq}.`,
    );
  }

  // The limits of any such record (always stated).
  const reg = ident ? ` (entry ${ident.registration.seq}, ${ident.registration.time.utc})` : '';
  notProven.push(
    `What happened before registration${reg}: the seizure itself, and any handling of the evidence before it was registered, are outside the record.`,
    'The truth of what the entries say: descriptions, labels, reasons, seal numbers, places, notes and legal-basis references are statements by the person who signed them; the record proves who made each statement, not that it is true or that the legal basis is valid.',
    "The times: every time is the time claimed when the entry was written (the signer's or the ledger's clock); the record proves the order of the entries, not that any clock was right.",
    "That the people behind the keys are who the entries say: the record proves which key signed each entry; that a key belongs to a named person rests on the authority's enrolment and on each person keeping their key to themselves.",
    checkpoint
      ? headProven
        ? `Events after the checkpoint: anything recorded after the checkpoint of size ${checkpoint.size} is not covered.`
        : `Events after the checkpoint: anything recorded after entry ${last ?? '?'} (the last event shown) or after the checkpoint of size ${checkpoint.size} is not covered.`
      : `Events after entry ${last ?? '?'}: anything recorded after the last event shown, or after this verification, is not covered.`,
    'Physical custody outside the record: where the evidence physically was, and who could reach it, between entries.',
  );
  return { proven, notProven };
}
