/**
 * The admissibility report model: one plain-data description of a verified
 * exhibit (src/bundle/verdict.ts), rendered as text (text.ts), JSON (json.ts)
 * and printable HTML with an SVG custody picture (html.ts, svg.ts).
 *
 * Everything a reader is told is decided here, once: the verdict sentence
 * (model-verdict.ts), the custody story (model-custody.ts), and above all the
 * scope — what the verification proves and what it does not. Scope statements
 * are derived from the verdict and are only made when the checks they rest on
 * passed (see `deriveScope` in model-scope.ts). The JSON rendering is this
 * model as is; field names are part of the report format `custody-report/v1`
 * and documented on the interfaces in model-types.ts.
 *
 * This file assembles the model from those parts and is the one import for
 * the renderers, src/report/index.ts and the CLI.
 *
 * Pure: no I/O. Every string copied from the verdict is attacker-controllable
 * (it comes from a bundle file); renderers must escape it (`visible` makes
 * control and bidirectional characters visible for display).
 */

import type { ExhibitVerdict } from '../bundle/verdict.js';
import type { Problem } from '../findings.js';
import { COMMON, say } from './i18n.js';
import { SUMMARY } from './messages/summary.js';
import { checkMeaning, checkTitle, checkVerdictText } from './model-areas.js';
import { custodyOf, rowContext } from './model-custody.js';
import { digestRows, groupHex, sizeText, timeText } from './model-formatting.js';
import { guaranteesOf } from './model-guarantees.js';
import { identification, lineage } from './model-lineage.js';
import { certificationOf, methodOf, provenanceOf } from './model-method.js';
import { nonconformitiesOf } from './model-nonconformities.js';
import { party } from './model-party.js';
import { deriveScope } from './model-scope.js';
import {
  type CheckpointInfo,
  type FileInfo,
  REPORT_FORMAT,
  type ReportMeta,
  type ReportModel,
} from './model-types.js';
import { validationOf } from './model-validation.js';
import { findings, verdictOf } from './model-verdict.js';

export { type Area, checkArea, problemArea } from './model-areas.js';
export {
  digestName,
  durationText,
  groupDigits,
  groupHex,
  sizeText,
  timeText,
  visible,
} from './model-formatting.js';
export { laneKey } from './model-party.js';
export {
  type ActorRow,
  type AnchorRow,
  type Certification,
  type CheckpointInfo,
  type CheckRow,
  type Custody,
  type DigestRow,
  type DurationText,
  type EventRow,
  type FileInfo,
  type HandoverRow,
  type Identification,
  type LineageRow,
  type Method,
  type Nonconformities,
  type NonconformityRow,
  type Party,
  type PeriodRow,
  type ProblemRow,
  type Provenance,
  REPORT_FORMAT,
  type RehashResult,
  type ReportMeta,
  type ReportModel,
  type Scope,
  type SealResult,
  type TimeText,
  type Validation,
} from './model-types.js';

/**
 * The verdict with its warnings (a v2 verdict keeps them apart from the
 * problems that decided it) listed among the problems, severity "warning",
 * in entry order: the report shows both, marked, as it always did.
 */
function withWarnings(v: ExhibitVerdict): ExhibitVerdict {
  const warnings = (v as ExhibitVerdict & { warnings?: readonly Problem[] }).warnings ?? [];
  if (warnings.length === 0) return v;
  const problems = [...v.problems, ...warnings].sort((p, q) => (p.seq ?? -1) - (q.seq ?? -1));
  return { ...v, problems };
}

/** The report model of one exhibit's verdict; every rendering is made from it. */
export function buildReportModel(given: ExhibitVerdict, meta: ReportMeta): ReportModel {
  const v = withWarnings(given);
  const lang = meta.lang ?? 'en';
  const ctx = rowContext(v, lang);
  const f = findings(v, lang);
  const ident = v.exhibit ? identification(v.exhibit, lang) : null;
  const file: FileInfo | null = v.file
    ? {
        name: v.file.name,
        size: sizeText(v.file.size, lang),
        digests: digestRows(v.file.digests),
        matches: v.file.matches,
      }
    : null;
  const custody = custodyOf(v.timeline, ctx);
  const cp = v.checkpoint;
  const checkpoint: CheckpointInfo | null = cp
    ? (() => {
        const verified = cp.witnesses.filter((w) => w.verified).length;
        const signedBy = cp.signedBy ? party(cp.signedBy) : null;
        const auditors = cp.auditors ?? [];
        const audited = auditors.filter((a) => a.verified).length;
        const auditorQuorum = cp.auditorQuorum ?? 0;
        const pqQuorum = cp.pqQuorum ?? 0;
        const pqCosigned = cp.pqCosigned ?? [];
        // The checkpoint's facts, each a whole statement, listed as the language lists.
        const facts = [
          signedBy
            ? say(SUMMARY, lang, 'cpSigned', { size: cp.size, root: cp.root, signer: signedBy.text })
            : say(SUMMARY, lang, 'cpUnsigned', { size: cp.size, root: cp.root }),
          say(SUMMARY, lang, 'cpWitnesses', { n: verified, quorum: cp.quorum }),
          auditorQuorum > 0
            ? say(SUMMARY, lang, 'cpAuditors', { n: audited, quorum: auditorQuorum })
            : say(SUMMARY, lang, 'cpNoAuditor'),
          ...(pqQuorum > 0
            ? [say(SUMMARY, lang, 'cpPostQuantum', { n: pqCosigned.length, quorum: pqQuorum })]
            : []),
          ...(cp.cosignedAt
            ? [
                say(SUMMARY, lang, 'cpAsOf', {
                  size: cp.size,
                  at: cp.cosignedAt,
                  by: (cp.cosignedBy ?? []).join(', '),
                }),
              ]
            : []),
        ];
        return {
          size: cp.size,
          root: cp.root,
          signedBy,
          witnesses: cp.witnesses.map((w) => ({ name: w.name, verified: w.verified })),
          witnessesVerified: verified,
          quorum: cp.quorum,
          quorumMet: verified >= cp.quorum,
          auditors: auditors.map((a) => ({ name: a.name, verified: a.verified })),
          auditorQuorum,
          auditorQuorumMet: audited >= auditorQuorum,
          ...(pqQuorum > 0 ? { pqQuorum, pqCosigned } : {}),
          cosignedAt: cp.cosignedAt ?? null,
          cosignedBy: cp.cosignedBy ?? [],
          guarantees: guaranteesOf(cp, v.timeEvidence, v.lastEventSeq, lang),
          text: facts.join(say(COMMON, lang, 'listSeparator')),
        };
      })()
    : null;
  const generatedAt = timeText(meta.generatedAt, 'UTC');
  const verdict = verdictOf(v, f, file);
  const model: ReportModel = {
    format: REPORT_FORMAT,
    lang,
    translationNote: lang === 'en' ? null : say(COMMON, lang, 'translationNote'),
    title: ident
      ? say(SUMMARY, lang, 'titleOf', { label: ident.label, exhibitId: ident.exhibitId })
      : say(SUMMARY, lang, 'title'),
    generatedAt,
    provenance: provenanceOf(meta, generatedAt),
    source: {
      kind: v.source.kind,
      name: v.source.name,
      bytes: v.source.bytes ?? null,
      origin: v.origin,
      text:
        v.source.kind === 'bundle'
          ? say(SUMMARY, lang, 'sourceBundle', {
              name: v.source.name,
              size: v.source.bytes !== undefined ? sizeText(v.source.bytes, lang).text : undefined,
              origin: v.origin,
            })
          : say(SUMMARY, lang, 'sourceLive', { name: v.source.name, origin: v.origin }),
    },
    verdict,
    identification: ident,
    file,
    custody,
    lineage: lineage(v, custody, lang),
    nonconformities: nonconformitiesOf(v, lang),
    checks: v.checks.map((c) => ({
      id: c.id,
      title: checkTitle(c.id, c.title, lang),
      verdict: c.verdict,
      verdictText: checkVerdictText(String(c.verdict), lang),
      detail: c.detail,
      meaning: checkMeaning(c.id, lang),
    })),
    problems: v.problems.map((p) => ({
      code: p.code,
      severity: p.severity,
      seq: p.seq,
      exhibit: p.exhibit,
      message: p.message,
      text: say(SUMMARY, lang, p.severity === 'error' ? 'problemError' : 'problemWarning', {
        code: p.code,
        seq: p.seq ?? undefined,
        exhibit: p.exhibit ?? undefined,
        message: p.message,
      }),
    })),
    anchors: v.anchors.map((a) => ({
      role: a.role,
      name: a.name,
      publicKey: a.publicKey,
      fingerprint: a.fingerprint,
      fingerprintGrouped: groupHex(a.fingerprint),
      matched: a.matched,
    })),
    checkpoint,
    actors: v.actors.map((a) => ({
      ...party(a),
      roles: [...a.roles],
      publicKey: a.publicKey,
      enrolledSeq: a.enrolledSeq,
      revokedSeq: a.revokedSeq ?? null,
    })),
    method: methodOf(meta, ident),
    scope: deriveScope(v, f, ident, custody, file, checkpoint),
    certification: certificationOf(v, meta, verdict, ident, generatedAt, file),
    validation: validationOf(meta, lang),
  };
  return model;
}
