/**
 * Issue 29's body versions and kind (docs/FORMAT.md §Kinds and bodies):
 * register body version 2 (lab evidence), enrol body version 2 (the
 * enrolling officer's choices) and the resolve annotation. Each new field
 * valid and invalid, the rules across fields (BODY_SCHEMA), and the version a
 * signer writes (the lowest that has every field it gives).
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { Canonical } from '../../src/format/canonical.js';
import { FormatError } from '../../src/format/format-error.js';
import { KEY_TYPES } from '../../src/format/key-id.js';
import { bodyVersionFor, COMMITTED_FIELDS, checkKind, KINDS_V2 } from '../../src/format/kinds.js';
import { ed25519Key } from '../../src/format/sign-statement.js';
import type { Statement } from '../../src/format/statement.js';
import { keys, ORIGIN, T0 } from './v2-fixtures.js';

const h = (s: string) => sha256(utf8(s));
type Body = Record<string, Canonical | undefined>;

function statement(kind: string, bv: number, body: Body): Statement {
  const spec = KINDS_V2[kind]!;
  const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
  const s: Statement = {
    v: 2,
    origin: ORIGIN,
    class: spec.class,
    kind,
    bv,
    time: T0,
    tz: 'Europe/Amsterdam',
    signer: { key: ed25519Key(keys.collector.publicKey) },
    body: clean as Statement['body'],
  };
  if (spec.link === 'required') {
    s.exhibit = h('exhibit');
    s.after = h('head');
  }
  if (spec.link === 'ledger') {
    s.after = h('ledger head');
    s.seen = { size: 1, root: h('root') };
  }
  return s;
}

/** The code checkKind throws, or 'ok'; with the reason for BODY_SCHEMA. */
function verdict(kind: string, bv: number, body: Body): string {
  try {
    checkKind(statement(kind, bv, body));
    return 'ok';
  } catch (e) {
    if (e instanceof FormatError) return e.code;
    throw e;
  }
}

const V1_REGISTER: Body = {
  label: 'EXPORT-01',
  caseRef: 'NL-2026-0042',
  description: h('description commitment'),
  size: 52_428_800,
  digests: { sha256: h('bytes') },
};
const FILE: Body = { ...V1_REGISTER, evidence: 'file' };
const DIRECTORY: Body = { ...V1_REGISTER, evidence: 'directory', manifest: h('root'), entries: 12 };
const SEGMENTS: Body = { ...V1_REGISTER, evidence: 'segments', manifest: h('root'), entries: 3 };
const DEVICE: Body = { ...V1_REGISTER, evidence: 'device', device: { readOnly: 'yes', mounted: 'no' } };
const REPORTED = {
  tool: 'ewfacquire',
  version: '20140608',
  digests: { md5: new Uint8Array(16).fill(1), sha1: new Uint8Array(20).fill(2) },
  log: h('log file'),
};
const reg2 = (body: Body) => verdict('register', 2, body);

describe('register, body version 2', () => {
  it('accepts each evidence type with the fields it goes with', () => {
    for (const b of [FILE, DIRECTORY, SEGMENTS, DEVICE]) expect(reg2(b), String(b['evidence'])).toBe('ok');
    expect(reg2({ ...DEVICE, device: { model: 'Samsung SM-S911B', readOnly: 'no', mounted: 'yes' } })).toBe(
      'ok',
    );
    // Empty folder: a manifest with no entry.
    expect(reg2({ ...DIRECTORY, entries: 0 })).toBe('ok');
  });

  it('refuses an unknown evidence type, and requires evidence', () => {
    expect(reg2({ ...FILE, evidence: 'cloud' })).toBe('BODY_SCHEMA');
    expect(reg2({ ...FILE, evidence: undefined })).toBe('BODY_SCHEMA');
    expect(reg2({ ...FILE, evidence: 1 })).toBe('BODY_SCHEMA');
  });

  it('a manifest exactly for directory and segments, its entry count exactly with it', () => {
    expect(reg2({ ...FILE, manifest: h('root'), entries: 1 })).toBe('BODY_SCHEMA');
    expect(reg2({ ...DEVICE, manifest: h('root'), entries: 1 })).toBe('BODY_SCHEMA');
    expect(reg2({ ...DIRECTORY, manifest: undefined, entries: undefined })).toBe('BODY_SCHEMA');
    expect(reg2({ ...SEGMENTS, manifest: undefined, entries: undefined })).toBe('BODY_SCHEMA');
    expect(reg2({ ...DIRECTORY, entries: undefined })).toBe('BODY_SCHEMA');
    expect(reg2({ ...FILE, entries: 3 })).toBe('BODY_SCHEMA');
    expect(reg2({ ...DIRECTORY, manifest: h('root').slice(1) })).toBe('BODY_SCHEMA');
    expect(reg2({ ...DIRECTORY, entries: -1 })).toBe('BODY_SCHEMA');
    expect(reg2({ ...DIRECTORY, entries: 1.5 })).toBe('BODY_SCHEMA');
  });

  it('a device map only with device evidence, and well formed', () => {
    expect(reg2({ ...FILE, device: { readOnly: 'yes', mounted: 'no' } })).toBe('BODY_SCHEMA');
    expect(reg2({ ...DIRECTORY, device: { readOnly: 'yes', mounted: 'no' } })).toBe('BODY_SCHEMA');
    // Device evidence may leave the map out (the kernel's view was not recorded).
    expect(reg2({ ...DEVICE, device: undefined })).toBe('ok');
    const device = (d: Canonical) => reg2({ ...DEVICE, device: d });
    expect(device({ readOnly: true, mounted: 'no' })).toBe('BODY_SCHEMA');
    expect(device({ readOnly: 'yes' })).toBe('BODY_SCHEMA');
    expect(device({ mounted: 'no' })).toBe('BODY_SCHEMA');
    expect(device({ readOnly: 'yes', mounted: 'maybe' })).toBe('BODY_SCHEMA');
    expect(device({ readOnly: 'yes', mounted: 'no', serial: 'X' })).toBe('BODY_SCHEMA');
    expect(device({ readOnly: 'yes', mounted: 'no', model: 'a\nb' })).toBe('BODY_SCHEMA');
    expect(device(['yes', 'no'])).toBe('BODY_SCHEMA');
  });

  it('reported digests: a known tool, its version, at least one digest when any, the log hash, an optional verification', () => {
    const rep = (r: Canonical) => reg2({ ...SEGMENTS, reported: r });
    expect(rep(REPORTED)).toBe('ok');
    for (const tool of ['ewfacquire', 'ewfverify', 'ftk-imager', 'guymager', 'hashdeep'])
      expect(rep({ ...REPORTED, tool }), tool).toBe('ok');
    expect(rep({ ...REPORTED, verification: 'verified' })).toBe('ok');
    expect(rep({ ...REPORTED, verification: 'failed' })).toBe('ok');
    expect(rep({ ...REPORTED, verification: 'unknown' })).toBe('BODY_SCHEMA');
    expect(rep({ ...REPORTED, tool: 'dd' })).toBe('BODY_SCHEMA');
    expect(rep({ ...REPORTED, version: '' })).toBe('BODY_SCHEMA');
    expect(rep({ ...REPORTED, version: undefined } as Canonical)).toBe('BODY_SCHEMA');
    expect(rep({ ...REPORTED, digests: {} })).toBe('BODY_SCHEMA');
    // A folder checked file by file against a hashdeep file: no digest of the whole, the log's hash.
    expect(rep({ ...REPORTED, tool: 'hashdeep', digests: undefined } as Canonical)).toBe('ok');
    expect(rep({ ...REPORTED, digests: { crc32: new Uint8Array(4) } })).toBe('BODY_SCHEMA');
    expect(rep({ ...REPORTED, digests: { md5: new Uint8Array(15) } })).toBe('BODY_SCHEMA');
    expect(rep({ ...REPORTED, log: new Uint8Array(31) })).toBe('BODY_SCHEMA');
    expect(rep({ ...REPORTED, extra: 1 })).toBe('BODY_SCHEMA');
    expect(rep('ewfacquire')).toBe('BODY_SCHEMA');
    // Any evidence type may carry what a tool reported.
    expect(reg2({ ...FILE, reported: REPORTED })).toBe('ok');
  });

  it('identifiers are a commitment, photos 1..32 distinct 32-byte digests, similarName true only', () => {
    expect(reg2({ ...DEVICE, identifiers: h('identifiers commitment') })).toBe('ok');
    expect(reg2({ ...DEVICE, identifiers: 'IMEI 356938035643809' })).toBe('BODY_SCHEMA');
    expect(reg2({ ...DEVICE, identifiers: new Uint8Array(31) })).toBe('BODY_SCHEMA');
    const photos = (p: Canonical) => reg2({ ...FILE, photos: p });
    expect(photos([h('p1')])).toBe('ok');
    expect(photos(Array.from({ length: 32 }, (_, i) => h(`p${i}`)))).toBe('ok');
    expect(photos(Array.from({ length: 33 }, (_, i) => h(`p${i}`)))).toBe('BODY_SCHEMA');
    expect(photos([])).toBe('BODY_SCHEMA');
    expect(photos([h('p1'), h('p1')])).toBe('BODY_SCHEMA');
    expect(photos([h('p1').slice(1)])).toBe('BODY_SCHEMA');
    expect(photos(h('p1'))).toBe('BODY_SCHEMA');
    expect(reg2({ ...FILE, similarName: true })).toBe('ok');
    expect(reg2({ ...FILE, similarName: false })).toBe('BODY_SCHEMA');
  });

  it('version 1 stays as it was: none of the new fields, and evidence is no field of it', () => {
    expect(verdict('register', 1, V1_REGISTER)).toBe('ok');
    for (const [f, v] of Object.entries({
      evidence: 'file',
      photos: [h('p')],
      similarName: true,
      identifiers: h('i'),
    }))
      expect(verdict('register', 1, { ...V1_REGISTER, [f]: v }), f).toBe('BODY_SCHEMA');
    expect(verdict('register', 3, FILE)).toBe('BODY_VERSION_UNKNOWN');
  });

  it('a signer writes the lowest version that has every field it gives', () => {
    expect(bodyVersionFor('register', V1_REGISTER)).toBe(1);
    expect(bodyVersionFor('register', { ...V1_REGISTER, duplicate: true, evidence: undefined })).toBe(1);
    for (const b of [FILE, DIRECTORY, DEVICE, { ...FILE, similarName: true }])
      expect(bodyVersionFor('register', b)).toBe(2);
    expect(bodyVersionFor('register', { ...V1_REGISTER, photos: [h('p')] })).toBe(2);
  });
});

const V1_ENROL: Body = {
  key: [KEY_TYPES.ed25519, keys.custodian.publicKey],
  purpose: 1,
  roles: ['examiner'],
  jurisdiction: 'NL',
  name: h('name commitment'),
  org: h('org commitment'),
};

describe('enrol, body version 2', () => {
  it('adds similarName (true only) and identityCheck (a commitment)', () => {
    expect(verdict('enrol', 2, { ...V1_ENROL, similarName: true })).toBe('ok');
    expect(verdict('enrol', 2, { ...V1_ENROL, identityCheck: h('id check') })).toBe('ok');
    expect(verdict('enrol', 2, { ...V1_ENROL, similarName: true, identityCheck: h('id check') })).toBe('ok');
    expect(verdict('enrol', 2, { ...V1_ENROL, similarName: false })).toBe('BODY_SCHEMA');
    expect(verdict('enrol', 2, { ...V1_ENROL, identityCheck: 'Passport' })).toBe('BODY_SCHEMA');
    expect(verdict('enrol', 1, { ...V1_ENROL, similarName: true })).toBe('BODY_SCHEMA');
    expect(verdict('enrol', 1, V1_ENROL)).toBe('ok');
  });

  it('a version 2 body carries one of its new fields: otherwise it is a second encoding of version 1', () => {
    expect(verdict('enrol', 2, V1_ENROL)).toBe('BODY_SCHEMA');
    expect(bodyVersionFor('enrol', V1_ENROL)).toBe(1);
    expect(bodyVersionFor('enrol', { ...V1_ENROL, identityCheck: 'Passport checked' })).toBe(2);
    expect(bodyVersionFor('enrol', { ...V1_ENROL, similarName: true })).toBe(2);
  });
});

describe('resolve', () => {
  it('is an annotation naming the exhibit and its head, with the issue and the action (committed)', () => {
    const ok = { issue: h('opener'), action: h('action commitment') };
    expect(verdict('resolve', 1, ok)).toBe('ok');
    expect(KINDS_V2['resolve']!.class).toBe('annotation');
    expect(verdict('resolve', 1, { ...ok, issue: undefined })).toBe('BODY_SCHEMA');
    expect(verdict('resolve', 1, { ...ok, action: undefined })).toBe('BODY_SCHEMA');
    expect(verdict('resolve', 1, { ...ok, action: 'Documented' })).toBe('BODY_SCHEMA');
    expect(verdict('resolve', 1, { ...ok, issue: h('x').slice(1) })).toBe('BODY_SCHEMA');
    expect(verdict('resolve', 1, { ...ok, kind: 'seal-broken' })).toBe('BODY_SCHEMA');
    const s = statement('resolve', 1, ok);
    delete s.after;
    expect(() => checkKind(s)).toThrow(expect.objectContaining({ code: 'STATEMENT_SCHEMA' }));
  });

  it('a rule across fields names only body versions its kind has', () => {
    for (const [k, spec] of Object.entries(KINDS_V2))
      for (const v of Object.keys(spec.across ?? {})) expect(Object.keys(spec.versions), k).toContain(v);
  });

  it('the new personal fields are committed, and disclosures can name them', () => {
    expect(KINDS_V2['register']!.committed['identifiers']).toEqual({ max: 8_192, multiLine: true });
    expect(KINDS_V2['enrol']!.committed['identityCheck']).toEqual({ max: 500, multiLine: false });
    expect(KINDS_V2['resolve']!.committed['action']).toEqual({ max: 8_192, multiLine: true });
    for (const f of ['identifiers', 'identityCheck']) expect(COMMITTED_FIELDS).toContain(f);
  });
});

describe('disclose body version 2', () => {
  it("records the root of a folder's manifest given with the bundle; a signer writes version 2 only with it", () => {
    const v1 = {
      recipient: h('recipient commitment'),
      profile: 'court',
      legalBasis: 'art. 27 CCP',
      fields: ['label'],
      bundle: h('bundle'),
    };
    expect(verdict('disclose', 1, v1)).toBe('ok');
    expect(verdict('disclose', 2, { ...v1, manifest: h('manifest root') })).toBe('ok');
    expect(verdict('disclose', 2, v1)).toBe('BODY_SCHEMA');
    expect(verdict('disclose', 1, { ...v1, manifest: h('manifest root') })).toBe('BODY_SCHEMA');
    expect(verdict('disclose', 2, { ...v1, manifest: h('x').slice(1) })).toBe('BODY_SCHEMA');
    expect(verdict('disclose', 3, v1)).toBe('BODY_VERSION_UNKNOWN');
    expect(bodyVersionFor('disclose', v1)).toBe(1);
    expect(bodyVersionFor('disclose', { ...v1, manifest: h('manifest root') })).toBe(2);
  });
});
