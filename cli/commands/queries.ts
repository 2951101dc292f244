/** custody show | log | exhibits */
import type { Command } from 'commander';
import { exhibitOf } from '../../src/format/events.js';
import { durationText, timeText } from '../../src/report/model.js';
import { buildTimeline, type Timeline } from '../../src/report/timeline.js';
import { natural } from '../args.js';
import { resolveExhibit, withLedger } from '../context.js';
import type { Output } from '../io.js';

const at = (ms: number, tz?: string) => {
  const t = timeText(ms, tz ?? 'UTC');
  return tz && tz !== 'UTC' ? `${t.utc} (local ${t.local})` : t.utc;
};

import type { Runner } from '../program.js';

export function renderTimeline(t: Timeline, out: Output, header: string[]) {
  for (const h of header) out.line(h);
  out.line('');
  out.line('Custody periods:');
  for (const p of t.periods) {
    const who = `${p.holder.name} (${p.holder.org}, ${p.holder.jurisdiction})`;
    const end = p.until === null ? 'now' : at(p.until);
    const dur = p.until === null ? '' : `  [${durationText(p.until - p.from).text}]`;
    if (p.status === 'held') out.line(`  held by ${who}: ${at(p.from)} → ${end}${dur}`);
    else {
      const border =
        p.to && p.to.jurisdiction !== p.holder.jurisdiction
          ? ` ${p.holder.jurisdiction} → ${p.to.jurisdiction}`
          : '';
      out.line(
        `  in transit${border}: ${who} → ${p.to?.name}${p.legalBasis ? ` under ${p.legalBasis}` : ''}: ${at(p.from)} → ${end}${dur}`,
      );
    }
  }
  out.line('');
  out.line('Events:');
  for (const e of t.events) {
    out.line(
      `  #${e.seq} ${e.kind.toUpperCase()}${e.derived ? ` (derived copy ${e.derived})` : ''} by ${e.actor.name} (${e.actor.org}, ${e.actor.jurisdiction})`,
    );
    out.line(`      at ${at(e.time, e.tz)}`);
    for (const [k, v] of Object.entries(e.details)) out.line(`      ${k}: ${v}`);
  }
  out.line('');
  out.line(`Status: ${t.status}${t.holder ? `, holder ${t.holder.name} (${t.holder.id})` : ''}`);
}

export function queryCommands(program: Command, run: Runner) {
  run(
    program
      .command('show')
      .description('the custody timeline of an exhibit')
      .argument('<exhibit>', 'exhibit id or unique label'),
    async (input: string, _o: unknown, out: Output) => {
      await withLedger(out.opts, async (ledger) => {
        const id = await resolveExhibit(ledger, input);
        const x = (await ledger.exhibit(id))!;
        const history = await ledger.history(id);
        const actors = new Map((await ledger.actors()).map((a) => [a.id, a]));
        const t = buildTimeline(
          id,
          history.map((r) => r.payload),
          actors,
        );
        const json = {
          exhibit: id,
          label: x.label,
          caseRef: x.caseRef,
          holder: x.holder,
          state: x.status,
          parent: x.parent ?? null,
          digestMismatches: x.mismatches,
          events: t.events.map((e) => ({
            seq: e.seq,
            kind: e.kind,
            time: new Date(e.time).toISOString(),
            tz: e.tz,
            actor: e.actor.id,
            actorName: e.actor.name,
            jurisdiction: e.actor.jurisdiction,
            org: e.actor.org,
            ...(e.derived ? { derived: e.derived } : {}),
            details: e.details,
          })),
          periods: t.periods.map((p) => ({
            holder: p.holder.id,
            status: p.status,
            from: new Date(p.from).toISOString(),
            until: p.until === null ? null : new Date(p.until).toISOString(),
            ...(p.to ? { to: p.to.id } : {}),
            ...(p.legalBasis ? { legalBasis: p.legalBasis } : {}),
          })),
        };
        out.result(json, () =>
          renderTimeline(t, out, [
            `Exhibit ${id} — ${x.label}, case ${x.caseRef}`,
            ...(x.parent ? [`Derived from ${x.parent}`] : []),
            ...(x.mismatches.length
              ? [`WARNING: digest mismatch recorded at entries ${x.mismatches.join(', ')}`]
              : []),
          ]),
        );
      });
    },
  );

  run(
    program
      .command('log')
      .description('list ledger entries')
      .option('--from <seq>', 'first entry', natural('--from'), 0)
      .option('--limit <n>', 'most entries to list', natural('--limit'), 50),
    async (o: { from: number; limit: number }, out: Output) => {
      await withLedger(out.opts, async (ledger) => {
        const actors = new Map((await ledger.actors()).map((a) => [a.id, a]));
        const entries: {
          seq: number;
          kind: string;
          actor: string;
          actorName: string;
          time: string;
          tz: string;
          exhibit?: string;
        }[] = [];
        for (let s = o.from; s < Math.min(ledger.size, o.from + o.limit); s++) {
          const p = (await ledger.get(s)).payload;
          const exhibit = exhibitOf(p);
          entries.push({
            seq: s,
            kind: p.kind,
            actor: p.actor,
            actorName: actors.get(p.actor)?.name ?? '?',
            time: new Date(p.time).toISOString(),
            tz: p.tz,
            ...(exhibit ? { exhibit } : {}),
          });
        }
        out.result({ size: ledger.size, entries }, () => {
          for (const e of entries)
            out.line(
              `${String(e.seq).padStart(6)}  ${e.time}  ${e.kind.padEnd(8)}  ${e.exhibit ?? ''.padEnd(14)}  ${e.actorName}`,
            );
          out.note(`${entries.length} of ${ledger.size} entries`);
        });
      });
    },
  );

  run(
    program.command('exhibits').description('list exhibits with their holder and state'),
    async (_o: unknown, out: Output) => {
      await withLedger(out.opts, async (ledger) => {
        const actors = new Map((await ledger.actors()).map((a) => [a.id, a]));
        const list = (await ledger.exhibits()).map((x) => ({
          exhibit: x.id,
          label: x.label,
          caseRef: x.caseRef,
          holder: x.holder,
          holderName: actors.get(x.holder)?.name ?? '?',
          state: x.status,
          events: x.events,
          ...(x.parent ? { parent: x.parent } : {}),
        }));
        out.result({ exhibits: list }, () => {
          for (const x of list)
            out.line(
              `${x.exhibit}  ${x.state.padEnd(10)}  ${x.label.padEnd(12)}  ${x.caseRef}  held by ${x.holderName}`,
            );
          if (list.length === 0) out.note('no exhibits registered yet');
        });
      });
    },
  );
}
