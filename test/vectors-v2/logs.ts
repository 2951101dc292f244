/**
 * logs.json: a short valid v2 log built with the Sequencer, every entry and
 * payload with the tree root and map root after it, and invalid logs — each a
 * small edit of the valid one — with the problems replayEntries reports
 * (docs/FORMAT.md §Entries, docs/CUSTODY-RULES.md §What the replay adds).
 */
import { toHex } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { type Canonical, encodeCanonical } from '../../src/format/canonical.js';
import { decodeEntry, type Entry, encodeEntry, PAYLOAD_TYPES } from '../../src/format/entry.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { KINDS_V2 } from '../../src/format/kinds.js';
import { commitFields, encodeOpenings } from '../../src/format/openings.js';
import { ed25519Key, signStatement } from '../../src/format/sign-statement.js';
import { decodeSignedStatement, encodeSignedStatement, type Statement } from '../../src/format/statement.js';
import { Sequencer } from '../../src/ledger/sequencer.js';
import { MerkleFrontier } from '../../src/merkle/frontier.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { type LoggedItem, replayEntries } from '../../src/verify/entries.js';
import { type Made, make, ORIGIN, seededRandom, T0 } from '../format/v2-fixtures.js';
import type { Json } from './json.js';
import { describeKeys, type NamedKey, namedKey } from './keys.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** How long after a statement's time the log integrates it. */
const LAG = 1_500;
export const FOREIGN_ORIGIN = 'ledger.bka.example/2026';

export const LOG_KEYS = {
  authority: namedKey('authority', 'v2 vectors authority'),
  log: namedKey('log', 'v2 vectors log', KEY_PURPOSES.log),
  registrar: namedKey('registrar', 'v2 vectors registrar'),
  nlCollector: namedKey('nl-collector', 'v2 vectors nl collector'),
  nlExaminer: namedKey('nl-examiner', 'v2 vectors nl examiner'),
  deCustodian: namedKey('de-custodian', 'v2 vectors de custodian'),
  newAuthority: namedKey('new-authority', 'v2 vectors new authority'),
} satisfies Record<string, NamedKey>;
const Kl = LOG_KEYS;
const idOf = (k: NamedKey) => keyIdOf(ed25519Key(k.signer.publicKey), KEY_PURPOSES.statement);
const digest = (s: string) => ({ sha256: sha256(new TextEncoder().encode(s)) });

export interface LogEntry {
  index: number;
  name: string;
  kind: string;
  description: string;
  made: Made;
  /** What the signer signed at (the statement's time) and when the log integrated it. */
  logTime: number;
  entry: Uint8Array;
  payload: Uint8Array;
  leafHash: Uint8Array;
  treeRoot: Uint8Array;
  mapRoot: Uint8Array;
}

function sign(
  name: string,
  kind: string,
  signer: NamedKey,
  fields: Record<string, Canonical | undefined>,
  links: { exhibit?: Uint8Array; after?: Uint8Array; seen?: { size: number; root: Uint8Array } },
  time: number,
  cosigners: NamedKey[] = [],
): Made {
  return make(kind, signer.signer, fields, links, {
    time,
    cosigners: cosigners.map((k) => k.signer),
    random: seededRandom(`vectors-v2 log ${name}`),
  });
}

export interface BuiltLog {
  entries: LogEntry[];
  seq: Sequencer;
  ids: { exhibit: Uint8Array; copy: Uint8Array; ledgerHead: Uint8Array };
}

/** The valid log: built by the Sequencer, with a clock the generator sets before each submission. */
export async function buildValidLog(): Promise<BuiltLog> {
  const clock = { t: 0 };
  const seq = new Sequencer(() => clock.t);
  const entries: LogEntry[] = [];
  const submit = async (name: string, description: string, m: Made, logTime: number) => {
    clock.t = logTime;
    const r = await seq.submit(m.bytes);
    if (!r.ok) throw new Error(`${name} refused: ${r.violation.code} ${r.violation.message}`);
    entries.push({
      index: r.index,
      name,
      kind: m.statement.kind,
      description,
      made: m,
      logTime,
      entry: r.entry,
      payload: r.payload,
      leafHash: r.leafHash,
      treeRoot: seq.frontier.root(),
      mapRoot: seq.state.map.root,
    });
    return m;
  };
  const seen = async (size: number) => ({ size, root: await seq.rootAt(size) });
  const enrol = async (
    name: string,
    by: NamedKey,
    who: NamedKey,
    roles: string[],
    jurisdiction: string,
    person: string,
    org: string,
    after: Uint8Array,
    seenSize: number,
    time: number,
  ) =>
    submit(
      name,
      `${by.name} enrols ${who.name} (${roles.join(', ')}, ${jurisdiction}), made against the checkpoint of size ${seenSize}`,
      sign(
        name,
        'enrol',
        by,
        {
          key: [KEY_TYPES.ed25519, who.signer.publicKey],
          purpose: KEY_PURPOSES.statement,
          roles,
          jurisdiction,
          name: person,
          org,
        },
        { after, seen: await seen(seenSize) },
        time,
      ),
      time + LAG,
    );

  const g = await submit(
    'genesis',
    'founds the ledger; the authority key signs, the log key is named',
    sign(
      'genesis',
      'genesis',
      Kl.authority,
      {
        name: 'NFI evidence ledger',
        jurisdiction: 'NL',
        org: 'Netherlands Forensic Institute',
        logKey: [KEY_TYPES.ed25519, Kl.log.signer.publicKey],
      },
      {},
      T0,
    ),
    T0 + LAG,
  );
  const e1 = await enrol(
    'enrol-registrar',
    Kl.authority,
    Kl.registrar,
    ['registrar'],
    'NL',
    'R. Registrar',
    'Netherlands Forensic Institute',
    g.id,
    1,
    T0 + MIN,
  );
  const e2 = await enrol(
    'enrol-nl-collector',
    Kl.registrar,
    Kl.nlCollector,
    ['collector', 'custodian'],
    'NL',
    'Insp. J. de Vries',
    'Politie Amsterdam',
    e1.id,
    2,
    T0 + 2 * MIN,
  );
  const e3 = await enrol(
    'enrol-nl-examiner',
    Kl.registrar,
    Kl.nlExaminer,
    ['examiner'],
    'NL',
    'Dr. A. Jansen',
    'Netherlands Forensic Institute',
    e2.id,
    2,
    T0 + 3 * MIN,
  );
  const e4 = await enrol(
    'enrol-de-custodian',
    Kl.registrar,
    Kl.deCustodian,
    ['custodian', 'examiner'],
    'DE',
    'KHK K. M\u00fcller',
    'Bundeskriminalamt',
    e3.id,
    4,
    T0 + 4 * MIN,
  );
  const regTime = T0 + 2 * HOUR;
  const reg = await submit(
    'register',
    'the NL collector registers HDD-01, signed offline at the seizure and submitted two hours later',
    sign(
      'register',
      'register',
      Kl.nlCollector,
      {
        label: 'HDD-01',
        caseRef: 'NL-2026-0042',
        description: "Seagate 2 TB disk from the suspect's desk.\nSealed in bag NL-0041187.",
        digests: digest('HDD-01 image'),
        size: 2_000_398_934_016,
        seal: 'NL-0041187',
        location: 'Keizersgracht 1, Amsterdam',
        seizedAt: regTime - 30 * MIN,
      },
      {},
      regTime,
    ),
    regTime + 2 * HOUR,
  );
  const t1 = T0 + 5 * HOUR;
  const transfer = await submit(
    'transfer',
    'the NL collector hands HDD-01 to the DE custodian, across the border, naming the legal basis',
    sign(
      'transfer',
      'transfer',
      Kl.nlCollector,
      {
        to: idOf(Kl.deCustodian),
        reason: 'Execution of the European Investigation Order',
        method: 'courier',
        seal: 'NL-0041187',
        legalBasis: 'EIO DE-2026-0042',
      },
      { exhibit: reg.id, after: reg.id },
      t1,
    ),
    t1 + LAG,
  );
  const t2 = T0 + DAY;
  const accept = await submit(
    'accept',
    'the DE custodian accepts: re-hashed, seal intact',
    sign(
      'accept',
      'accept',
      Kl.deCustodian,
      { digests: digest('HDD-01 image'), seal: 'intact', note: 'Received sealed; bag undamaged.' },
      { exhibit: reg.id, after: transfer.id },
      t2,
    ),
    t2 + LAG,
  );
  const t3 = T0 + 2 * DAY;
  const examine = await submit(
    'examine',
    'the DE custodian (also an examiner) examines HDD-01',
    sign(
      'examine',
      'examine',
      Kl.deCustodian,
      { action: 'Imaged the disk; carved deleted files.', tool: 'X-Ways Forensics 21.0' },
      { exhibit: reg.id, after: accept.id },
      t3,
    ),
    t3 + LAG,
  );
  const t4 = t3 + MIN;
  const copy = await submit(
    'register-derived',
    'the DE custodian registers a working copy: a new exhibit, and the next statement of HDD-01',
    sign(
      'register-derived',
      'register',
      Kl.deCustodian,
      {
        label: 'HDD-01-W1',
        caseRef: 'NL-2026-0042',
        description: 'Working copy of HDD-01',
        digests: digest('HDD-01 image'),
        size: 2_000_398_934_016,
      },
      { exhibit: reg.id, after: examine.id },
      t4,
    ),
    t4 + LAG,
  );
  const t5 = T0 + 10 * DAY;
  await submit(
    'dispose',
    'the DE custodian destroys the working copy',
    sign(
      'dispose',
      'dispose',
      Kl.deCustodian,
      { method: 'destroyed', reason: 'Analysis finished', recipient: 'Shredder room B' },
      { exhibit: copy.id, after: copy.id },
      t5,
    ),
    t5 + LAG,
  );
  const t6 = T0 + 11 * DAY;
  const rotate = await submit(
    'rotate',
    'the authority hands over to a new key, which co-signs; made against the checkpoint of the whole log',
    sign(
      'rotate',
      'rotate',
      Kl.authority,
      { key: [KEY_TYPES.ed25519, Kl.newAuthority.signer.publicKey] },
      { after: e4.id, seen: await seen(11) },
      t6,
      [Kl.newAuthority],
    ),
    t6 + LAG,
  );
  return { entries, seq, ids: { exhibit: reg.id, copy: copy.id, ledgerHead: rotate.id } };
}

// ---------------------------------------------------------------------------
// Invalid logs

export type Change =
  | { op: 'replace'; index: number; entry?: Uint8Array; payload?: Uint8Array }
  | { op: 'insert'; index: number; entry: Uint8Array; payload: Uint8Array };

export interface InvalidLog {
  name: string;
  description: string;
  changes: Change[];
  expected: [number, string][];
}

/** The valid log with `changes` applied in order. */
export function applyChanges(valid: readonly LoggedItem[], changes: readonly Change[]): LoggedItem[] {
  const items = valid.map((x) => ({ ...x }));
  for (const c of changes) {
    if (c.op === 'insert') items.splice(c.index, 0, { entry: c.entry, payload: c.payload });
    else {
      const it = items[c.index]!;
      items[c.index] = { entry: c.entry ?? it.entry, payload: c.payload ?? it.payload };
    }
  }
  return items;
}

export async function invalidLogs(log: BuiltLog): Promise<InvalidLog[]> {
  const E = log.entries;
  const decoded = (i: number): Entry => decodeEntry(E[i]!.entry).entry;
  const reEntry = (i: number, patch: Partial<Entry>) => encodeEntry({ ...decoded(i), ...patch });
  const last = E[E.length - 1]!;
  const n = E.length;
  /** An entry appended after the valid log, committing to `payload`, with the map root unchanged. */
  const appended = (payload: Uint8Array, payloadType: number = PAYLOAD_TYPES.statement): Change => ({
    op: 'insert',
    index: n,
    entry: encodeEntry({
      index: n,
      time: last.logTime + MIN,
      mapRoot: last.mapRoot,
      payloadType,
      payloadHash: sha256(payload),
    }),
    payload,
  });
  const out: InvalidLog[] = [];
  /** The rotation (entry 11) names the checkpoint of size 11: any edit of entries 0..10 makes it refused. */
  const seenLost: [number, string][] = [
    [n - 1, 'SEEN_MISMATCH'],
    [n - 1, 'MAP_ROOT_MISMATCH'],
  ];
  const add = (name: string, description: string, changes: Change[], expected: [number, string][]) =>
    out.push({ name, description, changes, expected });

  add(
    'swapped-payloads',
    'the payloads of entries 10 and 11 swapped: neither matches its entry, so neither is judged, and neither map root is ' +
      'reached; the divergence is reported where it starts (entry 10), not again at entry 11',
    [
      { op: 'replace', index: 10, payload: E[11]!.payload },
      { op: 'replace', index: 11, payload: E[10]!.payload },
    ],
    [
      [10, 'PAYLOAD_HASH_MISMATCH'],
      [10, 'MAP_ROOT_MISMATCH'],
      [11, 'PAYLOAD_HASH_MISMATCH'],
    ],
  );
  add(
    'edited-map-root',
    "entry 7 (accept) carries entry 6's map root, as if the accept changed nothing. The edit changes entry 7's leaf, so the " +
      'tree of size 11 is not the checkpoint the rotation (entry 11) names in seen: refused, its map root not reached',
    [{ op: 'replace', index: 7, entry: reEntry(7, { mapRoot: E[6]!.mapRoot }) }],
    [[7, 'MAP_ROOT_MISMATCH'], ...seenLost],
  );
  add(
    'time-regression',
    "entry 9's log time is 1 ms before entry 8's (and the rotation's seen no longer matches, as for every edit before it)",
    [{ op: 'replace', index: 9, entry: reEntry(9, { time: E[8]!.logTime - 1 }) }],
    [[9, 'ENTRY_TIME_REGRESSION'], ...seenLost],
  );
  add(
    'wrong-index',
    "entry 5 says index 6 (and the rotation's seen no longer matches)",
    [{ op: 'replace', index: 5, entry: reEntry(5, { index: 6 }) }],
    [[5, 'ENTRY_INDEX_MISMATCH'], ...seenLost],
  );
  add(
    'truncated-entry',
    'the last entry without its last byte: undecodable (its leaf is still in the tree)',
    [{ op: 'replace', index: n - 1, entry: last.entry.slice(0, -1) }],
    [[n - 1, 'ENTRY_MALFORMED']],
  );
  const dispose = decodeSignedStatement(E[10]!.payload);
  const flipped = dispose.signatures[0]!.slice();
  flipped[10]! ^= 0x04;
  const badSig = encodeSignedStatement(dispose.tbs, [flipped]);
  add(
    'bad-signature',
    "entry 10's statement with one bit of its signature flipped, and the entry's payload hash updated to match: refused, " +
      "so its map root is not reached; the rotation's seen no longer matches the edited log (the map roots, already apart " +
      'since entry 10, are not reported again)',
    [{ op: 'replace', index: 10, entry: reEntry(10, { payloadHash: sha256(badSig) }), payload: badSig }],
    [
      [10, 'STATEMENT_SIGNATURE_INVALID'],
      [10, 'MAP_ROOT_MISMATCH'],
      [n - 1, 'SEEN_MISMATCH'],
    ],
  );

  // A transfer by someone who does not hold the exhibit, correctly signed and wrapped.
  const appendTime = last.logTime + MIN - LAG;
  const byNonHolder = make(
    'transfer',
    Kl.nlCollector.signer,
    { to: idOf(Kl.nlExaminer), reason: 'Second opinion' },
    { exhibit: log.ids.exhibit, after: log.ids.copy },
    { time: appendTime, random: seededRandom('vectors-v2 log non-holder appended') },
  );
  add(
    'non-holder-appended',
    "appended: a transfer of HDD-01 by the NL collector, who handed it over at entry 6; correctly signed, linked to the exhibit's head, its entry carrying the unchanged map root",
    [appended(byNonHolder.bytes)],
    [[n, 'NOT_HOLDER']],
  );
  const acceptEntry = E[7]!;
  const inserted = make(
    'transfer',
    Kl.nlCollector.signer,
    { to: idOf(Kl.nlExaminer), reason: 'Second opinion' },
    { exhibit: log.ids.exhibit, after: acceptEntry.made.id },
    { time: acceptEntry.logTime + MIN - LAG, random: seededRandom('vectors-v2 log non-holder inserted') },
  );
  // The later entries move up one position; positions are in the records (at, enrolledAt, revokedAt), so the
  // forger recomputes each later map root with the rules, exactly as a replay does.
  const insertedItem = {
    entry: encodeEntry({
      index: 8,
      time: acceptEntry.logTime + MIN,
      mapRoot: acceptEntry.mapRoot,
      payloadType: PAYLOAD_TYPES.statement,
      payloadHash: sha256(inserted.bytes),
    }),
    payload: inserted.bytes,
  };
  const forged: LoggedItem[] = [
    ...E.slice(0, 8).map((e) => ({ entry: e.entry, payload: e.payload })),
    insertedItem,
  ];
  const renumbered: Change[] = [];
  for (const e of E.slice(8)) {
    const guess = { entry: reEntry(e.index, { index: e.index + 1 }), payload: e.payload };
    const { mapRoot } = await replayEntries([...forged, guess]);
    const entry = reEntry(e.index, { index: e.index + 1, mapRoot });
    forged.push({ entry, payload: e.payload });
    renumbered.push({ op: 'replace', index: e.index + 1, entry });
  }
  add(
    'non-holder-inserted',
    'inserted at 8, after the accept: the same kind of transfer by the NL collector (no longer the holder), with a correct-looking entry; ' +
      'the later entries move up one position, with the map roots the rules give them there, but the tree of size 11 is no longer ' +
      'the checkpoint the rotation names in seen: the rotation is refused (its recomputed root is the unchanged one)',
    [{ op: 'insert', index: 8, ...insertedItem }, ...renumbered],
    [
      [8, 'NOT_HOLDER'],
      [12, 'SEEN_MISMATCH'],
    ],
  );
  add(
    'duplicate-appended',
    "appended: entry 10's statement (the disposal) again",
    [appended(E[10]!.payload)],
    [[n, 'STATEMENT_DUPLICATE']],
  );
  add(
    'record-kind-unknown',
    'appended: a log record (payload type 2) of a kind this version does not know (["note", 1, {text}]): INCOMPLETE, and the map is unchanged',
    [appended(encodeCanonical(['note', 1, { text: 'Checkpoint archived' }]), PAYLOAD_TYPES.record)],
    [[n, 'RECORD_KIND_UNKNOWN']],
  );
  add(
    'payload-type-unknown',
    'appended: an entry of payload type 9, which this version does not know: INCOMPLETE, and the map is unchanged',
    [appended(encodeCanonical(['note', 1, { text: 'Checkpoint archived' }]), 9)],
    [[n, 'PAYLOAD_TYPE_UNKNOWN']],
  );
  const spec = KINDS_V2['register']!;
  const foreignBody = commitFields(
    spec,
    {
      label: 'USB-02',
      caseRef: 'DE-2026-0007',
      description: 'USB stick',
      digests: digest('USB-02'),
      size: 16_000_000_000,
    },
    seededRandom('vectors-v2 log foreign'),
  ).body;
  const foreign: Statement = {
    v: 2,
    origin: FOREIGN_ORIGIN,
    class: 'chain',
    kind: 'register',
    bv: 1,
    time: appendTime,
    tz: 'Europe/Amsterdam',
    signer: { key: ed25519Key(Kl.nlCollector.signer.publicKey) },
    body: foreignBody,
  };
  add(
    'origin-mismatch-appended',
    `appended: a registration by the NL collector signed for another ledger (${FOREIGN_ORIGIN})`,
    [appended(signStatement(foreign, Kl.nlCollector.signer).bytes)],
    [[n, 'ORIGIN_MISMATCH']],
  );
  const seenWrong = make(
    'enrol',
    Kl.registrar.signer,
    {
      key: [KEY_TYPES.ed25519, Kl.newAuthority.signer.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: ['examiner'],
      jurisdiction: 'NL',
      name: 'B. Bakker',
      org: 'NFI',
    },
    { after: log.ids.ledgerHead, seen: { size: 5, root: E[5]!.treeRoot } },
    { time: appendTime, random: seededRandom('vectors-v2 log seen') },
  );
  add(
    'seen-mismatch-appended',
    'appended: an enrolment whose seen names size 5 with the tree root at size 6 (a checkpoint this log never had)',
    [appended(seenWrong.bytes)],
    [[n, 'SEEN_MISMATCH']],
  );
  return out;
}

/** RFC 9162 tree root of a list of entries (the leaf of an entry is SHA-256(00 || entry), whatever its bytes). */
function treeRoot(items: readonly LoggedItem[]): Uint8Array {
  const f = MerkleFrontier.empty();
  for (const it of items) f.append(hashLeaf(it.entry));
  return f.root();
}

export async function buildLogs(): Promise<{ json: Json; deviations: string[]; log: BuiltLog }> {
  const log = await buildValidLog();
  const items: LoggedItem[] = log.entries.map((e) => ({ entry: e.entry, payload: e.payload }));
  const deviations: string[] = [];
  const replay = await replayEntries(items);
  if (replay.problems.length > 0)
    deviations.push(
      `logs.valid: replay reports ${JSON.stringify(replay.problems.map((p) => [p.index, p.code]))}`,
    );
  const final = log.entries[log.entries.length - 1]!;

  const invalid = await invalidLogs(log);
  const invalidJson: Json[] = [];
  for (const c of invalid) {
    const edited = applyChanges(items, c.changes);
    const r = await replayEntries(edited);
    const got = r.problems.map((p): [number, string] => [p.index, p.code]);
    if (JSON.stringify(got) !== JSON.stringify(c.expected))
      deviations.push(
        `logs.invalid ${c.name}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`,
      );
    invalidJson.push({
      name: c.name,
      description: c.description,
      changes: c.changes.map((ch) => {
        const j: { [key: string]: Json } = { op: ch.op, index: ch.index };
        if (ch.entry) j['entryHex'] = toHex(ch.entry);
        if (ch.payload) j['payloadHex'] = toHex(ch.payload);
        return j;
      }),
      expectedProblems: c.expected,
      size: edited.length,
      rootHex: toHex(treeRoot(edited)),
      replayMapRootHex: toHex(r.mapRoot),
    });
  }

  const json: Json = {
    about:
      'A format v2 log (docs/FORMAT.md, docs/CUSTODY-RULES.md) built by the Sequencer with seeded keys, seeded salts and a clock set ' +
      'before each submission to `logTime`. `valid.entries`: each entry and its payload (a signed statement), its openings (stored beside), ' +
      'the leaf hash, and the tree root (RFC 9162) and state-map root after it; replayEntries reports no problem. ' +
      '`invalid`: the valid log with `changes` applied in order (replace: the entry and/or payload at index; insert: a new item at index, ' +
      'later ones moving up), replayed by replayEntries, which must report exactly `expectedProblems` as [index, code] in order; ' +
      '`rootHex` is the tree root of the edited entries, `replayMapRootHex` the map root the replay computes. ' +
      'Keys are seededSigner(label) of test/helpers/world.ts. Generated by test/vectors-v2/generate.ts (npm run vectors:v2); do not edit.',
    origin: ORIGIN,
    keys: describeKeys(Object.values(LOG_KEYS)),
    valid: {
      entries: log.entries.map((e) => ({
        index: e.index,
        name: e.name,
        kind: e.kind,
        description: e.description,
        statementIdHex: toHex(e.made.id),
        statementTime: e.made.statement.time,
        logTime: e.logTime,
        entryHex: toHex(e.entry),
        payloadType: PAYLOAD_TYPES.statement,
        payloadHex: toHex(e.payload),
        openingsHex: toHex(encodeOpenings(e.made.openings)),
        leafHashHex: toHex(e.leafHash),
        treeRootHex: toHex(e.treeRoot),
        mapRootHex: toHex(e.mapRoot),
      })),
      size: log.entries.length,
      rootHex: toHex(final.treeRoot),
      mapRootHex: toHex(final.mapRoot),
    },
    invalid: invalidJson,
  };
  return { json, deviations, log };
}
