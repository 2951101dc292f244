/**
 * `verify --exhibit` is scoped (docs/VERIFYING.md §Verdicts for one exhibit):
 * a damaged entry that the committed data shows is not one of the exhibit's
 * events makes its verdict INCOMPLETE, naming the entry; the damaged
 * exhibit's own verdict and the whole ledger's stay FAILED.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tamperWithPayload } from '../../src/store/log-level.js';
import {
  buildWorld,
  copyLedger,
  custody,
  evidenceFile,
  json,
  parseJson,
  removeTempDirs,
  type World,
} from './helpers.js';

afterAll(removeTempDirs);

interface Shown {
  verdict: string;
  problems: { code: string; seq: number | null; message: string }[];
}

/** Rewrites the label inside a stored statement: the entry's payload hash no longer matches. */
const relabel = (from: string) => (b: Uint8Array) => {
  const s = Buffer.from(b);
  const at = s.indexOf(from);
  expect(at).toBeGreaterThan(0);
  s.write('HDD-99', at);
  return new Uint8Array(s);
};

describe('verify --exhibit: one bad record does not fail every case', () => {
  let w: World;
  let other: { index: number; exhibit: string };
  let damaged: string;
  let forkCheckpoint: string;
  const verify = (ledger: string, extra: string[]) =>
    custody(['verify', '--trust', w.authority.publicKey, '--json', ...extra], { ledger });

  beforeAll(async () => {
    w = await buildWorld('e2e.custody.example/scoped');
    const register = (ledger: string, label: string) =>
      json<{ index: number; exhibit: string }>(
        [
          'register',
          evidenceFile(w.dir, `${label}.dd`),
          '--key',
          w.police.key,
          '--case',
          'JIT-2026-017',
          '--exhibit',
          label,
          '--description',
          'a second disk',
        ],
        { ledger },
      );
    // A fork: the same first entries, then another registration; its log-key checkpoint has this size.
    const fork = copyLedger(w.ledger);
    await register(fork, 'HDD-03');
    const cp = await json<{ note: string }>(['checkpoint', '--log-key', w.log.key], { ledger: fork });
    forkCheckpoint = join(w.dir, 'fork.checkpoint');
    writeFileSync(forkCheckpoint, cp.note);
    other = await register(w.ledger, 'HDD-02');
    damaged = copyLedger(w.ledger);
    await tamperWithPayload(damaged, other.index, relabel('HDD-02'));
  }, 60_000);

  it('the unrelated exhibit is INCOMPLETE (5), naming the damaged entry; the damaged one and the whole are FAILED (1)', async () => {
    // One at a time: a local ledger is opened by one process at once.
    const mine = await verify(damaged, ['--exhibit', w.exhibit, '--file', w.evidence]);
    const theirs = await verify(damaged, ['--exhibit', other.exhibit]);
    const whole = await verify(damaged, []);
    expect(mine.code, mine.stdout).toBe(5);
    const m = parseJson<Shown>(mine);
    expect(m.verdict).toBe('INCOMPLETE');
    expect(new Set(m.problems.map((p) => p.code))).toEqual(new Set(['OUTSIDE_EXHIBIT']));
    expect(
      m.problems.some((p) => p.seq === other.index && p.message.startsWith('PAYLOAD_HASH_MISMATCH')),
    ).toBe(true);
    expect(theirs.code, theirs.stderr).toBe(1);
    expect(parseJson<Shown>(theirs).problems.map((p) => p.code)).toContain('PAYLOAD_HASH_MISMATCH');
    expect(whole.code).toBe(1);
    // The undamaged ledger: the same exhibit is VERIFIED, so the hold-back above is the damage's doing.
    const clean = await verify(w.ledger, ['--exhibit', w.exhibit]);
    expect(clean.code, clean.stdout).toBe(0);
  }, 60_000);

  it("damage to one of the exhibit's own events fails it, whatever exhibit the damaged record names", async () => {
    const own = copyLedger(w.ledger);
    // Entry 5 is HDD-01's registration, its only event (buildWorld: genesis, four enrolments, then it).
    await tamperWithPayload(own, 5, relabel('HDD-01'));
    const r = await verify(own, ['--exhibit', w.exhibit]);
    expect(r.code, r.stdout).toBe(1);
    expect(parseJson<Shown>(r).problems.map((p) => p.code)).toContain('PAYLOAD_HASH_MISMATCH');
  }, 60_000);

  it('a checkpoint the ledger does not match fails every exhibit, not only the whole', async () => {
    const r = await verify(damaged, [
      '--exhibit',
      w.exhibit,
      '--checkpoint',
      forkCheckpoint,
      '--quorum',
      '0',
    ]);
    expect(r.code, r.stdout).toBe(1);
    const codes = parseJson<Shown>(r).problems.map((p) => p.code);
    expect(codes.filter((c) => c !== 'OUTSIDE_EXHIBIT').length).toBeGreaterThan(0);
  }, 60_000);
});
