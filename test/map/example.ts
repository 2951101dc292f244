/**
 * The worked example of docs/STATE-MAP.md §Worked example, generated from the
 * implementation (example.test.ts checks the document holds exactly this text
 * and recomputes every value with the reference). Run
 * `npx tsx test/map/example.ts` to print it.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { encodeMapProof, type MapProof, mapPath, StateMap } from '../../src/map/index.js';

export const EXAMPLE_NS = 'exhibit';
/** SIM-01 and PHONE-03 share their first path nibble (f); HDD-01 starts with 6. */
export const EXAMPLE_KEYS = ['HDD-01', 'PHONE-03', 'SIM-01'] as const;
/** Absent keys: TAB-02's path starts with 6 (HDD-01's slot), HDD-02's with 1 (an empty slot). */
export const EXAMPLE_ABSENT = ['TAB-02', 'HDD-02'] as const;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** The stand-in for a record hash: SHA-256(utf8("example record " ‖ key)). */
export const exampleValue = (key: string): Uint8Array =>
  new Uint8Array(createHash('sha256').update(`example record ${key}`).digest());

export function exampleMap(): StateMap {
  const m = new StateMap();
  for (const k of EXAMPLE_KEYS) m.set(EXAMPLE_NS, k, exampleValue(k));
  return m;
}

/** One proof encoding split into annotated parts; their hex concatenated is the encoding. */
export function annotate(proof: MapProof, names: Map<string, string>): [string, string][] {
  const name = (b: Uint8Array) => names.get(hex(b)) ?? hex(b);
  const u = (n: number) =>
    n < 0x80
      ? n.toString(16).padStart(2, '0')
      : n < 0x100
        ? `cc${n.toString(16).padStart(2, '0')}`
        : `cd${n.toString(16).padStart(4, '0')}`;
  const bin = (b: Uint8Array) =>
    b.length < 0x100
      ? `c4${b.length.toString(16).padStart(2, '0')}`
      : `c5${b.length.toString(16).padStart(4, '0')}`;
  const parts: [string, string][] = [
    ['92', 'proof: array of 2'],
    [`9${proof.levels.length.toString(16)}`, `levels: array of ${proof.levels.length}`],
  ];
  proof.levels.forEach((l, d) => {
    const kids = [...Array(16).keys()].filter((i) => (l.bitmap >>> i) & 1);
    parts.push([
      `92${u(l.bitmap)}${bin(l.siblings)}`,
      `level ${d}: [bitmap 0x${l.bitmap.toString(16).padStart(4, '0')} (children ${kids.join(', ')}), ${l.siblings.length}-byte siblings]`,
    ]);
    kids.forEach((c, j) => {
      const s = l.siblings.subarray(32 * j, 32 * j + 32);
      parts.push([hex(s), `  child ${c}: ${name(s)}`]);
    });
  });
  const t = proof.terminal;
  if (t.kind === 'member') parts.push(['9200c420', 'terminal: [0, value] member'], [hex(t.value), '  value']);
  else if (t.kind === 'absent-empty') parts.push(['9101', 'terminal: [1] absent-empty']);
  else
    parts.push(
      ['9302c420', 'terminal: [2, path, value] absent-leaf'],
      [hex(t.path), `  path of ${name(t.path)}`],
      ['c420', ''],
      [hex(t.value), '  its value'],
    );
  return parts;
}

export function renderExample(): string {
  const m = exampleMap();
  const names = new Map<string, string>();
  const lines: string[] = [];
  const out = (s = '') => lines.push(s);
  out('```text');
  out(`namespace = "${EXAMPLE_NS}" (7 bytes)`);
  for (const k of EXAMPLE_KEYS) {
    const path = mapPath(EXAMPLE_NS, k);
    const value = exampleValue(k);
    const leaf = new StateMap();
    leaf.set(EXAMPLE_NS, k, value);
    names.set(hex(leaf.root), `leafHash(${k})`);
    names.set(hex(path), k);
    out();
    out(`key ${k}`);
    out(`  path     ${hex(path)}`);
    out(`  value    ${hex(value)}`);
    out(`  leafHash ${hex(leaf.root)}`);
  }
  // The branch at depth 1 under nibble f: the root proof of SIM-01 shows it as the sibling of HDD-01's leaf.
  const sim = m.prove(EXAMPLE_NS, 'SIM-01');
  const absentEmpty = m.prove(EXAMPLE_NS, 'HDD-02');
  const branchF = absentEmpty.levels[0]!.siblings.subarray(32, 64);
  names.set(hex(branchF), 'nodeHash(branch f)');
  out();
  out(`branch f (depth 1)  nodeHash = ${hex(branchF)}`);
  out(`root (depth 0)      nodeHash = ${hex(m.root)}`);
  out('```');
  const proofs: [string, MapProof][] = [
    [`member proof of (${EXAMPLE_NS}, SIM-01)`, sim],
    [
      `absence proof of (${EXAMPLE_NS}, HDD-02), path ${hex(mapPath(EXAMPLE_NS, 'HDD-02')).slice(0, 8)}…`,
      absentEmpty,
    ],
    [
      `absence proof of (${EXAMPLE_NS}, TAB-02), path ${hex(mapPath(EXAMPLE_NS, 'TAB-02')).slice(0, 8)}…`,
      m.prove(EXAMPLE_NS, 'TAB-02'),
    ],
  ];
  for (const [title, p] of proofs) {
    const bytes = encodeMapProof(p);
    out();
    out(`${title}, ${bytes.length} bytes:`);
    out();
    out('```text');
    const parts = annotate(p, names);
    const width = Math.max(...parts.map(([h]) => Math.min(h.length, 64)));
    for (const [h, note] of parts) out(`${h.padEnd(width)}  ${note}`.trimEnd());
    out('```');
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${renderExample()}\n`);
