/**
 * The relying party's post-quantum quorum (docs/VERIFYING.md §The relying
 * party's policy, `pqQuorum`): at least k of the cosignatures that count (the
 * witnesses and auditors it names, each once) must be ML-DSA-44 subtree/v1
 * lines (type 0x06) that verify; fewer: PQ_QUORUM, UNWITNESSED. A tampered
 * ML-DSA line does not count; the policy file's field is checked strictly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relyingParty } from '../../cli/relying-party.js';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { fromBase64, toBase64, utf8 } from '../../src/bytes.js';
import { formatCosignerVkey, signCosignature, verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { formatMlDsaCosignerVkey, signMlDsaCosignature } from '../../src/checkpoint/cosignature-mldsa.js';
import { formatNote, parseNote, parseSignatureLine } from '../../src/checkpoint/note.js';
import { parseRelyingPolicy } from '../../src/checkpoint/relying-policy.js';
import { mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { buildReportModel } from '../../src/report/index.js';
import { seededSigner } from '../helpers/world.js';
import { bundleWorld, checkpointOf, codesOf, pinAuthority, verify } from './v2-helpers.js';

const T = 1_780_000_000; // seconds: 2026-05-28
const ed = seededSigner('pq quorum ed25519 witness');
const pq = mlDsa44SignerFromSeed(sha256(utf8('custody test key pq quorum ml-dsa witness')));
const ED_VKEY = formatCosignerVkey('ed.witness.example', ed.publicKey);
const PQ_VKEY = formatMlDsaCosignerVkey('pq.witness.example', pq.publicKey);
const ED = verifierFromVkey(ED_VKEY);
const PQ = verifierFromVkey(PQ_VKEY);

/** The ML-DSA line with the last byte of its signature flipped (name and key ID kept). */
function tampered(line: string): string {
  const s = parseSignatureLine(line);
  const raw = fromBase64(line.trim().split(' ').at(-1) ?? '')!;
  raw[raw.length - 1]! ^= 0x01;
  expect(s.name).toBe('pq.witness.example');
  return `\u2014 ${s.name} ${toBase64(raw)}\n`;
}

async function cosigned(which: { ed?: boolean; pq?: 'good' | 'tampered' }) {
  const w = await bundleWorld('pq quorum ');
  const p = parseNote(await checkpointOf(w));
  const lines = p.signatures.map((s) => s.line);
  if (which.ed) lines.push(signCosignature(p.text, 'ed.witness.example', ed, T));
  if (which.pq) {
    const line = signMlDsaCosignature(p.text, 'pq.witness.example', pq, T + 60);
    lines.push(which.pq === 'good' ? line : tampered(line));
  }
  return { w, bytes: await exportBundleV2(w.ledger.store, w.ids.get('HDD-01')!, formatNote(p.text, lines)) };
}

describe('pqQuorum in the bundle verdict', () => {
  it('an Ed25519 and an ML-DSA-44 witness cosigned, pqQuorum 1: VERIFIED, and the verdict says who', async () => {
    const { w, bytes } = await cosigned({ ed: true, pq: 'good' });
    const v = await verify(bytes, pinAuthority(w, { witnesses: [ED, PQ], pqQuorum: 1 }));
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
    expect(v.checkpoint).toMatchObject({
      witnesses: [
        { name: 'ed.witness.example', verified: true },
        { name: 'pq.witness.example', verified: true },
      ],
      pqQuorum: 1,
      pqCosigned: ['pq.witness.example'],
      cosignedBy: ['pq.witness.example'],
    });
    const m = buildReportModel(v, {
      tool: 'custody',
      toolVersion: 'test',
      generatedAt: T * 1000,
      commands: ['custody verify-bundle x'],
    });
    expect(m.checkpoint).toMatchObject({ pqQuorum: 1, pqCosigned: ['pq.witness.example'] });
    expect(m.checkpoint?.text).toContain('1 of 1 required post-quantum (ML-DSA-44) cosignatures verified');
  });

  it('without pqQuorum the checkpoint block is as before (no pq fields)', async () => {
    const { w, bytes } = await cosigned({ ed: true, pq: 'good' });
    const v = await verify(bytes, pinAuthority(w, { witnesses: [ED, PQ] }));
    expect(v.verdict).toBe('VERIFIED');
    expect(v.checkpoint).not.toHaveProperty('pqQuorum');
    expect(v.checkpoint).not.toHaveProperty('pqCosigned');
  });

  it('only the Ed25519 line: the witness quorum is met, the post-quantum one is not (UNWITNESSED, PQ_QUORUM)', async () => {
    const { w, bytes } = await cosigned({ ed: true });
    const v = await verify(bytes, pinAuthority(w, { witnesses: [ED, PQ], quorum: 1, pqQuorum: 1 }));
    expect([v.verdict, codesOf(v)]).toEqual(['UNWITNESSED', ['PQ_QUORUM']]);
    expect(v.checkpoint).toMatchObject({ pqQuorum: 1, pqCosigned: [] });
    expect(v.problems.find((p) => p.code === 'PQ_QUORUM')?.message).toContain(
      '0 of the 1 required post-quantum (ML-DSA-44) cosignatures',
    );
  });

  it('a tampered ML-DSA-44 line does not count', async () => {
    const { w, bytes } = await cosigned({ ed: true, pq: 'tampered' });
    const v = await verify(bytes, pinAuthority(w, { witnesses: [ED, PQ], quorum: 1, pqQuorum: 1 }));
    expect(v.verdict).toBe('UNWITNESSED');
    expect(codesOf(v)).toContain('PQ_QUORUM');
    expect(v.checkpoint).toMatchObject({ pqCosigned: [] });
  });

  it('an ML-DSA-44 auditor counts; an ML-DSA-44 line by a key the relying party does not name does not', async () => {
    const { w, bytes } = await cosigned({ ed: true, pq: 'good' });
    const audited = await verify(bytes, pinAuthority(w, { witnesses: [ED], auditors: [PQ], pqQuorum: 1 }));
    expect([audited.verdict, codesOf(audited)]).toEqual(['VERIFIED', []]);
    const unnamed = await verify(bytes, pinAuthority(w, { witnesses: [ED], pqQuorum: 1 }));
    expect([unnamed.verdict, codesOf(unnamed)]).toEqual(['UNWITNESSED', ['PQ_QUORUM']]);
  });

  it('one key counts once, even if given as witness and auditor', async () => {
    const { w, bytes } = await cosigned({ ed: true, pq: 'good' });
    const v = await verify(bytes, pinAuthority(w, { witnesses: [ED, PQ], auditors: [PQ], pqQuorum: 2 }));
    expect(codesOf(v)).toContain('PQ_QUORUM');
    expect(v.checkpoint).toMatchObject({ pqCosigned: ['pq.witness.example'] });
  });

  it.each([-1, 1.5, Number.NaN])('a library pqQuorum of %s is PQ_QUORUM, never VERIFIED', async (q) => {
    const { w, bytes } = await cosigned({ ed: true, pq: 'good' });
    const v = await verify(bytes, pinAuthority(w, { witnesses: [ED, PQ], pqQuorum: q }));
    expect([v.verdict, codesOf(v)]).toEqual(['UNWITNESSED', ['PQ_QUORUM']]);
  });
});

describe('pqQuorum in the relying party’s policy file', () => {
  const policy = (o: Record<string, unknown>) => JSON.stringify({ custody: 'policy', v: 1, ...o });

  it('defaults to 0, and counts ML-DSA-44 witnesses and auditors (and those named beside it)', () => {
    expect(parseRelyingPolicy(policy({ witnesses: [ED_VKEY, PQ_VKEY] })).pqQuorum).toBe(0);
    expect(parseRelyingPolicy(policy({ witnesses: [ED_VKEY, PQ_VKEY], pqQuorum: 1 })).pqQuorum).toBe(1);
    expect(
      parseRelyingPolicy(policy({ witnesses: [ED_VKEY], auditors: [PQ_VKEY], pqQuorum: 1 })).pqQuorum,
    ).toBe(1);
    expect(parseRelyingPolicy(policy({ pqQuorum: 0 })).pqQuorum).toBe(0);
    expect(parseRelyingPolicy(policy({ witnessQuorum: 0, pqQuorum: 2 }), { pqKeysBeside: 2 }).pqQuorum).toBe(
      2,
    );
  });

  it.each([
    ['a fraction', { witnesses: [PQ_VKEY], pqQuorum: 0.5 }],
    ['a negative number', { witnesses: [PQ_VKEY], pqQuorum: -1 }],
    ['a string', { witnesses: [PQ_VKEY], pqQuorum: '1' }],
    ['null', { witnesses: [PQ_VKEY], pqQuorum: null }],
    ['more than the ML-DSA-44 keys named', { witnesses: [ED_VKEY, PQ_VKEY], pqQuorum: 2 }],
    ['any, with only Ed25519 keys named', { witnesses: [ED_VKEY], pqQuorum: 1 }],
  ])('refuses %s (POLICY_INVALID)', (_what, o) => {
    expect(() => parseRelyingPolicy(policy(o))).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringContaining('pqQuorum') }),
    );
  });
});

describe('pqQuorum through the CLI’s --policy (cli/commands/bundle.ts relyingParty)', () => {
  it('reads pqQuorum from the policy file into the trust, and the verdict follows it', async () => {
    const { w, bytes } = await cosigned({ ed: true });
    const dir = mkdtempSync(join(tmpdir(), 'custody-pq-'));
    try {
      const file = join(dir, 'court-policy.json');
      writeFileSync(
        file,
        JSON.stringify({
          custody: 'policy',
          v: 1,
          witnesses: [ED_VKEY, PQ_VKEY],
          witnessQuorum: 1,
          pqQuorum: 1,
        }),
      );
      const opts = {
        trust: [toBase64(w.authority.publicKey)],
        trustLog: [],
        witness: [],
        auditor: [],
        policy: file,
      };
      const { trust } = relyingParty(opts);
      expect(trust.pqQuorum).toBe(1);
      const v = await verify(bytes, trust);
      expect([v.verdict, codesOf(v)]).toEqual(['UNWITNESSED', ['PQ_QUORUM']]);
      writeFileSync(file, JSON.stringify({ custody: 'policy', v: 1, witnesses: [ED_VKEY], pqQuorum: 1 }));
      expect(() => relyingParty(opts)).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
