/** custody show | log | exhibits */
import type { Command } from 'commander';
import { equalBytes } from '../../src/bytes.js';
import { disclosuresOf } from '../../src/custody/disclosures.js';
import { erasuresOf } from '../../src/custody/erasures.js';
import { confirmingLedger } from '../../src/custody/foreign-rules.js';
import { recordedIntegrity } from '../../src/custody/integrity.js';
import type { ExhibitState } from '../../src/custody/records.js';
import type { Timeline } from '../../src/custody/timeline.js';
import { actorDirectory, buildTimelineV2, type ShownStatement } from '../../src/custody/timeline-v2.js';
import { CustodyError } from '../../src/errors.js';
import { isJurisdiction } from '../../src/format/jurisdiction.js';
import { type KeyPurpose, keyIdOf } from '../../src/format/key-id.js';
import { wireKey } from '../../src/format/kinds.js';
import { recordId } from '../../src/format/log-record.js';
import type { Openings } from '../../src/format/openings.js';
import type { Statement } from '../../src/format/statement.js';
import type { LedgerView, LoggedStatement } from '../../src/ledger/ledger-view.js';
import { labelKey } from '../../src/names/keys.js';
import { durationText, timeText } from '../../src/report/model.js';
import { natural } from '../args.js';
import {
  exhibitShort,
  keyShort,
  resolveExhibit,
  resolveKey,
  statementKeyId,
  withLedger,
  withReader,
} from '../context.js';
import { hex, type Output } from '../io.js';
import { issueJson, issueText } from './resolve.js';

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
    out.line(
      `      at ${at(e.time, e.tz)}; logged ${new Date(e.loggedAt).toISOString().replace('T', ' ').replace('Z', ' UTC')}`,
    );
    for (const [k, v] of Object.entries(e.details)) out.line(`      ${k}: ${v}`);
  }
  out.line('');
  out.line(`Status: ${t.status}${t.holder ? `, holder ${t.holder.name} (${t.holder.id})` : ''}`);
}

/** What the timeline builder reads: a logged statement with its revealed cleartext. */
export const shown = (l: LoggedStatement): ShownStatement => ({
  index: l.index,
  logTime: l.logTime,
  id: l.id,
  statement: l.statement,
  opened: Object.fromEntries(Object.entries(l.openings).map(([k, o]) => [k, o.value])),
  ...(l.foreign ? { foreign: true as const } : {}),
  ...confirmation(l),
});

/** A cancel confirmation's confirming ledger, decoded once (for the timeline). */
function confirmation(l: LoggedStatement): { confirmedBy?: string } {
  const by = l.foreign ? confirmingLedger(l.foreign.payload) : undefined;
  return by === undefined ? {} : { confirmedBy: by };
}

/** The timeline of an exhibit as the ledger holds it now, with everyone who may appear in it. */
export async function exhibitTimeline(view: LedgerView, id: Uint8Array): Promise<Timeline> {
  const actors = actorDirectory((await view.ledgerStatements()).map(shown));
  return buildTimelineV2(id, (await view.history(id)).map(shown), actors);
}

/** "name (K-…)" where the name is known in clear, else the key id alone. */
const nameAndId = (name: string | undefined, id: Uint8Array) =>
  name === undefined ? keyShort(id) : `${name} (${keyShort(id)})`;

/**
 * The names this ledger holds in clear, by statement key id, read once per key: an enrolled
 * actor's from its enrolment's opening (undefined where the opening is missing: erased, or a
 * PostgreSQL ledger read without openings), the authority's (its organisation, in clear in
 * genesis) from `names`.
 */
function knownNames(view: LedgerView, names: ReadonlyMap<string, string>) {
  const cache = new Map<string, string | undefined>();
  return async (id: Uint8Array): Promise<string | undefined> => {
    const k = hex(id);
    if (cache.has(k)) return cache.get(k);
    const record = await view.key(id);
    let name: string | undefined;
    if (record) {
      const s = await view.statementAt(record.enrolledAt);
      name = s.statement.kind === 'enrol' ? s.openings['name']?.value : names.get(k);
    }
    cache.set(k, name);
    return name;
  };
}

/** Each exhibit's label and case, from its registration, read once per exhibit. */
function exhibitLabels(view: LedgerView) {
  const cache = new Map<string, { label: string; caseRef: string } | undefined>();
  return async (id: Uint8Array) => {
    const k = hex(id);
    if (cache.has(k)) return cache.get(k);
    let found: { label: string; caseRef: string } | undefined;
    if (await view.exhibit(id)) {
      const body = (await view.registration(id)).statement.body;
      found = { label: body['label'] as string, caseRef: body['caseRef'] as string };
    }
    cache.set(k, found);
    return found;
  };
}

/** The key an enrolment enrols (of its purpose), with its name where the opening is held. */
function enrolledKey(body: Statement['body'], openings: Openings): { id: Uint8Array; name?: string } {
  const id = keyIdOf(wireKey(body['key']), body['purpose'] as KeyPurpose);
  const name = openings['name']?.value;
  return name === undefined ? { id } : { id, name };
}

export function queryCommands(program: Command, run: Runner) {
  run(
    program
      .command('show')
      .description('the custody timeline of an exhibit')
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label'),
    async (input: string, _o: unknown, out: Output) => {
      await withLedger(out.opts, async ({ view }) => {
        const id = await resolveExhibit(view, input);
        const x = (await view.exhibit(id))!;
        const reg = (await view.registration(id)).statement;
        const history = await view.history(id);
        const t = await exhibitTimeline(view, id);
        const actors = actorDirectory((await view.ledgerStatements()).map(shown));
        const disclosures = disclosuresOf(id, history.map(shown), actors).map((d) => ({
          index: d.seq,
          time: new Date(d.time).toISOString(),
          loggedAt: new Date(d.loggedAt).toISOString(),
          by: d.by.id,
          byName: d.by.name,
          recipient: d.recipient,
          profile: d.profile,
          legalBasis: d.legalBasis,
          fields: d.fields,
          bundle: d.bundle,
          ...(d.manifest ? { manifest: d.manifest } : {}),
        }));
        const erasures = erasuresOf(id, history.map(shown), actors).map((e) => ({
          index: e.seq,
          time: new Date(e.time).toISOString(),
          loggedAt: new Date(e.loggedAt).toISOString(),
          by: e.by.id,
          byName: e.by.name,
          fields: e.fields,
          ground: e.ground,
        }));
        const holds = (await view.holds(id)).map(([hold, fields, recipients]) => ({
          hold: hex(hold),
          fields,
          recipients,
        }));
        const open = await view.nonconformities(id);
        const label = reg.body['label'] as string;
        const caseRef = reg.body['caseRef'] as string;
        const mismatches = recordedIntegrity(
          id,
          reg.body['digests'] as Record<string, Uint8Array>,
          history,
        ).mismatches;
        const json = {
          exhibit: exhibitShort(id),
          exhibitId: hex(id),
          label,
          caseRef,
          holder: keyShort(x.holder),
          state: x.state,
          parent: x.parent ? exhibitShort(x.parent) : null,
          digestMismatches: mismatches,
          events: t.events.map((e) => ({
            index: e.seq,
            kind: e.kind,
            time: new Date(e.time).toISOString(),
            loggedAt: new Date(e.loggedAt).toISOString(),
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
          disclosures,
          holds,
          erasures,
          nonconformities: open.map(issueJson),
        };
        out.result(json, () => {
          renderTimeline(t, out, [
            `Exhibit ${exhibitShort(id)} — ${label}, case ${caseRef}`,
            ...(x.parent ? [`Derived from ${exhibitShort(x.parent)}`] : []),
            ...(mismatches.length
              ? [`WARNING: digest mismatch recorded at entries ${mismatches.join(', ')}`]
              : []),
          ]);
          if (open.length > 0) {
            out.line('');
            out.line('Open non-conformities (custody resolve closes one):');
            for (const n of open) out.line(`  ${issueText(n)}, at ${new Date(n.time).toISOString()}`);
          }
          if (holds.length > 0) {
            out.line('');
            out.line('Legal holds (restricted personal data):');
            for (const h of holds)
              out.line(
                `  ${h.fields.length ? h.fields.join(', ') : 'every field'}, disclosed only to: ${h.recipients.join(', ') || 'nobody'} (hold ${h.hold})`,
              );
          }
          if (erasures.length > 0) {
            out.line('');
            out.line('Erasures:');
            for (const e of erasures)
              out.line(
                `  #${e.index} ${e.fields.join(', ')} erased by ${e.byName} at ${e.time}: ${e.ground}`,
              );
          }
          if (disclosures.length === 0) return;
          out.line('');
          out.line('Disclosures (exports of this record):');
          for (const d of disclosures) {
            out.line(`  #${d.index} to ${d.recipient} (${d.profile}) by ${d.byName}, under ${d.legalBasis}`);
            out.line(`      at ${d.time}; logged ${d.loggedAt}`);
            out.line(`      disclosed: ${d.fields.join(', ') || 'nothing'}; bundle sha256 ${d.bundle}`);
            if (d.manifest)
              out.line(`      with the folder's manifest (root ${d.manifest}): every file's path`);
          }
        });
      });
    },
  );

  run(
    program
      .command('log')
      .description('list ledger entries')
      .option('--from <index>', 'first entry', natural('--from'), 0)
      .option('--limit <n>', 'most entries to list', natural('--limit'), 50),
    async (o: { from: number; limit: number }, out: Output) => {
      await withReader(out.opts, async ({ view }) => {
        const { size } = await view.head();
        const names = new Map((await view.actors()).map((a) => [hex(a.id), a.name]));
        const known = knownNames(view, names);
        const labelOf = exhibitLabels(view);
        let origin: string | undefined;
        const entries: {
          index: number;
          id: string;
          kind: string;
          signer: string;
          signerName: string;
          signerShown: string;
          time: string;
          logTime: string;
          tz: string;
          exhibit?: string;
          label?: string;
          caseRef?: string;
          actor?: string;
          actorShown?: string;
        }[] = [];
        for (let i = o.from; i < Math.min(size, o.from + o.limit); i++) {
          const l = await view.entryAt(i);
          if ('record' in l) {
            // A log record (FORMAT.md §Log records): the log archived one of its checkpoints, or
            // handed a peer a segment at its signed request.
            const logTime = new Date(l.logTime).toISOString();
            const signerName =
              l.record.kind === 'disclosure'
                ? `the log, for ${l.record.requester}`
                : l.record.timestamp
                  ? 'the log (with an RFC 3161 token)'
                  : 'the log';
            entries.push({
              index: i,
              id: hex(recordId(l.bytes)),
              kind: l.record.kind,
              signer: '',
              signerName,
              signerShown: signerName,
              time: logTime,
              logTime,
              tz: 'UTC',
            });
            continue;
          }
          const s = l.statement;
          const signer = statementKeyId(s.signer.key.publicKey);
          const exhibit =
            s.kind === 'register' ? l.id : s.exhibit instanceof Uint8Array ? s.exhibit : undefined;
          const labelled = exhibit ? await labelOf(exhibit) : undefined;
          // A peer's statement carried here is signed by an actor of that ledger, known here by id
          // only; a cancel confirmation carried back is this ledger's own (its origin is ours).
          origin ??= l.foreign ? (await view.ledger()).origin : undefined;
          const shownSigner = l.foreign && s.origin !== origin ? undefined : await known(signer);
          const enrolled = s.kind === 'enrol' ? enrolledKey(s.body, l.openings) : undefined;
          entries.push({
            index: i,
            id: hex(l.id),
            kind: s.kind,
            signer: keyShort(signer),
            signerName: names.get(hex(signer)) ?? '?',
            signerShown: nameAndId(shownSigner, signer),
            time: new Date(s.time).toISOString(),
            logTime: new Date(l.logTime).toISOString(),
            tz: s.tz,
            ...(exhibit ? { exhibit: exhibitShort(exhibit) } : {}),
            ...(labelled ?? {}),
            ...(enrolled
              ? { actor: keyShort(enrolled.id), actorShown: nameAndId(enrolled.name, enrolled.id) }
              : {}),
          });
        }
        out.result({ size, entries }, () => {
          for (const e of entries) {
            const about = e.exhibit
              ? `${e.exhibit} ${e.label ?? ''}`
              : e.actorShown
                ? `enrols ${e.actorShown}`
                : '';
            out.line(
              `${String(e.index).padStart(6)}  ${e.time}  ${e.kind.padEnd(8)}  ${about.padEnd(30)}  ${e.signerShown}`,
            );
          }
          out.note(`${entries.length} of ${size} entries`);
        });
      });
    },
  );

  run(
    program
      .command('exhibits')
      .description('list exhibits with their holder and state')
      .option('--case <ref>', 'only the exhibits of this case (matched as a label is: NFC, in either case)')
      .option('--holder <name | key id>', 'only the exhibits this actor holds (or is handing over)')
      .option('--state <state>', `only the exhibits in this state: ${EXHIBIT_STATES.join(' | ')}`)
      .option(
        '--jurisdiction <code>',
        'only the exhibits whose holder is enrolled in this jurisdiction (ISO 3166-1 alpha-2, or EU, XK)',
      )
      .option(
        '--open-issues',
        'only the exhibits with open non-conformities (a broken seal, a digest mismatch), each listed',
      ),
    async (o: ExhibitFilters, out: Output) => {
      const state = stateFilter(o.state);
      const jurisdiction = jurisdictionFilter(o.jurisdiction);
      await withLedger(out.opts, async ({ view }) => {
        const actors = new Map((await view.actors()).map((a) => [hex(a.id), a]));
        const labels = new Map((await view.labels()).map((x) => [hex(x.id), x]));
        // An unknown or ambiguous holder is an error, not an empty list: a typo must not read as "holds nothing".
        const holder = o.holder === undefined ? undefined : await resolveKey(view, o.holder);
        const caseKey = o.case === undefined ? undefined : labelKey(o.case);
        // Read only when asked: listing them is O(exhibits with a record), from the map-checked state.
        const issues = o.openIssues
          ? new Map((await view.allNonconformities()).map((n) => [hex(n.exhibit), n.open]))
          : undefined;
        const list = (await view.exhibits())
          .map(({ id, record: x }) => {
            // A holder of a peer ledger (holderOrigin) is not an actor of this one, whatever its id.
            const actor = x.holderOrigin ? undefined : actors.get(hex(x.holder));
            return {
              exhibit: exhibitShort(id),
              exhibitId: hex(id),
              label: labels.get(hex(id))?.label ?? '?',
              caseRef: labels.get(hex(id))?.caseRef ?? '?',
              holder: keyShort(x.holder),
              holderName:
                actor?.name ?? (x.holderOrigin ? `${keyShort(x.holder)} of ${x.holderOrigin}` : '?'),
              ...(actor ? { holderJurisdiction: actor.record.jurisdiction } : {}),
              state: x.state,
              lastEvent: x.at,
              ...(x.parent ? { parent: exhibitShort(x.parent) } : {}),
              local: x.holderOrigin === undefined,
              holderId: x.holder,
              open: issues?.get(hex(id)) ?? [],
            };
          })
          .filter(
            (x) =>
              (caseKey === undefined || labelKey(x.caseRef) === caseKey) &&
              (state === undefined || x.state === state) &&
              (holder === undefined || (x.local && equalBytes(x.holderId, holder))) &&
              (jurisdiction === undefined || x.holderJurisdiction === jurisdiction) &&
              (issues === undefined || x.open.length > 0),
          );
        const json = list.map(({ local: _local, holderId: _holderId, open, ...x }) =>
          issues ? { ...x, nonconformities: open.map(issueJson) } : x,
        );
        out.result({ exhibits: json }, () => {
          for (const x of list) {
            out.line(
              `${x.exhibit}  ${x.state.padEnd(10)}  ${x.label.padEnd(12)}  ${x.caseRef}  held by ${x.holderName}`,
            );
            if (issues)
              for (const n of x.open)
                out.line(`    open: ${issueText(n)}, at ${new Date(n.time).toISOString()}`);
          }
          const filtered = (o.case ?? o.holder ?? o.state ?? o.jurisdiction) !== undefined;
          if (list.length === 0)
            out.note(
              o.openIssues
                ? `no exhibit${filtered ? ' that matches' : ''} has an open non-conformity`
                : filtered
                  ? 'no exhibit matches'
                  : 'no exhibits registered yet',
            );
        });
      });
    },
  );
}

/** `custody exhibits` filters; all given must hold (docs/CLI.md §custody exhibits). */
interface ExhibitFilters {
  case?: string;
  holder?: string;
  state?: string;
  jurisdiction?: string;
  openIssues?: boolean;
}

/** Every state an exhibit record may be in (src/custody/records.ts). */
const EXHIBIT_STATES = ['held', 'pending', 'away', 'disposed'] as const satisfies readonly ExhibitState[];
// The compiler refuses this line if a state is added to ExhibitState and not to the list above.
const _everyState: [Exclude<ExhibitState, (typeof EXHIBIT_STATES)[number]>] extends [never] ? true : never =
  true;

function stateFilter(v: string | undefined): ExhibitState | undefined {
  if (v === undefined) return undefined;
  const s = EXHIBIT_STATES.find((x) => x === v);
  if (s === undefined)
    throw new CustodyError('USAGE', `--state must be one of ${EXHIBIT_STATES.join(', ')}`, 'input');
  return s;
}

/** A jurisdiction code typed in either case; refused unless the ledger could hold it. */
function jurisdictionFilter(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const code = v.replace(/[a-z]/g, (c) => c.toUpperCase());
  if (!isJurisdiction(code))
    throw new CustodyError(
      'USAGE',
      `--jurisdiction ${v} is not an ISO 3166-1 alpha-2 code (or EU, XK)`,
      'input',
    );
  return code;
}
