/**
 * The report's non-conformities (ISO/IEC 17025:2017 §7.10; docs/CUSTODY-RULES.md
 * §Non-conformities): each one the verifier found opened on the exhibit
 * (src/bundle/verdict.ts `nonconformities`, decided by the same rules the
 * ledger applies), and for those no longer open, the `resolve` among the
 * timeline's notes that names it (`issue`, the opener's id) — its entry,
 * signer and action. Pure.
 *
 * The action is committed text from the record (attacker-controllable, as
 * every string of a bundle): the renderers escape it.
 */
import type { ExhibitVerdict } from '../bundle/verdict.js';
import { type Language, say } from './i18n.js';
import { NONCONFORMITIES } from './messages/nonconformities.js';
import { timeText } from './model-formatting.js';
import { party } from './model-party.js';
import type { Nonconformities, NonconformityRow } from './model-types.js';

/** The section, or null when no non-conformity was ever opened on the exhibit. */
export function nonconformitiesOf(v: ExhibitVerdict, lang: Language): Nonconformities | null {
  const list = v.nonconformities ?? [];
  if (list.length === 0) return null;
  const events = v.timeline?.events ?? [];
  const resolves = (v.timeline?.notes ?? []).filter((n) => n.kind === 'resolve');
  const rows = list.map((n): NonconformityRow => {
    const time = timeText(n.time, events.find((e) => e.seq === n.seq)?.tz ?? 'UTC');
    const r = n.open ? undefined : resolves.find((x) => x.details['issue'] === n.id);
    const resolvedAt = r ? timeText(r.time, r.tz) : null;
    const resolvedBy = r ? party(r.actor) : null;
    const action = r?.details['action'] ?? null;
    const seal = n.kind === 'seal-broken';
    const key = n.open ? (seal ? 'sealOpen' : 'digestOpen') : seal ? 'sealResolved' : 'digestResolved';
    return {
      seq: n.seq,
      kind: n.kind,
      time,
      open: n.open,
      resolvedSeq: r?.seq ?? null,
      resolvedAt,
      resolvedBy,
      action,
      text: say(NONCONFORMITIES, lang, key, {
        seq: n.seq,
        time: time.utc,
        rseq: r?.seq,
        rtime: resolvedAt?.utc,
        by: resolvedBy?.text,
        action: action ?? undefined,
      }),
    };
  });
  return { intro: say(NONCONFORMITIES, lang, 'intro'), rows };
}
