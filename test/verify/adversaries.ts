/**
 * Adversaries for test/verify/adversaries.property.test.ts (issue 24, Tests):
 * the keys of the relying party's cosigners, the policies of verify-bundle and
 * report, a writer that lays down any log (honest, forked, or carrying a false
 * map root) with all its derived data, the forgers' tools, and the three ways
 * a forgery is looked at — the library (verifyBundleV2 and the report model,
 * and the whole-ledger front-ends verifyLogV2 / verifyLogStore), and the built
 * CLI (`verify-bundle`, `report`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { type BundleV2, decodeBundleV2, encodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import { toBase64 } from '../../src/bytes.js';
import { parseCheckpoint, signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { formatCosignerVkey, signCosignature, verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { ed25519NoteVerifier, formatNote, parseNote } from '../../src/checkpoint/note.js';
import { witnessCosign } from '../../src/checkpoint/witness.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { admit } from '../../src/custody/admit.js';
import { CustodyState } from '../../src/custody/custody-state.js';
import { judge } from '../../src/custody/judge.js';
import type { Violation } from '../../src/custody/judgement.js';
import { CustodyError } from '../../src/errors.js';
import type { Problem } from '../../src/findings.js';
import type { Canonical } from '../../src/format/canonical.js';
import { decodeEntry, encodeEntry } from '../../src/format/entry.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { encodeOpenings } from '../../src/format/openings.js';
import type { Statement } from '../../src/format/statement.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { MerkleFrontier, type NewNode } from '../../src/merkle/frontier.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { MemoryNodeStore } from '../../src/merkle/memory.js';
import { consistencyProof, rootAt } from '../../src/merkle/proofs.js';
import { buildReportModel } from '../../src/report/index.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LoggedEntry, LogStore } from '../../src/store/log-store.js';
import { type BundleV2Trust, verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { checkCheckpointNoteV2 } from '../../src/verify/checkpoint-note.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { verifyLogV2 } from '../../src/verify/log-verify.js';
import { decideVerdict, type Verdict } from '../../src/verify/verdict.js';
import { custody, type RunResult } from '../e2e/helpers.js';
import { type Made, make, ORIGIN, seededRandom, statementKeyId } from '../format/v2-fixtures.js';
import { collect, LogForger } from '../helpers/forge.js';
import { digestsOf, seededSigner } from '../helpers/world.js';
import { type Choice, type History, runHistory, T0 } from './history.js';

export { ORIGIN };

// ------------------------------------------------------------------ the relying party's cosigners

export interface Cosigner {
  name: string;
  signer: Signer;
}
/** Up to three witnesses (consistency only) and one auditor (PROOFS.md §Auditors). */
export const WITNESSES: readonly Cosigner[] = [
  'witness.eurojust.example',
  'witness.bka.example',
  'witness.cnil.example',
].map((name) => ({ name, signer: seededSigner(`adversaries ${name}`) }));
export const AUDITOR: Cosigner = { name: 'audit.bfdi.example', signer: seededSigner('adversaries auditor') };
export const vkeyOf = (c: Cosigner) => formatCosignerVkey(c.name, c.signer.publicKey);
const verifierOf = (c: Cosigner) => verifierFromVkey(vkeyOf(c));
/** Seconds: the time every cosignature here carries (no maximum age is asked for). */
export const COSIGNED_AT = 1_780_000_000;

/**
 * What the relying party asks for:
 *  - `default`: verify-bundle / report with only `--trust` (one cosignature
 *    besides the log's required, and no witness key given: COSIGNATURE_MISSING);
 *  - `log-alone`: `--quorum 0` (the log key alone suffices);
 *  - `witnessed`: `--witness` for the first `k` witnesses (all must cosign);
 *  - `audited`: a policy file naming those witnesses and the auditor (`--policy`).
 */
export type Policy = 'default' | 'log-alone' | 'witnessed' | 'audited';

export function trustOf(policy: Policy, pins: readonly Uint8Array[], k = 1): BundleV2Trust {
  const authorityKeys = [...pins];
  switch (policy) {
    case 'default':
      return { authorityKeys };
    case 'log-alone':
      return { authorityKeys, quorum: 0 };
    case 'witnessed':
      return { authorityKeys, witnesses: WITNESSES.slice(0, k).map(verifierOf) };
    case 'audited':
      return {
        authorityKeys,
        witnesses: WITNESSES.slice(0, k).map(verifierOf),
        auditors: [verifierOf(AUDITOR)],
        auditorQuorum: 1,
      };
  }
}

/** The same choice as CLI arguments (an `audited` policy is written as a policy file in `dir`). */
export function cliArgsOf(policy: Policy, pins: readonly Uint8Array[], dir: string, k = 1): string[] {
  const trust = pins.flatMap((p) => ['--trust', toBase64(p)]);
  const ws = WITNESSES.slice(0, k).map(vkeyOf);
  switch (policy) {
    case 'default':
      return trust;
    case 'log-alone':
      return [...trust, '--quorum', '0'];
    case 'witnessed':
      return [...trust, ...ws.flatMap((w) => ['--witness', w])];
    case 'audited': {
      const file = join(dir, `policy-${k}.json`);
      writeFileSync(
        file,
        JSON.stringify({ custody: 'policy', v: 1, witnesses: ws, auditors: [vkeyOf(AUDITOR)] }),
      );
      return [...trust, '--policy', file];
    }
  }
}

// ------------------------------------------------------------------ worlds

/** A random valid history (./history.ts) that the adversary then works on. */
export interface World extends History {
  view: LedgerView;
  tag: string;
  salt: number;
}

export async function worldOf(choices: readonly Choice[], tag: string): Promise<World> {
  const h = await runHistory(choices, tag);
  return { ...h, view: new LedgerView(h.store), tag, salt: 0 };
}

/** The claimed time of every statement made here (the log's clock is a little later). */
export const SIGNED_AT = T0 + 30_000;

export interface Links {
  exhibit?: Uint8Array;
  after?: Uint8Array;
  seen?: { size: number; root: Uint8Array };
}

/** Signs a statement (not submitted): committed fields in clear, committed here with seeded salts. */
export function sign(
  w: World,
  kind: string,
  signer: Signer,
  fields: Record<string, Canonical | undefined>,
  links: Links = {},
  cosigners: Signer[] = [],
): Made {
  return make(kind, signer, fields, links, {
    time: SIGNED_AT,
    random: seededRandom(`${w.tag} adversary ${w.salt++}`),
    cosigners,
  });
}

const CHAIN_OR_REGISTER = (kind: string, links: Links) => kind === 'register' || links.exhibit !== undefined;

/** Links a governance statement as the CLI does: after the ledger's head, against the log as it is now. */
export async function governanceLinks(w: World, links: Links = {}): Promise<Links> {
  return {
    after: links.after ?? (await w.view.ledger()).head,
    seen: links.seen ?? { size: w.ledger.size, root: w.ledger.root() },
  };
}

/** Signs and submits through the ledger (which must accept it); returns the statement and its position. */
export async function submit(
  w: World,
  kind: string,
  signer: Signer,
  fields: Record<string, Canonical | undefined>,
  links: Links = {},
  cosigners: Signer[] = [],
): Promise<Made & { index: number }> {
  const l = CHAIN_OR_REGISTER(kind, links) ? links : await governanceLinks(w, links);
  const m = sign(w, kind, signer, fields, l, cosigners);
  const r = await w.ledger.submit(m.bytes, encodeOpenings(m.openings));
  return { ...m, index: r.index };
}

export const enrolFields = (who: Signer, roles: string[], name: string, jurisdiction = 'NL') => ({
  key: [KEY_TYPES.ed25519, who.publicKey] as Canonical,
  purpose: KEY_PURPOSES.statement,
  roles,
  jurisdiction,
  name,
  org: `${name}'s service`,
});

export const registerFields = (label: string, tag: string) => ({
  label,
  caseRef: 'NL-2026-0024',
  description: `seized ${label}`,
  digests: digestsOf(`${tag} ${label}`),
  size: 4096,
});

export const keyIdOf = (s: Signer) => statementKeyId(s.publicKey);

// ------------------------------------------------------------------ laying down a log

/** One logged item: the entry, the payload it commits to, the stored openings. */
export interface Item {
  index: number;
  entry: Uint8Array;
  payload: Uint8Array;
  openings?: Uint8Array;
}

export const itemsOf = (store: LogStore): Promise<Item[]> =>
  collect(store.items(0, Number.MAX_SAFE_INTEGER, { openings: true }));

/** The exhibits whose history a statement joins, as LogLedger lists them. */
function exhibitsOf(s: Statement, id: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (s.kind === 'register') out.push(id);
  if (s.exhibit instanceof Uint8Array) out.push(s.exhibit);
  return out;
}

export interface Laid {
  /** Per position: undefined (accepted), the rule that refused it, or 'hidden'. */
  outcomes: (Violation | undefined | 'hidden')[];
}

/**
 * Writes `items` to an empty store in one batch, with everything the ledger
 * would derive from them — tree nodes, the state map's branches and records,
 * the statement index, each exhibit's events, the head — as the log key's
 * holder (or an insider rebuilding a directory) can. The state is the
 * replay of the items by the real rules (admit + judge, `seen` against the
 * items' own tree), except:
 *  - `hide`: positions left out of the replay and of every exhibit's events
 *    (the statement stays in the tree: a state, and a map root, that do not
 *    follow from the entries);
 *  - `sealLast`: the last entry is re-encoded to carry the replay's map root
 *    (the false root that hides `hide`);
 *  - `listRefused`: refused statements are listed among their exhibits'
 *    events, as an insider would list them to put them in a bundle (the
 *    ledger never logs a refused statement; its map is unchanged by one).
 */
export async function layDown(
  store: LogStore,
  items: readonly Item[],
  opts: { hide?: ReadonlySet<number>; sealLast?: boolean; listRefused?: boolean } = {},
): Promise<Laid> {
  const state = new CustodyState();
  const frontier = MerkleFrontier.empty();
  const nodes = new MemoryNodeStore();
  const entries: LoggedEntry[] = [];
  const treeNodes: NewNode[] = [];
  const outcomes: Laid['outcomes'] = [];
  let lastTime = 0;
  for (const [index, it] of items.entries()) {
    const fields = decodeEntry(it.entry).entry;
    let exhibits: Uint8Array[] = [];
    let id: Uint8Array | undefined;
    if (opts.hide?.has(index)) outcomes.push('hidden');
    else {
      const a = admit(it.payload, true);
      if ('violation' in a) outcomes.push(a.violation);
      else {
        id = a.id;
        const s = a.statement.seen;
        const at =
          s && s.size <= index
            ? { index, time: fields.time, seenRoot: await rootAt(nodes, s.size) }
            : { index, time: fields.time };
        const o = judge(state, a, at);
        if (o.ok) state.apply(o.writes);
        outcomes.push(o.ok ? undefined : o.violation);
        if (o.ok || opts.listRefused) exhibits = exhibitsOf(a.statement, a.id);
      }
    }
    const entry =
      opts.sealLast && index === items.length - 1
        ? encodeEntry({ ...fields, mapRoot: state.map.root })
        : it.entry;
    const added = frontier.append(hashLeaf(entry));
    nodes.put(added);
    treeNodes.push(...added);
    const logged: LoggedEntry = { index, entry, payload: it.payload, exhibits };
    if (it.openings) logged.openings = it.openings;
    if (id) logged.id = id;
    entries.push(logged);
    lastTime = fields.time;
  }
  const dirty = state.map.takeDirty();
  await store.write({
    entries,
    treeNodes,
    mapNodes: dirty.nodes,
    records: [...state.records()].map((r) => ({ ns: r.ns, key: r.key, bytes: r.bytes })),
    head: {
      size: items.length,
      lastTime,
      mapRoot: dirty.root,
      mapSize: dirty.size,
      mapRootLeaf: dirty.rootLeaf,
    },
  });
  return { outcomes };
}

/** `layDown` into a fresh in-memory store. */
export async function laidStore(items: readonly Item[], opts: Parameters<typeof layDown>[2] = {}) {
  const store = new MemoryLogStore();
  const laid = await layDown(store, items, opts);
  return { store, ...laid };
}

/** `layDown` into a new LevelDB ledger directory (for `custody report`), with a stored checkpoint. */
export async function laidLedger(
  dir: string,
  items: readonly Item[],
  note: string,
  opts: Parameters<typeof layDown>[2] = {},
): Promise<void> {
  const store = await LevelLogStore.open(dir, 'create');
  try {
    await layDown(store, items, opts);
    await store.putCheckpoint(parseCheckpoint(parseNote(note).text).size, note);
  } finally {
    await store.close();
  }
}

/**
 * A fabricated tree: `prefix` as it is, then each payload sequenced after it
 * (new entries, log times one second apart, each with the map root the
 * replay gives), judged but never refused — what the log key's holder can
 * write and sign.
 */
export async function fabricate(
  prefix: readonly Item[],
  then: readonly { payload: Uint8Array; openings?: Uint8Array }[],
): Promise<{ items: Item[]; refused: (Violation | undefined)[] }> {
  const f = await LogForger.after(prefix);
  const refused: (Violation | undefined)[] = [];
  for (const t of then) {
    const forged = await f.add(t.payload, t.openings ? { openings: t.openings } : {});
    refused.push(forged.violation);
  }
  return { items: f.items.map((x) => ({ ...x })), refused };
}

export const payloadOf = (m: Made) => ({ payload: m.bytes, openings: encodeOpenings(m.openings) });

// ------------------------------------------------------------------ checkpoints and cosignatures

/** A checkpoint of the store's first `size` entries signed by `log` (the log key, or another). */
export async function checkpointOf(store: LogStore, log: Signer, size?: number): Promise<string> {
  const n = size ?? (await store.readHead())!.size;
  return signCheckpoint({ origin: ORIGIN, size: n, root: await rootAt(store, n) }, ORIGIN, log);
}

/** The note with cosignature lines of `by` added. */
export function cosign(note: string, by: readonly Cosigner[], t = COSIGNED_AT): string {
  const p = parseNote(note);
  return formatNote(p.text, [
    ...p.signatures.map((s) => s.line),
    ...by.map((c) => signCosignature(p.text, c.name, c.signer, t)),
  ]);
}

/**
 * An honest witness's decision (C2SP tlog-witness, src/checkpoint/witness.ts):
 * given the checkpoint it cosigned last (`state`), the new note and a
 * consistency proof over the tree the log presents, its cosignature line, or
 * the code of its refusal.
 */
export function witnessDecides(
  witness: Cosigner,
  logKey: Uint8Array,
  state: { size: number; root: Uint8Array } | undefined,
  note: string,
  proof: readonly Uint8Array[],
): { line: string } | { refused: string } {
  try {
    const r = witnessCosign({
      state,
      noteText: note,
      logVerifier: ed25519NoteVerifier(ORIGIN, logKey),
      consistencyProof: proof,
      witnessName: witness.name,
      witnessSigner: witness.signer,
      now: COSIGNED_AT,
    });
    return { line: r.cosignatureLine };
  } catch (e) {
    if (e instanceof CustodyError) return { refused: e.code };
    throw e;
  }
}

/** The consistency proof a log presents to a witness that last cosigned `from` entries. */
export async function proofFor(store: LogStore, from: number, to: number): Promise<Uint8Array[]> {
  return from > 0 && from < to ? consistencyProof(store, from, to) : [];
}

/** The note with these cosignature lines added. */
export function withLines(note: string, lines: readonly string[]): string {
  const p = parseNote(note);
  return formatNote(p.text, [...p.signatures.map((s) => s.line), ...lines]);
}

// ------------------------------------------------------------------ looking at a forgery: the library

const META = { tool: 'custody', toolVersion: 'test', generatedAt: Date.UTC(2026, 4, 2), commands: [] };

export interface Looked {
  verdict: Verdict;
  /** Error problems (they decided the verdict), as CODE@seq. */
  problems: string[];
  codes: string[];
  v: ExhibitVerdictV2;
}

const pointed = (p: Problem) => `${p.code}@${p.seq ?? '-'}`;

/**
 * verifyBundleV2 and the report model built from it (src/report): the model
 * says VERIFIED exactly when the verifier does, with the verifier's verdict.
 */
export async function viaLibrary(bytes: Uint8Array, trust: BundleV2Trust): Promise<Looked> {
  const v = await verifyBundleV2(bytes, trust);
  const m = buildReportModel(v, META);
  expect(m.verdict.outcome, 'the report model repeats the verdict').toBe(v.verdict);
  expect(m.verdict.verified).toBe(v.verdict === 'VERIFIED');
  expect(m.verdict.status).toBe(v.verdict === 'VERIFIED' ? 'VERIFIED' : 'NOT VERIFIED');
  expect(v.ok).toBe(v.verdict === 'VERIFIED');
  return {
    verdict: v.verdict,
    problems: v.problems.map(pointed),
    codes: [...new Set(v.problems.map((p) => p.code))].sort(),
    v,
  };
}

/** The bundle of `exhibit` under `note`, or the exporter's refusal code (a forger gets no bundle). */
export async function bundleOf(
  store: LogStore,
  exhibit: Uint8Array,
  note: string,
): Promise<Uint8Array | { refused: string }> {
  try {
    return await exportBundleV2(store, exhibit, note);
  } catch (e) {
    if (e instanceof CustodyError) return { refused: e.code };
    throw e;
  }
}

/** The whole-ledger front-ends: verifyLogV2 over the items, verifyLogStore over the store. */
export async function viaLedger(
  store: LogStore,
  founder: Uint8Array,
  checkpoints: readonly { size: number; root: Uint8Array }[] = [],
) {
  const items = await itemsOf(store);
  const head = await store.readHead();
  const pure = await verifyLogV2(
    { items, checkpoints: [], head: head ? { kind: 'ok', head } : { kind: 'missing' } },
    { trustedKeys: [founder], checkpoints },
  );
  const stored = await verifyLogStore(store, { trustedKeys: [founder], checkpoints });
  const look = (r: typeof pure) => ({
    verdict: decideVerdict({ problems: r.report.problems, anchored: r.report.anchored }).verdict,
    problems: r.allProblems().map(pointed),
  });
  return { pure: look(pure), stored: look(stored) };
}

/**
 * The auditor's decision (`custody audit`, cli/commands/audit.ts): it replays
 * the whole log behind `note` and cosigns only if the replay is VERIFIED.
 */
export async function auditorCosigns(store: LogStore, note: string) {
  const { size, root } = parseCheckpoint(parseNote(note).text);
  const r = await verifyLogStore(store, { checkpoints: [{ size, root }] });
  r.addProblems(checkCheckpointNoteV2(note, r.ledger, [], 0).problems);
  const outcome = decideVerdict({ problems: r.allProblems(), anchored: true });
  return { cosigns: outcome.verdict === 'VERIFIED', problems: r.allProblems().map(pointed) };
}

// ------------------------------------------------------------------ looking at a forgery: the CLI

export interface CliLooked {
  exit: number | null;
  /** The verdict of the --json document, or the error code of an unusable input (exit 2, 4). */
  verdict: string;
  codes: string[];
  status?: string;
  r: RunResult;
}

/** Runs a verifying command with --json and reads its verdict (or its one error). */
export async function viaCli(args: string[], opts: { ledger?: string } = {}): Promise<CliLooked> {
  const r = await custody([...args, '--json'], opts.ledger ? { ledger: opts.ledger } : {});
  let j: {
    verdict?: string;
    problems?: { code: string }[];
    report?: { verdict: { status: string } };
    error?: { code: string };
  };
  try {
    j = JSON.parse(r.stdout);
  } catch {
    j = {};
  }
  const codes = [...new Set((j.problems ?? []).map((p) => p.code))].sort();
  const verdict = j.verdict ?? `error ${j.error?.code ?? /\[([A-Z_0-9]+)\]\s*$/.exec(r.stderr)?.[1] ?? '?'}`;
  const out: CliLooked = { exit: r.code, verdict, codes, r };
  if (j.report) out.status = j.report.verdict.status;
  return out;
}

/** Exit codes of the verdicts (docs/CLI.md §Verdicts). */
export const VERDICT_EXIT: Record<string, number> = {
  VERIFIED: 0,
  FAILED: 1,
  INCOMPLETE: 5,
  UNANCHORED: 6,
  UNWITNESSED: 7,
};

/** A CLI result that is anything but VERIFIED, said consistently by the exit code, verdict and report. */
export function expectNotVerified(c: CliLooked, context: string) {
  const ctx = `${context}\nexit ${c.exit}\n${c.r.stderr}`;
  expect(c.exit, ctx).not.toBe(0);
  expect(c.exit, ctx).not.toBeNull();
  expect(c.verdict, ctx).not.toBe('VERIFIED');
  if (c.verdict in VERDICT_EXIT) {
    expect(c.exit, ctx).toBe(VERDICT_EXIT[c.verdict]);
    expect(c.status, ctx).toBe('NOT VERIFIED');
  }
}

// ------------------------------------------------------------------ bundle edits

/** Decodes, edits and re-encodes a bundle canonically (so the edit reaches the deeper checks). */
export function edited(bytes: Uint8Array, change: (b: BundleV2) => void): Uint8Array {
  const b = decodeBundleV2(bytes);
  change(b);
  return encodeBundleV2(b);
}

export const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

// ------------------------------------------------------------------ a cast on top of a random history

export interface Cast {
  collector: Signer;
  examiner: Signer;
  /** Registered by the collector, handed over to the examiner, accepted, examined. */
  x: Uint8Array;
  /** Positions of X's statements, registration first. */
  events: number[];
}

/** Enrols a collector and an examiner and gives one exhibit a history of 3 + `examinations` statements. */
export async function castOf(w: World, examinations: number): Promise<Cast> {
  const collector = seededSigner(`${w.tag} cast collector`);
  const examiner = seededSigner(`${w.tag} cast examiner`);
  await submit(w, 'enrol', w.authority, enrolFields(collector, ['collector', 'custodian'], 'Insp. Visser'));
  await submit(w, 'enrol', w.authority, enrolFields(examiner, ['custodian', 'examiner'], 'Dr. Smit'));
  const reg = await submit(w, 'register', collector, registerFields('HDD-24', w.tag));
  const events = [reg.index];
  let head = reg.id;
  const chain = async (kind: string, by: Signer, fields: Record<string, Canonical | undefined>) => {
    const s = await submit(w, kind, by, fields, { exhibit: reg.id, after: head });
    head = s.id;
    events.push(s.index);
  };
  await chain('transfer', collector, { to: keyIdOf(examiner), reason: 'imaging' });
  await chain('accept', examiner, { seal: 'intact' });
  for (let i = 0; i < examinations; i++) await chain('examine', examiner, { action: `pass ${i}` });
  return { collector, examiner, x: reg.id, events };
}

// ------------------------------------------------------------------ a key to steal

/** What the thief does with the key (all on the exhibit it holds, linked to its last statement). */
export const ACTS = ['examine', 'transfer', 'derive', 'dispose'] as const;
export type Act = (typeof ACTS)[number];

export interface Thief {
  k: Signer;
  receiver: Signer;
  x: Uint8Array;
  /** X's last statement. */
  head: Uint8Array;
  enrolled: number;
  /** Positions of the thief's statements (X's registration, examinations). */
  signed: number[];
}

/** Enrols the key-to-be-stolen (and a receiver), and has it register and examine an exhibit. */
export async function thiefOf(w: World, examinations: number): Promise<Thief> {
  const k = seededSigner(`${w.tag} thief`);
  const receiver = seededSigner(`${w.tag} receiver`);
  const e = await submit(
    w,
    'enrol',
    w.authority,
    enrolFields(k, ['collector', 'custodian', 'examiner'], 'K. Dief'),
  );
  await submit(w, 'enrol', w.authority, enrolFields(receiver, ['custodian'], 'R. Ontvanger'));
  const reg = await submit(w, 'register', k, registerFields('LAPTOP-7', w.tag));
  const t: Thief = { k, receiver, x: reg.id, head: reg.id, enrolled: e.index, signed: [reg.index] };
  for (let i = 0; i < examinations; i++) {
    const s = await submit(w, 'examine', k, { action: `triage ${i}` }, { exhibit: reg.id, after: t.head });
    t.head = s.id;
    t.signed.push(s.index);
  }
  return t;
}

/** The thief's statement `act` on X, after X's last statement. */
export function actOf(w: World, t: Thief, act: Act) {
  const links = { exhibit: t.x, after: t.head };
  switch (act) {
    case 'examine':
      return sign(w, 'examine', t.k, { action: 'copied the mailbox' }, links);
    case 'transfer':
      return sign(w, 'transfer', t.k, { to: keyIdOf(t.receiver), reason: 'onward' }, links);
    case 'derive':
      return sign(w, 'register', t.k, registerFields('LAPTOP-7 image', w.tag), links);
    case 'dispose':
      return sign(w, 'dispose', t.k, { method: 'destroyed', reason: 'case closed' }, links);
  }
}

export const revokeFields = (s: Signer, compromisedSince?: number) => ({
  key: keyIdOf(s),
  reason: compromisedSince === undefined ? 'left the service' : 'key stolen',
  ...(compromisedSince === undefined ? {} : { compromisedSince }),
});

// ------------------------------------------------------------------ a fork that hides an end of life

/**
 * Whose life ends: an actor key revoked (`actor`), revoked after a theft with
 * `compromisedSince` (`actor-theft`), a registrar revoked, the authority
 * rotated to a new key.
 */
export type End = 'actor' | 'actor-theft' | 'registrar' | 'authority' | 'authority-log-key';

export interface EndFork {
  /** The genuine log: the end of life at `end`, made against checkpoint `n`; its checkpoint after it. */
  genuine: { store: LogStore; size: number; root: Uint8Array; note: string };
  n: number;
  end: number;
  /** The log key's holder's fork after f (n ≤ f ≤ end): statements of the ended key, then the end itself. */
  f: number;
  forged: { store: LogStore; items: Item[]; refused: (Violation | undefined)[]; note: string };
  /** What the honest witness, who cosigned the genuine checkpoint, says to the fork's. */
  witness: { line: string } | { refused: string };
  /** The exhibit whose bundle shows the planted statements; their positions in the fork. */
  exhibit: Uint8Array;
  planted: number[];
  /** The position of the end statement in the fork. */
  endInFork: number;
  /** The key the authority was rotated to (`authority`, `authority-log-key`). */
  newAuthority?: Signer;
  /** The log key the retired authority enrols (`authority-log-key`). */
  newLogKey?: Signer;
}

/**
 * The genuine history ends a key's life at `end` (made against checkpoint n,
 * `n` picked after the key's last statement, so the ledger accepts it); the
 * log key's holder, who also has the ended key, forks at f in [n, end] and
 * plants statements of that key "before" the end, then carries the genuine
 * end statement (CUSTODY-RULES.md §Key lifetimes). Actor key: an act on the
 * exhibit it holds. Registrar or retired authority: an enrolment of a puppet
 * collector, who registers an exhibit; or (`authority-log-key`) the retired
 * authority's enrolment of a new log key, then an honest registration.
 */
export async function endFork(
  w: World,
  which: End,
  choose: { n: number; f: number; act: Act; examinations: number },
): Promise<EndFork> {
  let planted: (forkPrefix: { size: number; root: Uint8Array; head: Uint8Array }) => Made[];
  let exhibit: (made: Made[]) => Uint8Array;
  let lastOfKey: number;
  let endStatement: () => Promise<Made & { index: number }>;
  let newAuthority: Signer | undefined;
  let newLogKey: Signer | undefined;
  const ledgerHead = async () => (await w.view.ledger()).head;
  const seenAt = async (size: number) => ({ size, root: await rootAt(w.store, size) });
  if (which === 'actor' || which === 'actor-theft') {
    const t = await thiefOf(w, choose.examinations);
    lastOfKey = t.signed.at(-1)!;
    planted = () => [actOf(w, t, choose.act)];
    exhibit = () => t.x;
    endStatement = async () => {
      const n = lastOfKey + 1 + (choose.n % (w.ledger.size - lastOfKey));
      return submit(w, 'revoke', w.authority, revokeFields(t.k, which === 'actor-theft' ? n : undefined), {
        seen: await seenAt(n),
      });
    };
  } else {
    const puppet = seededSigner(`${w.tag} puppet`);
    const honest = seededSigner(`${w.tag} honest collector`);
    let ended: Signer;
    if (which === 'registrar') {
      ended = seededSigner(`${w.tag} registrar`);
      await submit(w, 'enrol', w.authority, enrolFields(ended, ['registrar'], 'Reg. Istrar'));
      lastOfKey = (await submit(w, 'enrol', ended, enrolFields(honest, ['collector'], 'H. Eerlijk'))).index;
    } else {
      ended = w.authority;
      lastOfKey = (await submit(w, 'enrol', ended, enrolFields(honest, ['collector'], 'H. Eerlijk'))).index;
      newAuthority = seededSigner(`${w.tag} new authority`);
    }
    // Custody goes on between the key's last statement and its end.
    for (let i = 0; i <= choose.examinations; i++)
      await submit(w, 'register', honest, registerFields(`BOX-${i}`, `${w.tag} honest`));
    if (which === 'authority-log-key') newLogKey = seededSigner(`${w.tag} new log key`);
    planted = (p) => {
      const links = { after: p.head, seen: { size: p.size, root: p.root } };
      if (newLogKey) {
        // The honest collector's next registration is sequenced after it.
        const fields = { ...enrolFields(newLogKey, [], 'Log 2'), purpose: KEY_PURPOSES.log };
        return [
          sign(w, 'enrol', ended, fields, links),
          sign(w, 'register', honest, registerFields('BOX-L', w.tag)),
        ];
      }
      const e = sign(w, 'enrol', ended, enrolFields(puppet, ['collector'], 'P. Pop'), links);
      return [e, sign(w, 'register', puppet, registerFields('PLANTED-1', w.tag))];
    };
    exhibit = (made) => made[1]!.id;
    endStatement = async () => {
      const n = lastOfKey + 1 + (choose.n % (w.ledger.size - lastOfKey));
      return which === 'registrar'
        ? submit(
            w,
            'revoke',
            w.authority,
            { key: keyIdOf(ended), reason: 'left the service' },
            { seen: await seenAt(n) },
          )
        : submit(
            w,
            'rotate',
            w.authority,
            { key: [KEY_TYPES.ed25519, newAuthority!.publicKey] },
            { seen: await seenAt(n) },
            [newAuthority!],
          );
    };
  }
  const headBefore = await ledgerHead();
  const e = await endStatement();
  const n = e.statement.seen!.size;
  const genuineNote = cosign(await checkpointOf(w.store, w.log), [WITNESSES[0]!]);
  const size = w.ledger.size;
  const genuine = { store: w.store, size, root: await rootAt(w.store, size), note: genuineNote };
  const f = n + (choose.f % (e.index - n + 1));
  const items = await itemsOf(w.store);
  const made = planted({ size: f, root: await rootAt(w.store, f), head: headBefore });
  const fab = await fabricate(items.slice(0, f), [
    ...made.map(payloadOf),
    {
      payload: items[e.index]!.payload,
      ...(items[e.index]!.openings ? { openings: items[e.index]!.openings! } : {}),
    },
  ]);
  const forgedStore = (await laidStore(fab.items)).store;
  const note = await checkpointOf(forgedStore, w.log);
  const witness = witnessDecides(
    WITNESSES[0]!,
    w.log.publicKey,
    { size, root: genuine.root },
    note,
    await proofFor(forgedStore, size, fab.items.length),
  );
  return {
    genuine,
    n,
    end: e.index,
    f,
    forged: { store: forgedStore, items: fab.items, refused: fab.refused, note },
    witness,
    exhibit: exhibit(made),
    planted: made.map((_, i) => f + i),
    endInFork: f + made.length,
    ...(newAuthority ? { newAuthority } : {}),
    ...(newLogKey ? { newLogKey } : {}),
  };
}

/** The genuine checkpoint's line of the first witness (a forger can copy it onto any note). */
export const genuineWitnessLine = (note: string) =>
  parseNote(note).signatures.find((s) => s.name === WITNESSES[0]!.name)!.line;

// ------------------------------------------------------------------ a false map root

export interface FalseRoot {
  /** The genuine log the witnesses cosigned: its size and root. */
  genuine: { size: number; root: Uint8Array };
  /** The genuine entries, then the next genuine statement logged with the false root. */
  items: Item[];
  hide: Set<number>;
  /** The store the log key's holder keeps (and exports from): its state is the false one. */
  store: LogStore;
  /** The checkpoint of the whole log, signed by the log key only. */
  note: string;
}

/**
 * The log key's holder logs the next genuine statement (a registration by the
 * cast's collector) with a false map root: the state of the whole log but for
 * X's last `hidden` events (1 ≤ hidden < X's number of events, so X stays
 * registered). The entries, the tree and so every consistency proof are
 * genuine — a witness has nothing to refuse — but the map root says X's last
 * event is an earlier one.
 */
export async function falseRootOf(w: World, cast: Cast, hidden: number): Promise<FalseRoot> {
  const genuine = await itemsOf(w.store);
  const size = genuine.length;
  const next = sign(w, 'register', cast.collector, registerFields('HDD-25', w.tag));
  const { items } = await fabricate(genuine, [payloadOf(next)]);
  const k = 1 + (hidden % (cast.events.length - 1));
  const hide = new Set(cast.events.slice(-k));
  const { store } = await laidStore(items, { hide, sealLast: true });
  return {
    genuine: { size, root: await rootAt(w.store, size) },
    items,
    hide,
    store,
    note: await checkpointOf(store, w.log),
  };
}
