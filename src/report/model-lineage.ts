/**
 * Identification and lineage: the exhibit as registered, the exhibits it was
 * derived from (with their custody periods) and the copies derived from it.
 */

import type { ExhibitFacts, ExhibitVerdict } from '../bundle/verdict.js';
import { COMMON, type Language, say, sayCount } from './i18n.js';
import { LINEAGE } from './messages/custody.js';
import { EVIDENCE } from './messages/evidence.js';
import { periodRows } from './model-custody.js';
import { DIGEST_NAMES, digestRows, sizeText, timeText } from './model-formatting.js';
import { party } from './model-party.js';
import type { Custody, Identification, LineageRow } from './model-types.js';

/** The exhibit as registered. */
export function identification(x: ExhibitFacts, lang: Language): Identification {
  return {
    exhibitId: x.id,
    label: x.label,
    caseRef: x.caseRef,
    description: x.description,
    size: sizeText(x.size, lang),
    digests: digestRows(x.digests),
    registration: {
      seq: x.registeredSeq,
      time: timeText(x.registeredAt, x.registeredTz),
      by: party(x.registeredBy),
    },
    seal: x.seal ?? null,
    location: x.location ?? null,
    seizedAt: x.seizedAt === undefined ? null : timeText(x.seizedAt, x.registeredTz),
    parent: x.parent ?? null,
    evidence: evidenceText(x, lang),
  };
}

/**
 * What the registration says the evidence is, in words (register body version 2): a folder or a
 * segment set with its manifest, a device as the kernel had it, and the acquisition tool whose
 * digests were recorded beside the registrar's. Null for a plain file, or version 1.
 */
function evidenceText(x: ExhibitFacts, lang: Language): string | null {
  const e = x.evidence;
  if (!e) return null;
  const size = sizeText(x.size, lang).human;
  const yesNo = (v: string) => say(EVIDENCE, lang, v === 'yes' ? 'yes' : 'no');
  const parts: string[] = [];
  const counted = { size, root: e.manifest };
  if (e.type === 'directory' && e.entries !== undefined)
    parts.push(sayCount(EVIDENCE, lang, 'directory', e.entries, counted));
  if (e.type === 'segments' && e.entries !== undefined)
    parts.push(sayCount(EVIDENCE, lang, 'segments', e.entries, counted));
  if (e.type === 'device' && e.device)
    parts.push(
      say(EVIDENCE, lang, 'device', {
        model: e.device.model,
        readOnly: yesNo(e.device.readOnly),
        mounted: yesNo(e.device.mounted),
      }),
    );
  if (e.reported) parts.push(say(EVIDENCE, lang, 'reported', e.reported));
  return parts.length > 0 ? parts.join(say(COMMON, lang, 'listSeparator')) : null;
}

/** This exhibit, what it was derived from, and the copies derived from it (empty when none). */
export function lineage(v: ExhibitVerdict, custody: Custody, lang: Language): LineageRow[] {
  const rows: LineageRow[] = [];
  const x = v.exhibit;
  if (!x) return rows;
  const reg = (f: ExhibitFacts) => timeText(f.registeredAt, f.registeredTz);
  if (v.ancestors.length > 0 || custody.events.some((e) => e.derivedExhibit))
    rows.push({
      relation: 'this exhibit',
      exhibitId: x.id,
      label: x.label,
      caseRef: x.caseRef,
      registeredSeq: x.registeredSeq,
      registeredAt: reg(x),
      registeredBy: party(x.registeredBy),
      digests: digestRows(x.digests),
      text: say(LINEAGE, lang, 'self', {
        label: x.label,
        id: x.id,
        seq: x.registeredSeq,
        by: party(x.registeredBy).text,
        parent: x.parent,
      }),
      periods: [],
    });
  v.ancestors.forEach((a, i) => {
    const t = v.ancestorTimelines[i];
    const periods = t ? periodRows(t, lang) : [];
    rows.push({
      relation: 'derived from',
      exhibitId: a.id,
      label: a.label,
      caseRef: a.caseRef,
      registeredSeq: a.registeredSeq,
      registeredAt: reg(a),
      registeredBy: party(a.registeredBy),
      digests: digestRows(a.digests),
      // The first ancestor is this exhibit's source; each further one is the source of the one before.
      text: say(LINEAGE, lang, i === 0 ? 'parent' : 'grandparent', {
        label: a.label,
        id: a.id,
        seq: a.registeredSeq,
        on: reg(a).utc,
        by: party(a.registeredBy).text,
      }),
      periods,
    });
  });
  for (const e of custody.events) {
    if (!e.derivedExhibit) continue;
    const d = Object.fromEntries(e.details.map((r) => [r.key, r.value]));
    const digests: Record<string, string> = {};
    for (const alg of Object.keys(DIGEST_NAMES)) if (d[alg] !== undefined) digests[alg] = d[alg];
    rows.push({
      relation: 'derived copy',
      exhibitId: e.derivedExhibit,
      label: d['label'] ?? null,
      caseRef: d['case'] ?? null,
      registeredSeq: e.seq,
      registeredAt: e.time,
      registeredBy: e.actor,
      digests: digestRows(digests),
      text: say(LINEAGE, lang, 'copy', {
        label: d['label'],
        id: e.derivedExhibit,
        seq: e.seq,
        on: e.time.utc,
        by: e.actor.text,
      }),
      periods: [],
    });
  }
  return rows;
}
