/**
 * A C2SP tlog-policy file in the bundle verifier (BundleV2Trust.tlogPolicy,
 * docs/VERIFYING.md §The relying party's policy): where the file lists log
 * keys, the log key that signed the checkpoint must be one of them under the
 * bundle's origin (else LOG_KEY_NOT_LISTED, UNANCHORED), on top of being the
 * key the ledger's authority enrolled; the file's witnesses and its
 * group/quorum expression decide the witness check (unmet: WITNESS_QUORUM,
 * UNWITNESSED); auditors and the maximum age still come from the relying
 * party's own policy.
 */
import { describe, expect, it } from 'vitest';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { formatCosignerVkey, signCosignature, verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { formatNote, formatVkey, parseNote } from '../../src/checkpoint/note.js';
import { parseTlogPolicy } from '../../src/checkpoint/tlog-policy.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { buildReportModel } from '../../src/report/index.js';
import { type BundleV2Trust, verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { ORIGIN } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';
import { bundleWorld, checkpointOf, checksOf, codesOf, type V2BundleWorld } from './v2-helpers.js';

const T = 1_780_000_000; // seconds: 2026-05-28
const names = ['a', 'b', 'c', 'd', 'e'] as const;
type Name = (typeof names)[number];
const signer = Object.fromEntries(names.map((n) => [n, seededSigner(`tlog-policy witness ${n}`)])) as Record<
  Name,
  Signer
>;
const keyName = (n: Name) => `${n}.witness.example`;
const vkey = (n: Name) => formatCosignerVkey(keyName(n), signer[n].publicKey);
const auditor = seededSigner('tlog-policy auditor');
const AUDITOR = verifierFromVkey(formatCosignerVkey('audit.example', auditor.publicKey));

/** The organisations of a court's policy: two of a, b, c; one of d, e; both organisations. */
const groups = (logLines: string) => `# the court's witnesses
${logLines}
${names.map((n) => `witness ${n.toUpperCase()} ${vkey(n)}`).join('\n')}
group first-org 2 A B C
group second-org any D E
group both all first-org second-org
quorum both
`;

let world: V2BundleWorld | undefined;
async function theWorld() {
  world ??= await bundleWorld('tlog-policy ');
  return world;
}

/** HDD-01's bundle, its checkpoint cosigned by the witnesses named (and the auditor if asked). */
async function bundle(cosigners: readonly Name[], withAuditor = false) {
  const w = await theWorld();
  const note = await checkpointOf(w);
  const p = parseNote(note);
  const lines = [
    ...p.signatures.map((s) => s.line),
    ...cosigners.map((n) => signCosignature(p.text, keyName(n), signer[n], T)),
    ...(withAuditor ? [signCosignature(p.text, 'audit.example', auditor, T + 60)] : []),
  ];
  return { w, bytes: await exportBundleV2(w.ledger.store, w.ids.get('HDD-01')!, formatNote(p.text, lines)) };
}

const pin = (w: V2BundleWorld, policy: string, extra: BundleV2Trust = {}): BundleV2Trust => ({
  authorityKeys: [w.authority.publicKey],
  tlogPolicy: parseTlogPolicy(policy),
  ...extra,
});
const logLine = (w: V2BundleWorld, name = ORIGIN) => `log ${formatVkey(name, w.log.publicKey)}`;

describe('the log keys of a tlog-policy file', () => {
  it('the log key listed under the origin: VERIFIED, and the anchor check says so', async () => {
    const { w, bytes } = await bundle(['a', 'b', 'd']);
    const v = await verifyBundleV2(bytes, pin(w, groups(logLine(w))));
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
    const anchor = v.checks.find((c) => c.id === 'anchor')!;
    expect(anchor).toMatchObject({ verdict: 'pass' });
    expect(anchor.detail).toContain('the tlog-policy file lists the log key');
  });

  it('a file that lists other log keys only: LOG_KEY_NOT_LISTED, UNANCHORED, never VERIFIED', async () => {
    const { w, bytes } = await bundle(['a', 'b', 'd']);
    const other = formatVkey(ORIGIN, seededSigner('another log').publicKey);
    const v = await verifyBundleV2(bytes, pin(w, groups(`log ${other}`)));
    expect([v.verdict, v.ok, codesOf(v)]).toEqual(['UNANCHORED', false, ['LOG_KEY_NOT_LISTED']]);
    expect(checksOf(v)['anchor']).toBe('fail');
    expect(v.problems[0]!.message).toMatch(
      /lists 1 log key, and not the log key K-\S+ that signed the checkpoint/,
    );
    // The authority-enrolled log key is still what signed the checkpoint: only the listing fails.
    expect(checksOf(v)['checkpoint-signature']).toBe('pass');
  });

  it('the right key under another name is not this log (tlog-policy: the key name is the origin)', async () => {
    const { w, bytes } = await bundle(['a', 'b', 'd']);
    const v = await verifyBundleV2(bytes, pin(w, groups(logLine(w, 'elsewhere.example/log'))));
    expect([v.verdict, codesOf(v)]).toEqual(['UNANCHORED', ['LOG_KEY_NOT_LISTED']]);
    expect(v.problems[0]!.message).toContain(
      `under the name elsewhere.example/log, not under this log's origin ${ORIGIN}`,
    );
  });

  it('a file that lists no log key leaves the log to the pins (tlog-policy §What is a "policy")', async () => {
    const { w, bytes } = await bundle(['a', 'b', 'd']);
    const v = await verifyBundleV2(bytes, pin(w, groups('')));
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
  });

  it('listing the log key does not replace a pin: nothing pinned is still UNANCHORED', async () => {
    const { w, bytes } = await bundle(['a', 'b', 'd']);
    const v = await verifyBundleV2(bytes, { tlogPolicy: parseTlogPolicy(groups(logLine(w))) });
    expect([v.verdict, codesOf(v)]).toEqual(['UNANCHORED', ['TRUST_NOT_PINNED']]);
  });
});

describe('the witnesses and quorum of a tlog-policy file', () => {
  it('groups decide: two of the first organisation and one of the second meet it', async () => {
    const { w, bytes } = await bundle(['b', 'c', 'e']);
    const v = await verifyBundleV2(bytes, pin(w, groups(logLine(w))));
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
    expect(v.checkpoint?.witnesses).toEqual([
      { name: 'a.witness.example', verified: false },
      { name: 'b.witness.example', verified: true },
      { name: 'c.witness.example', verified: true },
      { name: 'd.witness.example', verified: false },
      { name: 'e.witness.example', verified: true },
    ]);
    expect(v.checkpoint?.quorum).toBe(3);
    expect(v.checkpoint?.cosignedBy).toEqual(['b.witness.example', 'c.witness.example', 'e.witness.example']);
    expect(v.checks.find((c) => c.id === 'witness-quorum')!.detail).toContain('meeting its quorum "both"');
  });

  it('three cosigners of one organisation do not: WITNESS_QUORUM, UNWITNESSED, and the report agrees', async () => {
    const { w, bytes } = await bundle(['a', 'b', 'c']);
    const v = await verifyBundleV2(bytes, pin(w, groups(logLine(w))));
    expect([v.verdict, codesOf(v)]).toEqual(['UNWITNESSED', ['WITNESS_QUORUM']]);
    expect(v.problems[0]!.message).toBe(
      'the tlog-policy quorum "both" is not met: only A, B, C cosigned the checkpoint, and at least 1 more witness would have to',
    );
    // Three cosigned, and a fourth is needed: the report's "of the required" reads 3 of 4, not met.
    expect(v.checkpoint?.quorum).toBe(4);
    const model = buildReportModel(v, { tool: 'custody', toolVersion: 'test', generatedAt: 0, commands: [] });
    expect(model.checkpoint).toMatchObject({ witnessesVerified: 3, quorum: 4, quorumMet: false });
  });

  it('nobody cosigned: at least the smallest quorum is missing', async () => {
    const { w, bytes } = await bundle([]);
    const v = await verifyBundleV2(bytes, pin(w, groups(logLine(w))));
    expect(codesOf(v)).toEqual(['WITNESS_QUORUM']);
    expect(v.problems[0]!.message).toContain(
      'none of its witnesses cosigned the checkpoint, and at least 3 more',
    );
  });

  it('quorum none: the log key alone, said as a warning', async () => {
    const { w, bytes } = await bundle([]);
    const v = await verifyBundleV2(bytes, pin(w, `${logLine(w)}\nquorum none\n`));
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
    expect(v.warnings.map((p) => p.code)).toEqual(['COSIGNATURE_NOT_ASKED']);
    expect(checksOf(v)['witness-quorum']).toBe('not-checked');
  });

  it('witness keys or a quorum given besides the file: refused as WITNESS_QUORUM', async () => {
    const { w, bytes } = await bundle(['a', 'b', 'd']);
    for (const extra of [{ quorum: 0 }, { witnesses: [verifierFromVkey(vkey('a'))] }]) {
      const v = await verifyBundleV2(bytes, pin(w, groups(logLine(w)), extra));
      expect(codesOf(v)).toEqual(['WITNESS_QUORUM']);
      expect(v.problems[0]!.message).toContain('besides a tlog-policy file');
    }
  });

  it('a witness with the log’s own key never counts', async () => {
    const { w, bytes } = await bundle(['a']);
    const policy = `${logLine(w)}\nwitness L ${formatCosignerVkey('log-as-witness.example', w.log.publicKey)}\nquorum L\n`;
    const v = await verifyBundleV2(bytes, pin(w, policy));
    expect(codesOf(v)).toEqual(['WITNESS_QUORUM']);
    expect(v.problems[0]!.message).toContain("has the log's own key");
  });

  it('beside the file, the relying party’s auditors and maximum age still apply', async () => {
    const { w, bytes } = await bundle(['a', 'b', 'd'], true);
    const day = 86_400_000;
    const trust = (now: number, auditors = [AUDITOR]) =>
      pin(w, groups(logLine(w)), { auditors, maxAgeMs: 30 * day, now });
    const v = await verifyBundleV2(bytes, trust(T * 1000 + day));
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
    expect(v.checkpoint).toMatchObject({ cosignedBy: ['audit.example'], auditorQuorum: 1 });
    const old = await verifyBundleV2(bytes, trust(T * 1000 + 31 * day));
    expect([old.verdict, codesOf(old)]).toEqual(['INCOMPLETE', ['EVIDENCE_TOO_OLD']]);
    const other = verifierFromVkey(
      formatCosignerVkey('other-audit.example', seededSigner('tlog-policy other auditor').publicKey),
    );
    const unaudited = await verifyBundleV2(bytes, trust(T * 1000 + day, [other]));
    expect([unaudited.verdict, codesOf(unaudited)]).toEqual(['UNWITNESSED', ['AUDITOR_QUORUM']]);
  });
});
