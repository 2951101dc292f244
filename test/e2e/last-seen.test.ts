/**
 * The client remembers the largest tree it saw of each ledger, outside the
 * ledger directory (cli/seen.ts, src/ledger/last-seen.ts; docs/STORAGE.md
 * §What the client remembers): a ledger directory replaced by an older copy
 * or by a rewritten history is refused before anything is read or appended,
 * and `verify` fails it; a client that never saw it learns nothing.
 */
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  copyLedger,
  custody,
  evidenceFile,
  expectFailure,
  initArgs,
  ok,
  parseJson,
  removeTempDirs,
  tempDir,
  type World,
} from './helpers.js';

afterAll(removeTempDirs);

describe('the client remembers what it saw of each ledger', () => {
  let w: World;
  let state: string;
  let backup: string;
  let fork: string;
  const env = () => ({ CUSTODY_STATE_DIR: state });
  const register = (ledger: string, label: string, e: Record<string, string> = env()) =>
    custody(
      [
        'register',
        evidenceFile(w.dir, `${label}.dd`),
        '--key',
        w.police.key,
        '--case',
        'C-1',
        '--exhibit',
        label,
        '--description',
        'a disk',
      ],
      { ledger, env: e },
    );
  /** Puts another ledger directory in place of the world's, as an insider with disk access could. */
  const replaceWith = (from: string) => {
    rmSync(w.ledger, { recursive: true, force: true });
    cpSync(from, w.ledger, { recursive: true });
  };

  beforeAll(async () => {
    state = tempDir('custody-e2e-client-state-');
    w = await buildWorld('e2e.custody.example/last-seen');
    backup = copyLedger(w.ledger);
    fork = copyLedger(w.ledger);
    // The fork appends something else at the same position.
    const f = await register(fork, 'HDD-77', { CUSTODY_STATE_DIR: tempDir() });
    expect(f.code, f.stderr).toBe(0);
    // This client appends, and so remembers the longer tree.
    expect((await register(w.ledger, 'HDD-02')).code).toBe(0);
  }, 60_000);

  it('remembers in one small file per ledger, outside it', async () => {
    const files = readdirSync(join(state, 'seen'));
    expect(files).toHaveLength(1);
    await ok(['log'], { ledger: w.ledger, env: env() });
    expect(readdirSync(join(state, 'seen'))).toEqual(files);
  });

  it('a rolled-back ledger is refused by every command (exit 1, LEDGER_ROLLED_BACK); verify fails it', async () => {
    const current = copyLedger(w.ledger);
    replaceWith(backup);
    try {
      for (const args of [['log'], ['exhibits']])
        expectFailure(await custody(args, { ledger: w.ledger, env: env() }), {
          exit: 1,
          code: 'LEDGER_ROLLED_BACK',
          message: 'this client saw 7 before',
        });
      expectFailure(await register(w.ledger, 'HDD-03'), { exit: 1, code: 'LEDGER_ROLLED_BACK' });
      const v = await custody(['verify', '--trust', w.authority.publicKey, '--json'], {
        ledger: w.ledger,
        env: env(),
      });
      expect(v.code).toBe(1);
      const problems = parseJson<{ problems: { code: string; message: string }[] }>(v).problems;
      expect(problems.map((p) => p.code)).toEqual(['LOG_TRUNCATED']);
      expect(problems[0]!.message).toMatch(
        /^the tree this client saw earlier .* shows 7 entries but the log has only 6/,
      );
      // A client that never saw the longer tree has nothing to compare with.
      await ok(['log'], { ledger: w.ledger, env: { CUSTODY_STATE_DIR: tempDir() } });
    } finally {
      replaceWith(current);
    }
    await ok(['log'], { ledger: w.ledger, env: env() });
  });

  it('a rewritten history of the same size is refused (LEDGER_FORKED) and verify fails it', async () => {
    const current = copyLedger(w.ledger);
    replaceWith(fork);
    try {
      expectFailure(await custody(['exhibits'], { ledger: w.ledger, env: env() }), {
        exit: 1,
        code: 'LEDGER_FORKED',
        message: 'its history was rewritten; if it was restored on purpose, move',
      });
      const v = await custody(['verify', '--trust', w.authority.publicKey, '--json'], {
        ledger: w.ledger,
        env: env(),
      });
      expect(v.code).toBe(1);
      expect(parseJson<{ problems: { code: string }[] }>(v).problems.map((p) => p.code)).toEqual([
        'CHECKPOINT_MISMATCH',
      ]);
    } finally {
      replaceWith(current);
    }
  });

  it('a new ledger created at the same path (custody init) replaces the memory of the old one', async () => {
    const own = { CUSTODY_STATE_DIR: tempDir() };
    const path = join(tempDir(), 'ledger');
    await ok([...initArgs('e2e.custody.example/reinit', w.authority, w.log), '--ledger', path], {
      env: own,
    });
    await ok(['log'], { ledger: path, env: own });
    rmSync(path, { recursive: true, force: true });
    const again = await custody(
      [...initArgs('e2e.custody.example/reinit', w.authority, w.log), '--ledger', path],
      {
        env: own,
      },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/this client forgets the earlier ledger at .* \(1 entry\)/);
    await ok(['log'], { ledger: path, env: own });
  });

  it('a damaged memory is a clear input error (exit 2); moved aside, the client starts afresh', async () => {
    const dir = join(state, 'seen');
    const [file] = readdirSync(dir);
    const path = join(dir, file!);
    const kept = `${path}.kept`;
    renameSync(path, kept);
    writeFileSync(path, '{"size": "seven"}');
    try {
      expectFailure(await custody(['log'], { ledger: w.ledger, env: env() }), {
        exit: 2,
        code: 'SEEN_STATE_INVALID',
      });
      rmSync(path);
      await ok(['log'], { ledger: w.ledger, env: env() });
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
        size: 7,
        origin: 'e2e.custody.example/last-seen',
      });
    } finally {
      renameSync(kept, path);
    }
  });
});
