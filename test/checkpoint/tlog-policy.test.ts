/**
 * C2SP tlog-policy files (https://c2sp.org/tlog-policy,
 * src/checkpoint/tlog-policy.ts): the spec's example parses; every line the
 * grammar does not allow is refused with POLICY_INVALID naming its line;
 * groups nest with k-of-n semantics; the evaluator is monotone and
 * witnessesNeeded is the exact shortfall.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, utf8 } from '../../src/bytes.js';
import {
  formatCosignerVkey,
  formatVkey,
  formatVkeyOfType,
  listsLog,
  parseTlogPolicy,
  quorumSatisfied,
  SIG_TYPE_COSIGNATURE_V1,
  type TlogPolicy,
  witnessesNeeded,
} from '../../src/checkpoint/index.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { LOG_ORIGIN, logSigner, seed } from './helpers.js';

const signers = Array.from({ length: 10 }, (_, i) => signerFromSeed(seed(100 + i)));
/** Cosigner vkeys (type 0x04) w0 … w9. */
const W = signers.map((s, i) => formatCosignerVkey(`w${i}.example/witness`, s.publicKey));
const LOG = formatVkey(LOG_ORIGIN, logSigner.publicKey);
const OTHER_LOG = formatVkey('other.example/log', signers[9]!.publicKey);

/** The example of tlog-policy §Example policy, keys filled in. */
const SPEC_EXAMPLE = `log ${LOG}

witness X1 ${W[0]}
witness X2 ${W[1]}
witness X3 ${W[2]}
group X-witnesses 2 X1 X2 X3

witness Y1 ${W[3]}
witness Y2 ${W[4]}
witness Y3 ${W[5]}
group Y-witnesses any Y1 Y2 Y3

group X-and-Y all X-witnesses Y-witnesses
quorum X-and-Y
`;

const met = (p: TlogPolicy, ...names: string[]) => quorumSatisfied(p, new Set(names));

function refusal(input: string | Uint8Array): CustodyError {
  try {
    parseTlogPolicy(input);
  } catch (e) {
    if (e instanceof CustodyError) return e;
    throw e;
  }
  throw new Error('the policy was accepted');
}

describe('parsing: what the spec allows', () => {
  it('parses the example of tlog-policy §Example policy, with its meaning', () => {
    const p = parseTlogPolicy(SPEC_EXAMPLE);
    expect(p.logs.map((l) => [l.verifier.name, l.line])).toEqual([[LOG_ORIGIN, 1]]);
    expect(p.witnesses.map((w) => [w.name, w.verifier.name, w.line])).toEqual([
      ['X1', 'w0.example/witness', 3],
      ['X2', 'w1.example/witness', 4],
      ['X3', 'w2.example/witness', 5],
      ['Y1', 'w3.example/witness', 8],
      ['Y2', 'w4.example/witness', 9],
      ['Y3', 'w5.example/witness', 10],
    ]);
    expect(p.groups.map((g) => [g.name, g.threshold, g.members, g.line])).toEqual([
      ['X-witnesses', 2, ['X1', 'X2', 'X3'], 6],
      ['Y-witnesses', 1, ['Y1', 'Y2', 'Y3'], 11],
      ['X-and-Y', 2, ['X-witnesses', 'Y-witnesses'], 13],
    ]);
    expect(p.quorum).toBe('X-and-Y');
    // "at least two of the X-witnesses, and at least one of the Y-witnesses"
    expect(met(p, 'X1', 'X3', 'Y2')).toBe(true);
    expect(met(p, 'X1', 'X2', 'X3')).toBe(false);
    expect(met(p, 'X1', 'Y1', 'Y2', 'Y3')).toBe(false);
    expect(met(p)).toBe(false);
    expect(witnessesNeeded(p, new Set())).toBe(3);
    expect(witnessesNeeded(p, new Set(['Y1', 'Y2']))).toBe(2);
    expect(witnessesNeeded(p, new Set(['X2', 'Y3']))).toBe(1);
    expect(witnessesNeeded(p, new Set(['X1', 'X2', 'Y3']))).toBe(0);
    expect(listsLog(p, LOG_ORIGIN, logSigner.publicKey)).toBe(true);
    expect(listsLog(p, 'other.example/log', logSigner.publicKey)).toBe(false);
    expect(listsLog(p, LOG_ORIGIN, signers[9]!.publicKey)).toBe(false);
  });

  it('takes URLs, comments, blank lines and space or tab around items, and bytes as well as text', () => {
    const text = [
      '# a comment',
      '   \t# an indented comment, with "quorum" in it',
      '',
      ' \t ',
      `\tlog\t${LOG}  https://log.example/ `,
      `log ${OTHER_LOG}`,
      `witness  W0 ${W[0]} https://w0.example/submit`,
      `witness W1\t${W[1]}`,
      'group  G  all  W0 W1  ',
      'quorum G',
      '',
    ].join('\n');
    const p = parseTlogPolicy(text);
    expect(p.logs.map((l) => l.url)).toEqual(['https://log.example/', undefined]);
    expect(p.witnesses.map((w) => [w.name, w.url])).toEqual([
      ['W0', 'https://w0.example/submit'],
      ['W1', undefined],
    ]);
    expect(p.groups[0]!.threshold).toBe(2);
    // The verifiers are closures; everything else of the two results is the same.
    const plain = (q: TlogPolicy) => JSON.stringify(q, (k, v) => (k === 'verifier' ? v.name : v));
    expect(plain(parseTlogPolicy(utf8(text)))).toBe(plain(p));
  });

  it('quorum none: no cosignature needed, with no witness and no log at all', () => {
    const p = parseTlogPolicy('quorum none\n');
    expect(p).toMatchObject({ logs: [], witnesses: [], groups: [], quorum: 'none' });
    expect(met(p)).toBe(true);
    expect(witnessesNeeded(p, new Set())).toBe(0);
  });

  it('a quorum of one witness; witness, log and quorum lines in any order, definitions before use', () => {
    const p = parseTlogPolicy(`witness A ${W[0]}\nquorum A\nlog ${LOG}\nwitness B ${W[1]}\n`);
    expect([met(p, 'A'), met(p, 'B'), met(p)]).toEqual([true, false, false]);
    expect(p.logs).toHaveLength(1);
  });

  it('a decimal threshold, and names that are keywords elsewhere', () => {
    const p = parseTlogPolicy(
      `witness all ${W[0]}\nwitness any ${W[1]}\nwitness 2 ${W[2]}\ngroup quorum 002 all any 2\nquorum quorum\n`,
    );
    expect(p.groups[0]).toMatchObject({ name: 'quorum', threshold: 2, members: ['all', 'any', '2'] });
    expect([met(p, 'all', '2'), met(p, 'any')]).toEqual([true, false]);
  });

  it('names are opaque octets: K and the Kelvin sign differ, invalid UTF-8 is kept apart', () => {
    const line = (name: Uint8Array, vkey: string) => concat(utf8('witness '), name, utf8(` ${vkey}\n`));
    const bytes = concat(
      line(utf8('K'), W[0]!),
      line(utf8('\u212a'), W[1]!),
      line(new Uint8Array([0xff]), W[2]!),
      line(new Uint8Array([0xc3]), W[3]!),
      line(utf8('\u00c3'), W[4]!),
      line(utf8('Zeugin-Zürich'), W[5]!),
      utf8('quorum K\n'),
    );
    const p = parseTlogPolicy(bytes);
    const names = p.witnesses.map((w) => w.name);
    expect(new Set(names).size).toBe(6);
    expect(names[0]).toBe('K');
    expect(names[1]).toBe('\u212a');
    expect(names[5]).toBe('Zeugin-Zürich');
    expect([met(p, 'K'), met(p, '\u212a')]).toEqual([true, false]);
    // The same name twice in octets is the same name.
    expect(
      refusal(concat(line(new Uint8Array([0xff]), W[0]!), line(new Uint8Array([0xff]), W[1]!))).message,
    ).toBe(
      'tlog-policy line 2: the name "\\udcff" is already defined on line 1 (witnesses and groups share one namespace)',
    );
  });
});

describe('parsing: everything else is refused, naming the line', () => {
  const identity = new Uint8Array(32);
  identity[0] = 1; // the neutral point: a small-order key, never admissible
  const cases: [string, string, number, string][] = [
    ['an unknown keyword', `logs ${LOG}\nquorum none\n`, 1, 'unknown keyword "logs"'],
    ['a keyword in capitals', `# ok\nQUORUM none\n`, 2, 'unknown keyword "QUORUM"'],
    ['a log line without a key', 'log\nquorum none\n', 1, 'a log line is "log <vkey> [<url>]"'],
    ['a log line with two URLs', `log ${LOG} https://a https://b\nquorum none\n`, 1, 'a log line is'],
    [
      'a comment after a witness (trailing comments are not in the grammar)',
      `witness A ${W[0]} https://a # the first\nquorum A\n`,
      1,
      'a witness line is "witness <name> <vkey> [<url>]"',
    ],
    ['a witness without a key', 'witness A\nquorum A\n', 1, 'a witness line is'],
    [
      'a log key that is a cosigner key',
      `log ${W[0]}\nquorum none\n`,
      1,
      'must be an Ed25519 note-signing vkey',
    ],
    [
      'a witness key that is a log key',
      `witness A ${LOG}\nquorum A\n`,
      1,
      'must be an Ed25519 cosigner vkey',
    ],
    ['a key that is not a vkey', `\nwitness A abc\nquorum A\n`, 2, 'the witness key is not a vkey'],
    [
      'a vkey whose key ID does not match',
      `witness A ${W[0]!.replace(/\+[0-9a-f]{8}\+/, '+00000000+')}\nquorum A\n`,
      1,
      'does not match',
    ],
    [
      'a key that is not admissible',
      `witness A ${formatVkeyOfType('bad.example', SIG_TYPE_COSIGNATURE_V1, identity)}\nquorum A\n`,
      1,
      'the witness key is unusable',
    ],
    [
      'the same log key twice',
      `log ${LOG}\nlog ${LOG} https://x\nquorum none\n`,
      2,
      'already listed on line 1',
    ],
    [
      'the same log key under another name',
      `log ${LOG}\n\nlog ${formatVkey('alias.example', logSigner.publicKey)}\nquorum none\n`,
      3,
      'duplicate logs are not allowed',
    ],
    [
      'the same witness key under another name',
      `witness A ${W[0]}\nwitness B ${formatCosignerVkey('alias.example', signers[0]!.publicKey)}\nquorum A\n`,
      2,
      'is already the key of "A" (line 1)',
    ],
    [
      'a name defined twice',
      `witness A ${W[0]}\nwitness A ${W[1]}\nquorum A\n`,
      2,
      'already defined on line 1',
    ],
    [
      'a group with the name of a witness',
      `witness A ${W[0]}\ngroup A any A\nquorum A\n`,
      2,
      'already defined on line 1',
    ],
    ['a witness named none', `witness none ${W[0]}\nquorum none\n`, 1, 'the name "none" is predefined'],
    ['a group without members', `witness A ${W[0]}\ngroup G any\nquorum A\n`, 2, 'at least one member'],
    ['a threshold of 0', `witness A ${W[0]}\ngroup G 0 A\nquorum G\n`, 2, 'must be from 1 to its 1 members'],
    ['a threshold above n', `witness A ${W[0]}\ngroup G 2 A\nquorum G\n`, 2, 'not 2'],
    ['a word for a threshold', `witness A ${W[0]}\ngroup G one A\nquorum G\n`, 2, 'all, any or a decimal'],
    ['a signed threshold', `witness A ${W[0]}\ngroup G +1 A\nquorum G\n`, 2, 'all, any or a decimal'],
    ['a hexadecimal threshold', `witness A ${W[0]}\ngroup G 0x1 A\nquorum G\n`, 2, 'all, any or a decimal'],
    ['a member defined later', `group G any A\nwitness A ${W[0]}\nquorum G\n`, 1, '"A" is not defined'],
    ['a group that lists itself', `witness A ${W[0]}\ngroup G any A G\nquorum G\n`, 2, '"G" is not defined'],
    [
      'none as a member',
      `witness A ${W[0]}\ngroup G any A none\nquorum G\n`,
      2,
      '"none" cannot be a group member',
    ],
    [
      'a member listed twice',
      `witness A ${W[0]}\ngroup G any A A\nquorum G\n`,
      2,
      'listed twice in group "G"',
    ],
    [
      'a member of two groups',
      `witness A ${W[0]}\nwitness B ${W[1]}\ngroup G any A\ngroup H all A B\nquorum H\n`,
      4,
      '"A" is already a member of group "G" (line 3)',
    ],
    ['a quorum of an undefined name', `witness A ${W[0]}\nquorum B\n`, 2, 'the quorum "B" is not defined'],
    ['a quorum before its witness', `quorum A\nwitness A ${W[0]}\n`, 1, 'the quorum "A" is not defined'],
    ['two quorum lines', `witness A ${W[0]}\nquorum A\nquorum none\n`, 3, 'the first is on line 2'],
    ['a quorum of two names', `witness A ${W[0]}\nwitness B ${W[1]}\nquorum A B\n`, 3, 'a quorum line is'],
    ['an empty quorum line', 'quorum\n', 1, 'a quorum line is'],
    ['a CRLF line ending', `quorum none\r\n`, 1, 'the octet 0x0d is not allowed'],
    ['a control character in a comment', '# a \u0007 bell\nquorum none\n', 1, 'the octet 0x07'],
    ['DEL', 'quorum none\n#\u007f\n', 2, 'the octet 0x7f'],
    ['NUL', 'quorum none\u0000\n', 1, 'the octet 0x00'],
    ['a vertical tab as whitespace', 'quorum\u000bnone\n', 1, 'the octet 0x0b'],
    [
      'a last line without its newline',
      '# fine\nquorum none',
      2,
      'the last line does not end with a newline',
    ],
  ];

  it.each(cases)('%s', (_what, text, line, message) => {
    const e = refusal(text);
    expect(e.code).toBe('POLICY_INVALID');
    expect(e.category).toBe('input');
    expect(e.message.startsWith(`tlog-policy line ${line}: `), e.message).toBe(true);
    expect(e.message).toContain(message);
    expect(e.message).not.toMatch(/[\n\r]/);
    expect(e.details).toEqual({ line });
  });

  it('no quorum line at all, even in an empty file', () => {
    expect(refusal('').message).toBe('tlog-policy: the file ends after line 0 without a quorum line');
    expect(refusal(`log ${LOG}\n# no quorum\n`).message).toBe(
      'tlog-policy: the file ends after line 2 without a quorum line',
    );
  });

  it('a text with a lone surrogate has no octets; a file over the limit is not read', () => {
    expect(refusal('quorum none\n# \ud800\n').message).toBe(
      'tlog-policy line 2: the text contains a lone UTF-16 surrogate',
    );
    expect(refusal(`${'#'.repeat(70_000)}\nquorum none\n`).message).toMatch(
      /^tlog-policy: the file is larger/,
    );
  });

  it('never throws anything but POLICY_INVALID with a one-line message, whatever the bytes', () => {
    const base = utf8(SPEC_EXAMPLE);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (edits) => {
          const b = Uint8Array.from(base);
          for (const [i, v] of edits) b[i] = v;
          try {
            parseTlogPolicy(b);
          } catch (e) {
            expect(e).toBeInstanceOf(CustodyError);
            expect((e as CustodyError).code).toBe('POLICY_INVALID');
            expect((e as CustodyError).message).toMatch(/^tlog-policy( line \d+)?: [^\n]*$/);
          }
        },
      ),
      { seed: 0x71e9, numRuns: 400 },
    );
  });
});

describe('groups: nesting and k-of-n', () => {
  it('three levels: a quorum of organisations, each a quorum of sites, each of witnesses', () => {
    const p = parseTlogPolicy(
      [
        ...W.slice(0, 8).map((v, i) => `witness n${i} ${v}`),
        'group site-a all n0 n1',
        'group site-b any n2 n3',
        'group org-1 1 site-a site-b',
        'group org-2 2 n4 n5 n6',
        'group court-policy all org-1 org-2 n7',
        'quorum court-policy',
        '',
      ].join('\n'),
    );
    expect(met(p, 'n2', 'n4', 'n5', 'n7')).toBe(true);
    expect(met(p, 'n0', 'n1', 'n5', 'n6', 'n7')).toBe(true);
    expect(met(p, 'n0', 'n4', 'n5', 'n7')).toBe(false); // site-a needs both
    expect(met(p, 'n2', 'n3', 'n4', 'n5')).toBe(false); // n7 is required
    expect(met(p, 'n2', 'n4', 'n7', 'site-b', 'org-2', 'court-policy')).toBe(false); // group names count for nothing
    expect(witnessesNeeded(p, new Set())).toBe(4);
    expect(witnessesNeeded(p, new Set(['n0', 'n4']))).toBe(3);
  });
});

/**
 * A random policy the grammar allows, as its text: witnesses w0…w(n-1), then
 * groups whose members are drawn from the names no group has listed yet
 * (each name is a member once), then the quorum: any name, or none.
 */
const arbPolicy = fc
  .record({
    witnesses: fc.integer({ min: 1, max: 7 }),
    groups: fc.array(
      fc.record({
        picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        k: fc.oneof(fc.constant<'all' | 'any'>('all'), fc.constant<'all' | 'any'>('any'), fc.nat()),
      }),
      { maxLength: 5 },
    ),
    quorum: fc.nat(),
  })
  .map(({ witnesses, groups, quorum }) => {
    const lines = Array.from({ length: witnesses }, (_, i) => `witness w${i} ${W[i]}`);
    const free = lines.map((_, i) => `w${i}`);
    const defined = [...free];
    groups.forEach((g, gi) => {
      const members: string[] = [];
      for (const pick of g.picks) if (free.length > 0) members.push(free.splice(pick % free.length, 1)[0]!);
      if (members.length === 0) return;
      const k = typeof g.k === 'string' ? g.k : String(1 + (g.k % members.length));
      lines.push(`group g${gi} ${k} ${members.join(' ')}`);
      free.push(`g${gi}`);
      defined.push(`g${gi}`);
    });
    const names = [...defined, 'none'];
    lines.push(`quorum ${names[quorum % names.length]}`);
    return { text: `${lines.join('\n')}\n`, witnesses };
  });

const arbSubset = (n: number) => fc.array(fc.boolean(), { minLength: n, maxLength: n });
const chosen = (bits: boolean[]) => new Set(bits.flatMap((b, i) => (b ? [`w${i}`] : [])));

describe('the evaluator (properties)', () => {
  it('is monotone: adding a cosigner never turns a met quorum unmet', () => {
    fc.assert(
      fc.property(
        arbPolicy.chain((g) => fc.tuple(fc.constant(g), arbSubset(g.witnesses), fc.nat(g.witnesses - 1))),
        ([g, bits, extra]) => {
          const p = parseTlogPolicy(g.text);
          const s = chosen(bits);
          const more = new Set([...s, `w${extra}`]);
          if (quorumSatisfied(p, s)) expect(quorumSatisfied(p, more)).toBe(true);
          expect(witnessesNeeded(p, more)).toBeLessThanOrEqual(witnessesNeeded(p, s));
        },
      ),
      { seed: 0x6d0a0, numRuns: 800 },
    );
  });

  it('witnessesNeeded is 0 exactly when the quorum is met, and is the true shortfall (brute force)', () => {
    fc.assert(
      fc.property(
        arbPolicy.chain((g) => fc.tuple(fc.constant(g), arbSubset(g.witnesses))),
        ([g, bits]) => {
          const p = parseTlogPolicy(g.text);
          const s = chosen(bits);
          expect(witnessesNeeded(p, s) === 0).toBe(quorumSatisfied(p, s));
          // The fewest witnesses to add to s so that the quorum is met, over every superset.
          let best = Number.POSITIVE_INFINITY;
          for (let m = 0; m < 1 << g.witnesses; m++) {
            const add = [...Array(g.witnesses).keys()].filter((i) => m & (1 << i) && !bits[i]);
            if (add.length >= best) continue;
            if (quorumSatisfied(p, new Set([...s, ...add.map((i) => `w${i}`)]))) best = add.length;
          }
          expect(witnessesNeeded(p, s)).toBe(best);
        },
      ),
      { seed: 0xb2e7e, numRuns: 500 },
    );
  });
});
