/**
 * map.json: a small state map over the namespaces of docs/FORMAT.md §The
 * state map, its root before and after a few updates, proofs of members and
 * of absent keys (against the current root, and against the older root
 * through a snapshot), and proofs verifyMapProof must refuse, each with its
 * reason (docs/STATE-MAP.md §Proofs, §Proof encoding, §Verifying a proof).
 */
import { concat, toHex, utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, keyIdOf } from '../../src/format/key-id.js';
import { ed25519Key } from '../../src/format/sign-statement.js';
import {
  decodeMapProof,
  encodeMapProof,
  type MapProof,
  type MapProofTerminal,
  mapPath,
  StateMap,
  verifyMapProof,
} from '../../src/map/index.js';
import { seededSigner } from '../helpers/world.js';
import { b, be, binAs, enc, type Json, rawArray } from './json.js';

interface MapKeyVector {
  name: string;
  ns: string;
  key: Uint8Array;
  /** How the key is made, for people. */
  note: string;
}

const h = (s: string) => sha256(utf8(s));
/** Values stand in for record hashes. */
const valueFor = (name: string, version = 1) => h(`vectors-v2 map value ${name} v${version}`);

const nibble = (p: Uint8Array, i: number) => (i % 2 === 0 ? p[i >> 1]! >> 4 : p[i >> 1]! & 15);
/** How many leading nibbles two paths share. */
export function sharedNibbles(a: Uint8Array, c: Uint8Array): number {
  let i = 0;
  while (i < 64 && nibble(a, i) === nibble(c, i)) i++;
  return i;
}
const pathOf = (k: MapKeyVector) => mapPath(k.ns, k.key);

/** The first key `make(i)`, i = 0, 1, …, that satisfies `ok`. */
function search(make: (i: number) => MapKeyVector, ok: (k: MapKeyVector) => boolean): MapKeyVector {
  for (let i = 0; i < 1_000_000; i++) {
    const k = make(i);
    if (ok(k)) return k;
  }
  throw new Error('no key found');
}

export interface ProofVector {
  name: string;
  description: string;
  root: Uint8Array;
  ns: string;
  key: Uint8Array;
  proof: Uint8Array;
}

export interface InvalidProofVector extends ProofVector {
  expected: string;
}

/** verifyMapProof's answer in the JSON form of the vectors. */
export function verifyResult(root: Uint8Array, ns: string, key: Uint8Array, proof: Uint8Array): Json {
  const r = verifyMapProof(root, ns, key, proof);
  if (!r.ok) return { ok: false, reason: r.reason };
  return r.present ? { ok: true, present: true, valueHex: toHex(r.value) } : { ok: true, present: false };
}

function terminalJson(t: MapProofTerminal): Json {
  if (t.kind === 'member') return { kind: t.kind, valueHex: toHex(t.value) };
  if (t.kind === 'absent-empty') return { kind: t.kind };
  return { kind: t.kind, pathHex: toHex(t.path), valueHex: toHex(t.value) };
}

export function buildMap(): { json: Json; deviations: string[] } {
  const statementKey = (label: string) =>
    keyIdOf(ed25519Key(seededSigner(label).publicKey), KEY_PURPOSES.statement);
  const logKey = keyIdOf(ed25519Key(seededSigner('v2 log').publicKey), KEY_PURPOSES.log);
  const exhibit1 = h('vectors-v2 map exhibit HDD-01');
  const exhibit2 = h('vectors-v2 map exhibit PHONE-03');
  const short6 = (id: Uint8Array) => {
    const s = id.slice(0, 6);
    s[5]! &= 0xf8;
    return s;
  };
  const authority = statementKey('v2 authority');

  const initial: MapKeyVector[] = [
    { name: 'ledger', ns: 'ledger', key: new Uint8Array(0), note: 'the ledger record: the empty key' },
    { name: 'key-authority', ns: 'key', key: authority, note: "the authority's statement key id" },
    { name: 'key-log', ns: 'key', key: logKey, note: "the log key's id (purpose log)" },
    {
      name: 'key-collector',
      ns: 'key',
      key: statementKey('v2 collector'),
      note: "a collector's statement key id",
    },
    { name: 'exhibit-1', ns: 'exhibit', key: exhibit1, note: 'an exhibit id' },
    { name: 'exhibit-2', ns: 'exhibit', key: exhibit2, note: 'another exhibit id' },
    {
      name: 'label-1',
      ns: 'label',
      key: encodeCanonical(['NL-2026-0042', 'hdd-01', 0]),
      note: 'label index: canonical([caseRef, folded label, 0])',
    },
    {
      name: 'digest-1',
      ns: 'digest',
      key: encodeCanonical([h('disk'), 0]),
      note: 'digest index: canonical([sha256, 0])',
    },
    {
      name: 'short-key',
      ns: 'short',
      key: encodeCanonical(['K', short6(authority), 0]),
      note: 'short-id index: canonical(["K", first 45 bits of the key id, 0])',
    },
    {
      name: 'short-exhibit',
      ns: 'short',
      key: encodeCanonical(['EX', short6(exhibit1), 0]),
      note: 'short-id index: canonical(["EX", first 45 bits of the exhibit id, 0])',
    },
    {
      name: 'annotation-1',
      ns: 'annotation',
      key: h('vectors-v2 map annotation statement'),
      note: "an annotation statement's id",
    },
  ];
  // A twin of exhibit-1: an exhibit id whose path shares its first 3 nibbles with exhibit-1's.
  const p1 = pathOf(initial[4]!);
  const twin = search(
    (i) => ({ name: 'exhibit-twin', ns: 'exhibit', key: h(`vectors-v2 map twin ${i}`), note: '' }),
    (k) => sharedNibbles(pathOf(k), p1) === 3,
  );
  twin.note = "an exhibit id whose path shares its first 3 nibbles with exhibit-1's (found by search)";
  initial.push(twin);

  const nib0 = (k: MapKeyVector) => nibble(pathOf(k), 0);
  const firstNibbles = initial.map(nib0);
  // A leaf alone under its first nibble: compacted at depth 1.
  const lone = initial.find(
    (k) => firstNibbles.filter((n) => n === nib0(k)).length === 1 && k.ns === 'exhibit',
  );
  const compacted = lone ?? initial.find((k) => firstNibbles.filter((n) => n === nib0(k)).length === 1)!;
  const pa = pathOf(compacted);
  // An absent key whose path shares 3 nibbles with the compacted leaf: its absence proof ends at that leaf.
  const near = search(
    (i) => ({ name: 'exhibit-near', ns: 'exhibit', key: h(`vectors-v2 map near ${i}`), note: '' }),
    (k) => sharedNibbles(pathOf(k), pa) === 3,
  );
  near.note = `an exhibit id whose path shares its first 3 nibbles with ${compacted.name}'s (a leaf compacted at depth 1); absent at first, added by the updates`;
  // Absent keys whose slot is EMPTY: under an empty child of the root, and deeper, beside exhibit-1's branch.
  const empty1 = search(
    (i) => ({ name: 'absent-empty-1', ns: 'exhibit', key: h(`vectors-v2 map empty ${i}`), note: '' }),
    (k) => !firstNibbles.includes(nib0(k)),
  );
  empty1.note = 'an absent exhibit id under an empty child of the root';
  const empty2 = search(
    (i) => ({ name: 'absent-empty-2', ns: 'exhibit', key: h(`vectors-v2 map deep ${i}`), note: '' }),
    (k) => sharedNibbles(pathOf(k), p1) === 2,
  );
  empty2.note =
    'an absent exhibit id sharing 2 nibbles with exhibit-1: its slot is an empty child of the one-child branch at depth 2';

  const m = new StateMap();
  for (const k of initial) m.set(k.ns, k.key, valueFor(k.name));
  const initialRoot = m.root;
  const snap = m.snapshot();

  // Updates after the snapshot.
  const overwritten = initial[3]!; // key-collector
  const shortExhibit = initial[9]!;
  const updates: { op: 'set' | 'delete'; k: MapKeyVector; value?: Uint8Array }[] = [
    { op: 'set', k: near, value: valueFor(near.name) },
    { op: 'set', k: overwritten, value: valueFor(overwritten.name, 2) },
    { op: 'delete', k: shortExhibit },
  ];
  for (const u of updates) {
    if (u.op === 'set') m.set(u.k.ns, u.k.key, u.value!);
    else m.delete(u.k.ns, u.k.key);
  }
  const finalRoot = m.root;
  const finalKeys = [...initial.filter((k) => k !== shortExhibit), near];
  const finalValue = (k: MapKeyVector) => (k === overwritten ? valueFor(k.name, 2) : valueFor(k.name));

  const proofs: ProofVector[] = [];
  const proof = (
    name: string,
    description: string,
    at: 'initial' | 'final',
    k: MapKeyVector,
    p: MapProof = at === 'initial' ? snap.prove(k.ns, k.key) : m.prove(k.ns, k.key),
  ) => {
    const v = {
      name,
      description,
      root: at === 'initial' ? initialRoot : finalRoot,
      ns: k.ns,
      key: k.key,
      proof: encodeMapProof(p),
    };
    proofs.push(v);
    return p;
  };
  const byName = (n: string) => [...initial, near].find((k) => k.name === n)!;

  // Against the initial root, through the snapshot taken before the updates.
  proof(
    'initial-member-overwritten',
    `${overwritten.name} maps to its first value (the root before it was overwritten)`,
    'initial',
    overwritten,
  );
  proof(
    'initial-member-short-exhibit',
    'short-exhibit is a member (the root before it was deleted)',
    'initial',
    shortExhibit,
  );
  const nearAbsent = proof(
    'initial-absent-leaf-near',
    `exhibit-near is absent: its slot holds ${compacted.name}'s leaf, compacted at depth 1 (absent-leaf)`,
    'initial',
    near,
  );
  proof(
    'initial-absent-empty',
    'absent-empty-1 is absent: its slot under the root is empty',
    'initial',
    empty1,
  );
  proof(
    'initial-absent-empty-deep',
    'absent-empty-2 is absent: an empty slot three levels down',
    'initial',
    empty2,
  );
  proof(
    'initial-member-twin',
    'exhibit-twin: 4 levels (3 one-child branches, then the branch that splits it from exhibit-1)',
    'initial',
    twin,
  );
  proof('initial-member-compacted', `${compacted.name}: a leaf compacted at depth 1`, 'initial', compacted);

  // Against the final root.
  for (const k of finalKeys)
    proof(`final-member-${k.name}`, `${k.name} is a member of the final map`, 'final', k);
  proof('final-absent-deleted', 'short-exhibit, deleted by the updates, is absent', 'final', shortExhibit);
  proof('final-absent-empty', 'absent-empty-1 is still absent', 'final', empty1);
  proof('final-absent-empty-deep', 'absent-empty-2 is still absent', 'final', empty2);

  // Edge cases: the empty map, and a map of one key.
  const empty = new StateMap();
  proofs.push({
    name: 'empty-map-absent',
    description:
      'in the empty map (root = 32 zero bytes) every key is absent: no level, absent-empty (92 90 91 01)',
    root: empty.root,
    ns: 'exhibit',
    key: exhibit1,
    proof: encodeMapProof(empty.prove('exhibit', exhibit1)),
  });
  const single = new StateMap();
  single.set('exhibit', exhibit1, valueFor('exhibit-1'));
  proofs.push(
    {
      name: 'single-key-member',
      description: 'a map of one key: the root is its leaf hash; the proof has no level',
      root: single.root,
      ns: 'exhibit',
      key: exhibit1,
      proof: encodeMapProof(single.prove('exhibit', exhibit1)),
    },
    {
      name: 'single-key-absent-leaf',
      description:
        'a map of one key: another key is absent, the proof names the only leaf (no level, absent-leaf)',
      root: single.root,
      ns: 'exhibit',
      key: exhibit2,
      proof: encodeMapProof(single.prove('exhibit', exhibit2)),
    },
  );

  // The shapes the descriptions claim.
  const shape = (name: string, levels: number, terminal: MapProofTerminal['kind']) => {
    const p = decodeMapProof(proofs.find((x) => x.name === name)!.proof);
    if ('error' in p || p.proof.levels.length !== levels || p.proof.terminal.kind !== terminal)
      throw new Error(`${name}: not ${levels} levels ending ${terminal}`);
  };
  shape('initial-absent-leaf-near', 1, 'absent-leaf');
  shape('initial-absent-empty', 1, 'absent-empty');
  shape('initial-absent-empty-deep', 3, 'absent-empty');
  shape('initial-member-twin', 4, 'member');
  shape('initial-member-compacted', 1, 'member');
  shape('final-member-exhibit-near', 4, 'member');
  shape('empty-map-absent', 0, 'absent-empty');
  shape('single-key-member', 0, 'member');
  shape('single-key-absent-leaf', 0, 'absent-leaf');

  // ---- invalid proofs
  const invalid: InvalidProofVector[] = [];
  const bad = (
    expected: string,
    name: string,
    description: string,
    root: Uint8Array,
    k: { ns: string; key: Uint8Array },
    p: Uint8Array | MapProof,
  ) =>
    invalid.push({
      name,
      description,
      root,
      ns: k.ns,
      key: k.key,
      proof: p instanceof Uint8Array ? p : encodeMapProof(p),
      expected,
    });
  const finalNear = m.prove(near.ns, near.key);
  const compactedLeaf = nearAbsent.terminal;
  if (compactedLeaf.kind !== 'absent-leaf' || nearAbsent.levels.length !== 1)
    throw new Error('exhibit-near should end at a leaf compacted at depth 1');
  if (finalNear.levels.length !== 4) throw new Error('exhibit-near should be 4 levels deep once added');

  bad(
    'MAP_PROOF_ROOT_MISMATCH',
    'stale-absence',
    'the honest absence proof of exhibit-near against the initial root, presented against the final root (exhibit-near was added since)',
    finalRoot,
    near,
    nearAbsent,
  );
  bad(
    'MAP_PROOF_ROOT_MISMATCH',
    'stale-member-overwritten',
    `${overwritten.name}'s proof with its first value, against the final root (overwritten since)`,
    finalRoot,
    overwritten,
    snap.prove(overwritten.ns, overwritten.key),
  );
  bad(
    'MAP_PROOF_ROOT_MISMATCH',
    'stale-member-deleted',
    "short-exhibit's membership proof against the final root (deleted since)",
    finalRoot,
    shortExhibit,
    snap.prove(shortExhibit.ns, shortExhibit.key),
  );
  bad(
    'MAP_PROOF_ROOT_MISMATCH',
    'forged-absence-empty-slot',
    'forged absence of exhibit-near in the final map: its real 4 levels, with its slot claimed EMPTY',
    finalRoot,
    near,
    { levels: finalNear.levels, terminal: { kind: 'absent-empty' } },
  );
  bad(
    'MAP_PROOF_ROOT_MISMATCH',
    'forged-absence-compacted-leaf',
    `forged absence of exhibit-near in the final map: the real top level, then ${compacted.name}'s leaf where it sat compacted before exhibit-near was added`,
    finalRoot,
    near,
    { levels: finalNear.levels.slice(0, 1), terminal: compactedLeaf },
  );
  bad(
    'MAP_PROOF_NOT_COMPACTED',
    'forged-absence-one-child-branch',
    `forged absence of exhibit-near: the real top 2 levels (the second is a one-child branch), then ${compacted.name}'s leaf`,
    finalRoot,
    near,
    { levels: finalNear.levels.slice(0, 2), terminal: compactedLeaf },
  );
  bad(
    'MAP_PROOF_LEAF_OFF_PATH',
    'forged-absence-leaf-off-path',
    `forged absence of exhibit-near: all 4 real levels, then ${compacted.name}'s leaf, which shares only 3 nibbles of the path`,
    finalRoot,
    near,
    { levels: finalNear.levels, terminal: compactedLeaf },
  );
  bad(
    'MAP_PROOF_LEAF_IS_KEY',
    'leaf-is-key',
    `the absence proof of exhibit-near presented as an absence proof of ${compacted.name}, whose own leaf it names`,
    initialRoot,
    compacted,
    nearAbsent,
  );
  const twinFinal = m.prove(twin.ns, twin.key);
  bad(
    'MAP_PROOF_OWN_BIT',
    'own-bit',
    "exhibit-twin's proof presented for exhibit-1: at depth 3 it lists exhibit-1's own slot as a sibling",
    finalRoot,
    initial[4]!,
    twinFinal,
  );
  const ledgerProof = m.prove('ledger', new Uint8Array(0));
  if (ledgerProof.terminal.kind !== 'member') throw new Error('ledger is a member');
  const flippedValue = ledgerProof.terminal.value.slice();
  flippedValue[0]! ^= 1;
  bad(
    'MAP_PROOF_ROOT_MISMATCH',
    'member-wrong-value',
    'the ledger key with a value that differs in one bit',
    finalRoot,
    byName('ledger'),
    { levels: ledgerProof.levels, terminal: { kind: 'member', value: flippedValue } },
  );
  const sib = twinFinal.levels[0]!.siblings.slice();
  sib[5]! ^= 0x80;
  bad(
    'MAP_PROOF_ROOT_MISMATCH',
    'sibling-bit-flipped',
    "exhibit-twin's proof with one bit of a top-level sibling flipped",
    finalRoot,
    twin,
    {
      levels: [{ bitmap: twinFinal.levels[0]!.bitmap, siblings: sib }, ...twinFinal.levels.slice(1)],
      terminal: twinFinal.terminal,
    },
  );

  const good = encodeMapProof(ledgerProof);
  const ledgerKey = { ns: 'ledger', key: new Uint8Array(0) };
  bad('MAP_ROOT_INVALID', 'root-31', 'a trusted root of 31 bytes', finalRoot.slice(1), ledgerKey, good);
  bad(
    'MAP_KEY_INVALID',
    'namespace-empty',
    'an empty namespace',
    finalRoot,
    { ns: '', key: new Uint8Array(0) },
    good,
  );
  bad(
    'MAP_KEY_INVALID',
    'namespace-33',
    'a namespace of 33 bytes',
    finalRoot,
    { ns: 'n'.repeat(33), key: new Uint8Array(0) },
    good,
  );
  bad(
    'MAP_KEY_INVALID',
    'namespace-space',
    'a namespace with a space',
    finalRoot,
    { ns: 'led ger', key: new Uint8Array(0) },
    good,
  );
  bad(
    'MAP_KEY_INVALID',
    'namespace-non-ascii',
    'a namespace with a non-ASCII letter',
    finalRoot,
    { ns: 'l\u00e9dger', key: new Uint8Array(0) },
    good,
  );
  bad(
    'MAP_KEY_INVALID',
    'key-1025',
    'a key of 1,025 bytes',
    finalRoot,
    { ns: 'exhibit', key: new Uint8Array(1025) },
    good,
  );

  // Decoding (docs/STATE-MAP.md §Proof encoding).
  const z32 = new Uint8Array(32);
  const lvl = (bitmap: Uint8Array, siblings: Uint8Array) => rawArray([bitmap, siblings]);
  const wire = (levels: Uint8Array[], terminal: Uint8Array) => rawArray([rawArray(levels), terminal]);
  const absentEmpty = rawArray([enc(1)]);
  const k1 = { ns: 'exhibit', key: exhibit1 };
  const dec = (expected: string, name: string, description: string, bytes: Uint8Array) =>
    bad(expected, name, description, finalRoot, k1, bytes);
  dec('MAP_PROOF_MALFORMED', 'empty', 'no bytes', new Uint8Array(0));
  dec('MAP_PROOF_MALFORMED', 'trailing-byte', 'a valid proof followed by 00', concat(good, b(0)));
  dec('MAP_PROOF_MALFORMED', 'truncated', 'a valid proof without its last byte', good.slice(0, -1));
  dec(
    'MAP_PROOF_MALFORMED',
    'top-array-3',
    '[levels, terminal, 0]',
    rawArray([rawArray([]), absentEmpty, enc(0)]),
  );
  dec(
    'MAP_PROOF_MALFORMED',
    'top-map',
    'a map instead of an array',
    encodeCanonical({ levels: [], terminal: [1] }),
  );
  dec('MAP_PROOF_MALFORMED', 'levels-not-array', 'levels = 0', rawArray([enc(0), absentEmpty]));
  dec(
    'MAP_PROOF_MALFORMED',
    'level-array-1',
    'a level [bitmap] without siblings',
    wire([rawArray([enc(5)])], absentEmpty),
  );
  dec(
    'MAP_PROOF_MALFORMED',
    'bitmap-string',
    'a bitmap given as a string',
    wire([lvl(enc('1'), enc(z32))], absentEmpty),
  );
  dec(
    'MAP_PROOF_MALFORMED',
    'bitmap-65536',
    'bitmap 65536 (uint32)',
    wire([lvl(enc(65_536), enc(new Uint8Array(0)))], absentEmpty),
  );
  dec(
    'MAP_PROOF_MALFORMED',
    'siblings-string',
    'siblings given as a string',
    wire([lvl(enc(1), enc('x'))], absentEmpty),
  );
  dec('MAP_PROOF_MALFORMED', 'terminal-tag-3', 'terminal [3]', wire([], rawArray([enc(3)])));
  dec('MAP_PROOF_MALFORMED', 'absent-empty-extra', 'terminal [1, 0]', wire([], rawArray([enc(1), enc(0)])));
  dec('MAP_PROOF_MALFORMED', 'member-no-value', 'terminal [0]', wire([], rawArray([enc(0)])));
  dec(
    'MAP_PROOF_MALFORMED',
    'member-value-31',
    'a member value of 31 bytes',
    wire([], rawArray([enc(0), enc(z32.slice(1))])),
  );
  dec(
    'MAP_PROOF_MALFORMED',
    'absent-leaf-no-value',
    'terminal [2, path]',
    wire([], rawArray([enc(2), enc(z32)])),
  );
  dec(
    'MAP_PROOF_NON_CANONICAL',
    'bitmap-uint16',
    'bitmap 5 written cd 00 05',
    wire([lvl(b(0xcd, 0, 5), enc(concat(z32, z32)))], absentEmpty),
  );
  dec(
    'MAP_PROOF_NON_CANONICAL',
    'siblings-bin16',
    '64 bytes of siblings with a bin16 header (c5 00 40)',
    wire([lvl(enc(3 << 4), binAs(0xc5, concat(z32, z32)))], absentEmpty),
  );
  dec(
    'MAP_PROOF_NON_CANONICAL',
    'levels-array16',
    'a levels array of 1 with an array16 header',
    rawArray([rawArray([lvl(enc(1), enc(z32))], concat(b(0xdc), be(1, 2))), absentEmpty]),
  );
  dec(
    'MAP_PROOF_TOO_DEEP',
    'levels-65',
    '65 levels (at most 64)',
    wire(
      Array.from({ length: 65 }, () => lvl(enc(1), enc(h('sibling')))),
      absentEmpty,
    ),
  );
  dec(
    'MAP_PROOF_SIBLINGS',
    'siblings-short',
    'bitmap with 2 bits set, 32 bytes of siblings',
    wire([lvl(enc(3), enc(z32))], absentEmpty),
  );
  dec(
    'MAP_PROOF_SIBLINGS',
    'siblings-long',
    'bitmap with 1 bit set, 64 bytes of siblings',
    wire([lvl(enc(1), enc(concat(z32, z32)))], absentEmpty),
  );
  dec(
    'MAP_PROOF_OWN_BIT',
    'bitmap-ffff',
    "bitmap 0xffff: all 16 children, the path's own included, whatever the key",
    wire([lvl(enc(0xffff), enc(new Uint8Array(512)))], absentEmpty),
  );
  dec(
    'MAP_PROOF_NOT_COMPACTED',
    'last-level-empty',
    'a last level with bitmap 0 (that branch would hold one leaf, which is compacted)',
    wire([lvl(enc(0x0001), enc(h('sibling'))), lvl(enc(0), enc(new Uint8Array(0)))], absentEmpty),
  );

  // ---- JSON
  const deviations: string[] = [];
  const keyJson = (k: MapKeyVector, value?: Uint8Array): Json => {
    const text = (() => {
      try {
        const s = new TextDecoder('utf-8', { fatal: true }).decode(k.key);
        return /^[\x20-\x7e]*$/.test(s) ? s : null;
      } catch {
        return null;
      }
    })();
    const j: { [key: string]: Json } = {
      name: k.name,
      ns: k.ns,
      keyHex: toHex(k.key),
      note: k.note,
      pathHex: toHex(pathOf(k)),
    };
    if (text !== null && k.key.length > 0) j['keyText'] = text;
    if (value) j['valueHex'] = toHex(value);
    return j;
  };
  const proofJson = (p: ProofVector) => {
    const expected = verifyResult(p.root, p.ns, p.key, p.proof);
    if (
      typeof expected !== 'object' ||
      expected === null ||
      Array.isArray(expected) ||
      expected['ok'] !== true
    )
      deviations.push(`map.proofs ${p.name}: ${JSON.stringify(expected)}`);
    const d = decodeMapProof(p.proof);
    if ('error' in d) throw new Error(`${p.name} does not decode`);
    return {
      name: p.name,
      description: p.description,
      rootHex: toHex(p.root),
      ns: p.ns,
      keyHex: toHex(p.key),
      proofHex: toHex(p.proof),
      levels: d.proof.levels.map((l) => ({ bitmap: l.bitmap, siblingsHex: toHex(l.siblings) })),
      terminal: terminalJson(d.proof.terminal),
      expected,
    };
  };
  const invalidJson = invalid.map((p) => {
    const got = verifyResult(p.root, p.ns, p.key, p.proof);
    const reason = typeof got === 'object' && got !== null && !Array.isArray(got) ? got['reason'] : undefined;
    if (reason !== p.expected)
      deviations.push(`map.invalidProofs ${p.name}: expected ${p.expected}, got ${JSON.stringify(got)}`);
    return {
      name: p.name,
      description: p.description,
      rootHex: toHex(p.root),
      ns: p.ns,
      keyHex: toHex(p.key),
      proofHex: toHex(p.proof),
      expectedReason: p.expected,
    };
  });
  snap.release();

  return {
    json: {
      about:
        'A state map (docs/STATE-MAP.md) over the namespaces of docs/FORMAT.md §The state map. `initial`: its keys, values and root; ' +
        '`updates`: applied in order, giving `final`. Values stand in for record hashes: SHA-256("vectors-v2 map value " || name || " v" || version). ' +
        '`proofs`: encoded proofs that verifyMapProof(rootHex, ns, keyHex, proofHex) accepts with `expected` (against the initial root ' +
        'through a snapshot taken before the updates, against the final root, and in an empty and a one-key map), decoded for reading. ' +
        '`invalidProofs`: proofs it refuses with `expectedReason`. Generated by test/vectors-v2/generate.ts (npm run vectors:v2); do not edit.',
      pathDomain: 'custody/map/path/v2\n',
      initial: {
        rootHex: toHex(initialRoot),
        size: initial.length,
        keys: initial.map((k) => keyJson(k, valueFor(k.name))),
      },
      updates: updates.map((u) =>
        u.op === 'set'
          ? { op: 'set', name: u.k.name, ns: u.k.ns, keyHex: toHex(u.k.key), valueHex: toHex(u.value!) }
          : { op: 'delete', name: u.k.name, ns: u.k.ns, keyHex: toHex(u.k.key) },
      ),
      final: {
        rootHex: toHex(finalRoot),
        size: m.size,
        keys: finalKeys.map((k) => keyJson(k, finalValue(k))),
      },
      absentKeys: [keyJson(empty1), keyJson(empty2)],
      proofs: proofs.map(proofJson),
      invalidProofs: invalidJson,
    },
    deviations,
  };
}
