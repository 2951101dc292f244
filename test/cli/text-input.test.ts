/**
 * Text typed on the command line: normalised to NFC in one place (the runner)
 * before it is signed or looked up, and the ledger's label index key, foldLabel
 * (docs/FORMAT-V2.md §Text: the label's bytes with only ASCII A–Z folded).
 */
import { describe, expect, it } from 'vitest';
import { jurisdictionArg } from '../../cli/commands/admin.js';
import { makeProgram, normaliseText, TEXT_ARGUMENTS, TEXT_OPTIONS } from '../../cli/program.js';
import { foldLabel } from '../../src/format/text.js';

const NFD = 'Lo\u0301dz\u0301 Mu\u0308ller'; // Lódź Müller, decomposed
const NFC = NFD.normalize('NFC');

/** Runs `argv` through a program built like the CLI's and returns what the action received. */
async function received(argv: string[]): Promise<unknown[]> {
  let got: unknown[] = [];
  const program = makeProgram((p, run) => {
    run(
      p
        .command('try')
        .argument('<exhibit>')
        .argument('<file>')
        .option('--description <text>')
        .option('--reason <text>')
        .option('--key <file>')
        .option('--method <text>'),
      async (...args: unknown[]) => {
        got = args.slice(0, -1); // without the Output
      },
    );
  });
  await program.parseAsync(['try', ...argv], { from: 'user' });
  return got;
}

describe('NFC normalisation of typed text', () => {
  it('normalises text options and the <exhibit> argument, not paths or key files', async () => {
    const [exhibit, file, o] = await received([
      NFD,
      `/tmp/${NFD}.dd`,
      '--description',
      NFD,
      '--reason',
      `${NFD}\n${NFD}`,
      '--key',
      `${NFD}.key`,
    ]);
    expect(NFC).not.toBe(NFD);
    expect(exhibit).toBe(NFC);
    expect(file).toBe(`/tmp/${NFD}.dd`);
    expect(o).toMatchObject({ description: NFC, reason: `${NFC}\n${NFC}`, key: `${NFD}.key` });
  });

  it('leaves text already in NFC, and ASCII, byte for byte', async () => {
    const [exhibit, , o] = await received(['HDD-01', 'f', '--description', NFC, '--method', 'destroyed']);
    expect(exhibit).toBe('HDD-01');
    expect(o).toMatchObject({ description: NFC, method: 'destroyed' });
  });

  it('covers every option that carries signed text', () => {
    for (const k of ['name', 'org', 'case', 'exhibit', 'description', 'reason', 'note', 'location']) {
      expect(TEXT_OPTIONS.has(k), k).toBe(true);
    }
    for (const k of ['action', 'seal', 'legalBasis', 'method', 'tool', 'recipient', 'to', 'parent'])
      expect(TEXT_OPTIONS.has(k), k).toBe(true);
    for (const k of [
      'key',
      'file',
      'out',
      'ledger',
      'publicKey',
      'passphraseFile',
      'origin',
      'state',
      'logKey',
    ])
      expect(TEXT_OPTIONS.has(k), k).toBe(false);
    // <exhibit> and <actor> arguments are looked up among signed text; <file> is a path.
    expect([...TEXT_ARGUMENTS].sort()).toEqual(['actor', 'exhibit']);
  });

  it('normaliseText keeps non-text values as they are', () => {
    const opts = { description: NFD, threads: 4, json: true, trust: [NFD] };
    const program = makeProgram(() => {});
    const [o] = normaliseText(program, [opts]);
    expect(o).toEqual({ description: NFC, threads: 4, json: true, trust: [NFD] });
  });
});

describe('label look-up', () => {
  /**
   * What the ledger's label index (foldLabel) joins: every exhibit whose folded label is the folded
   * input. `resolveExhibit` (cli/context.ts) joins more (labelKey: NFC, any case; test/names/keys.test.ts).
   */
  const labelMatches = (xs: { id: string; label: string }[], input: string) =>
    xs.filter((x) => foldLabel(x.label) === foldLabel(input));
  const exhibits = [
    { id: 'A', label: 'HDD-01' },
    { id: 'B', label: 'Łódź-TEL-01' },
    { id: 'C', label: 'İSTANBUL-1' },
    { id: 'D', label: 'STRASSE-7' },
    { id: 'E', label: 'Dup-1' },
    { id: 'F', label: 'DUP-1' },
  ];
  const ids = (input: string) => labelMatches(exhibits, input).map((x) => x.id);

  it('folds ASCII letters only', () => {
    expect(ids('HDD-01')).toEqual(['A']);
    expect(ids('hdd-01')).toEqual(['A']);
    expect(ids('Łódź-tel-01')).toEqual(['B']);
    expect(ids('łódź-tel-01')).toEqual([]); // Ł is not ASCII
    expect(ids('Lodz-TEL-01')).toEqual([]); // no accent folding
    expect(ids('İstanbul-1')).toEqual(['C']);
    expect(ids('istanbul-1')).toEqual([]); // İ is not I
    expect(ids('straße-7')).toEqual([]); // ß is not ss
  });

  it('reports every exhibit with the same key, even when one matches exactly', () => {
    expect(ids('Dup-1')).toEqual(['E', 'F']);
    expect(ids('dup-1')).toEqual(['E', 'F']);
  });

  it('folds A–Z to a–z and nothing else, byte for byte', () => {
    expect(foldLabel('HDD-01')).toBe('hdd-01');
    expect(foldLabel('ÀÉÎ-ŁÓDŹ-ΣΑ')).toBe('ÀÉÎ-ŁÓdŹ-ΣΑ'); // only the D folds
    expect(foldLabel('Straße-İ-K')).toBe('straße-İ-k');
    expect(foldLabel('\u212a')).toBe('\u212a'); // KELVIN SIGN is not K
  });
});

describe('jurisdiction codes typed on the command line', () => {
  it('are upper-cased in ASCII only, so a ligature or dotless i is refused, not read as a code', () => {
    expect(jurisdictionArg('nl')).toBe('NL');
    expect(jurisdictionArg('De')).toBe('DE');
    expect(jurisdictionArg('\ufb01')).toBe('\ufb01'); // ﬁ, not FI
    expect(jurisdictionArg('\u017fe')).toBe('\u017fE'); // ſe, not SE
    expect(jurisdictionArg('\u0131e')).toBe('\u0131E'); // ıe, not IE
  });
});
