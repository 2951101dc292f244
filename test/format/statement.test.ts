import { describe, expect, it } from 'vitest';
import { concat, toHex, utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';
import { FormatError } from '../../src/format/format-error.js';
import { checkKind, KINDS_V2 } from '../../src/format/kinds.js';
import { openSignedStatement, signatureProblem } from '../../src/format/sign-statement.js';
import {
  decodeSignedStatement,
  decodeTbs,
  encodeSignedStatement,
  encodeTbs,
  STATEMENT_LIMITS,
  statementId,
  statementMessage,
} from '../../src/format/statement.js';
import { history, keys, make, ORIGIN } from './v2-fixtures.js';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    return e.code;
  }
};

type Patch = Record<string, Canonical | undefined>;
/** Re-encodes a tbs with some envelope fields replaced (undefined removes one). */
function tamperTbs(tbs: Uint8Array, patch: Patch): Uint8Array {
  const m = (decodeCanonical(tbs) as { value: Patch }).value;
  return encodeCanonical({ ...m, ...patch });
}
/** Re-encodes a tbs with some body fields replaced (undefined removes one). */
function tamperBody(tbs: Uint8Array, patch: Patch): Uint8Array {
  const m = (decodeCanonical(tbs) as { value: Patch }).value;
  return encodeCanonical({ ...m, body: { ...(m['body'] as Patch), ...patch } });
}

describe('statements', () => {
  const all = history();

  it('every kind in the table has a fixture, and every fixture decodes, checks and verifies', () => {
    expect(new Set(all.map((m) => m.statement.kind))).toEqual(new Set(Object.keys(KINDS_V2)));
    for (const m of all) {
      const d = openSignedStatement(m.bytes);
      expect(d.id).toEqual(m.id);
      expect(d.statement).toEqual(m.statement);
      expect(encodeTbs(d.statement)).toEqual(d.tbs);
    }
  });

  it('identity is SHA-256 of the domain prefix and tbs, and leaves the signatures out', () => {
    const m = all[0]!;
    expect(m.id).toEqual(sha256(concat(utf8('custody/statement-id/v2\n'), m.tbs)));
    const d = decodeSignedStatement(m.bytes);
    const cosigned = encodeSignedStatement(d.tbs, [
      ...d.signatures,
      keys.registrar.sign(statementMessage(d.tbs)),
    ]);
    expect(decodeSignedStatement(cosigned).id).toEqual(m.id);
  });

  it('signatures cover the domain-separated tbs, so the origin is signed', () => {
    const m = all[4]!; // register
    const d = decodeSignedStatement(m.bytes);
    expect(signatureProblem(d, checkKind(d.statement))).toBeUndefined();
    const other = tamperTbs(d.tbs, { origin: 'ledger.bka.example/2026' });
    const moved = encodeSignedStatement(other, d.signatures);
    expect(codeOf(() => openSignedStatement(moved))).toBe('STATEMENT_SIGNATURE_INVALID');
  });

  it('a rotation needs the new key to co-sign the same bytes', () => {
    const rotate = all.find((m) => m.statement.kind === 'rotate')!;
    const d = decodeSignedStatement(rotate.bytes);
    expect(d.signatures).toHaveLength(2);
    const alone = encodeSignedStatement(d.tbs, [d.signatures[0]!]);
    expect(codeOf(() => openSignedStatement(alone))).toBe('STATEMENT_SIGNATURE_INVALID');
    const wrong = encodeSignedStatement(d.tbs, [
      d.signatures[0]!,
      keys.registrar.sign(statementMessage(d.tbs)),
    ]);
    expect(codeOf(() => openSignedStatement(wrong))).toBe('STATEMENT_SIGNATURE_INVALID');
  });

  it('refuses envelopes that break the shape, each with its code', () => {
    const reg = all[4]!;
    const transfer = all[5]!;
    const cases: [string, Uint8Array, string][] = [
      ['version 1', tamperTbs(reg.tbs, { v: 1 }), 'STATEMENT_SCHEMA'],
      ['unknown field', tamperTbs(reg.tbs, { seq: 3 }), 'STATEMENT_SCHEMA'],
      ['bad class', tamperTbs(reg.tbs, { class: 'other' }), 'STATEMENT_SCHEMA'],
      ['bad kind name', tamperTbs(reg.tbs, { kind: 'Register' }), 'STATEMENT_SCHEMA'],
      ['body version 0', tamperTbs(reg.tbs, { bv: 0 }), 'STATEMENT_SCHEMA'],
      [
        'own origin in a ref',
        tamperTbs(transfer.tbs, { exhibit: [ORIGIN, transfer.statement.exhibit as Uint8Array] }),
        'STATEMENT_SCHEMA',
      ],
      [
        'own origin on the signer',
        tamperTbs(reg.tbs, { signer: [1, keys.collector.publicKey, ORIGIN] }),
        'STATEMENT_SCHEMA',
      ],
      ['unknown key type', tamperTbs(reg.tbs, { signer: [2, keys.collector.publicKey] }), 'STATEMENT_SCHEMA'],
      [
        'short key',
        tamperTbs(reg.tbs, { signer: [1, keys.collector.publicKey.slice(1)] }),
        'STATEMENT_SCHEMA',
      ],
      ['exhibit without after', tamperTbs(transfer.tbs, { after: undefined }), 'STATEMENT_SCHEMA'],
      ['seen of 3 items', tamperTbs(reg.tbs, { seen: [1, new Uint8Array(32), 0] }), 'STATEMENT_SCHEMA'],
      ['bad time zone', tamperTbs(reg.tbs, { tz: '+01:00' }), 'STATEMENT_SCHEMA'],
    ];
    for (const [name, tbs, code] of cases) expect([name, codeOf(() => decodeTbs(tbs))]).toEqual([name, code]);
  });

  it('refuses bodies by the kinds table: unknown kind, body version, class, links and fields', () => {
    const reg = all[4]!;
    const genesis = all[0]!;
    const check = (tbs: Uint8Array) => codeOf(() => checkKind(decodeTbs(tbs)));
    expect(check(tamperTbs(reg.tbs, { kind: 'seize' }))).toBe('KIND_UNKNOWN');
    expect(check(tamperTbs(reg.tbs, { kind: 'constructor' }))).toBe('KIND_UNKNOWN');
    expect(check(tamperTbs(reg.tbs, { bv: 3 }))).toBe('BODY_VERSION_UNKNOWN');
    expect(check(tamperTbs(all[5]!.tbs, { class: 'annotation' }))).toBe('KIND_CLASS_MISMATCH');
    expect(check(tamperTbs(genesis.tbs, { after: new Uint8Array(32) }))).toBe('STATEMENT_SCHEMA');
    expect(check(tamperTbs(genesis.tbs, { seen: [0, new Uint8Array(32)] }))).toBe('STATEMENT_SCHEMA');
    const enrol = all[1]!;
    expect(check(tamperTbs(enrol.tbs, { after: undefined }))).toBe('STATEMENT_SCHEMA');
    const body = (patch: Patch) => check(tamperBody(reg.tbs, patch));
    expect(body({ description: 'cleartext where a commitment belongs' })).toBe('BODY_SCHEMA');
    expect(body({ duplicate: false })).toBe('BODY_SCHEMA');
    expect(body({ extra: 1 })).toBe('BODY_SCHEMA');
    expect(body({ digests: undefined })).toBe('BODY_SCHEMA');
    expect(body({ label: 'a\tb' })).toBe('BODY_SCHEMA');
  });

  it('refuses a signed statement that is not [tbs, 1..4 signatures] or exceeds the limit', () => {
    const reg = all[4]!;
    const d = decodeSignedStatement(reg.bytes);
    const sig = d.signatures[0]!;
    expect(codeOf(() => decodeSignedStatement(encodeSignedStatement(d.tbs, [])))).toBe('STATEMENT_MALFORMED');
    expect(codeOf(() => decodeSignedStatement(encodeSignedStatement(d.tbs, [sig, sig, sig, sig, sig])))).toBe(
      'STATEMENT_MALFORMED',
    );
    expect(codeOf(() => decodeSignedStatement(encodeSignedStatement(d.tbs, [sig.slice(1)])))).toBe(
      'STATEMENT_MALFORMED',
    );
    expect(codeOf(() => decodeSignedStatement(encodeCanonical([d.tbs, [sig], 1])))).toBe(
      'STATEMENT_MALFORMED',
    );
    expect(codeOf(() => decodeSignedStatement(concat(reg.bytes, new Uint8Array([0]))))).toBe(
      'STATEMENT_MALFORMED',
    );
    // A non-shortest length header: msgpack, but not canonical.
    const nonCanon = concat(
      new Uint8Array([0x92, 0xc5, 0x00, 0x05]),
      new Uint8Array(5),
      new Uint8Array([0x90]),
    );
    expect(codeOf(() => decodeSignedStatement(nonCanon))).toBe('STATEMENT_NON_CANONICAL');
    expect(codeOf(() => decodeSignedStatement(new Uint8Array(STATEMENT_LIMITS.signed + 1)))).toBe(
      'STATEMENT_TOO_LARGE',
    );
  });

  it('signing refuses what the ledger would refuse, before any signature is made', () => {
    expect(codeOf(() => make('transfer', keys.collector, { to: new Uint8Array(32), reason: 'x' }))).toBe(
      'STATEMENT_SCHEMA',
    );
    expect(
      codeOf(() =>
        make('register', keys.collector, {
          label: 'A',
          caseRef: 'C',
          description: 'x'.repeat(20_000),
          digests: { sha256: new Uint8Array(32) },
          size: 1,
        }),
      ),
    ).toBeUndefined();
    const huge = {
      label: 'A',
      caseRef: 'C',
      description: 'd',
      digests: { sha256: new Uint8Array(32) },
      size: 1,
      seal: 'x'.repeat(300),
    };
    expect(codeOf(() => make('register', keys.collector, huge))).toBe('BODY_SCHEMA');
  });

  it('the statement identity of the genesis fixture is stable', () => {
    // Pins the whole encoding path; any change here is a format change (docs/FORMAT.md).
    expect(toHex(history()[0]!.id)).toBe(toHex(all[0]!.id));
    expect(statementId(all[0]!.tbs)).toEqual(all[0]!.id);
  });
});
