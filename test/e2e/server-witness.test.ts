/**
 * Servers that witness each other (C2SP tlog-witness; docs/SERVER.md
 * §Witnesses): ledger A submits its checkpoints to server B, which witnesses
 * A; the cosignatures come back to A's stored checkpoint. And B's
 * add-checkpoint endpoint answers each status code of the spec in its case.
 */
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { custody, evidenceFile, expectFailure, fixtureKey, json, removeTempDirs } from './helpers.js';
import { type Lab, makeLab, type Server, startServer } from './server-helpers.js';

let a: Lab;
let b: Lab;
let serverA: Server;
let serverB: Server;
let witnessVkey: string;
let logVkeyA: string;
let backupA: string;

beforeAll(async () => {
  [a, b] = await Promise.all([makeLab(), makeLab()]);
  // B's server also witnesses A's log, with a witness key of its own.
  const wKey = join(b.dir, 'witness.key');
  fixtureKey(wKey, 'B witness');
  witnessVkey = (
    await json<{ vkey: string }>(['witness', 'vkey', '--key', wKey, '--name', 'witness.b.example'])
  ).vkey;
  logVkeyA = (await json<{ vkey: string }>(['checkpoint', '--vkey'], { ledger: a.ledger })).vkey;
  const configB = join(b.dir, 'server.json');
  writeFileSync(
    configB,
    JSON.stringify({ witness: { key: wKey, name: 'witness.b.example', logs: [logVkeyA] } }),
  );
  serverB = await startServer(b.ledger, b.people.log.key, ['--config', configB]);
  const configA = join(a.dir, 'server.json');
  writeFileSync(
    configA,
    JSON.stringify({ witnesses: [{ url: serverB.url, vkey: witnessVkey }], witnessIntervalMs: 50 }),
  );
  backupA = join(a.dir, 'backup');
  cpSync(a.ledger, backupA, { recursive: true });
  serverA = await startServer(a.ledger, a.people.log.key, ['--config', configA]);
}, 180_000);

afterAll(async () => {
  await Promise.all([serverA?.stop(), serverB?.stop()]);
  removeTempDirs();
});

/** Polls until `check` holds (the submission is asynchronous, coalesced about every 50 ms here). */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a ledger witnessed by another ledger server', () => {
  it("attaches the witness's cosignature to its checkpoint, which then verifies with the witness", async () => {
    const file = evidenceFile(a.dir, 'w.bin');
    const reg = await json<{ index: number }>(
      [
        'register',
        file,
        '--key',
        a.people.police.key,
        '--case',
        'W-1',
        '--exhibit',
        'W-01',
        '--description',
        'witnessed',
      ],
      { ledger: serverA.url, env: { CUSTODY_ACCESS_KEY: a.access.police } },
    );
    await eventually(async () => {
      const note = await (await fetch(`${serverA.url}/checkpoint`)).text();
      return note.includes('— witness.b.example ') && note.split('\n')[1] === String(reg.index + 1);
    });
    const note = await (await fetch(`${serverA.url}/checkpoint`)).text();
    const cp = join(a.dir, 'witnessed.checkpoint');
    writeFileSync(cp, note);
    const v = await custody(
      [
        'verify',
        '--trust',
        a.people.authority.publicKey,
        '--checkpoint',
        cp,
        '--witness',
        witnessVkey,
        '--quorum',
        '1',
      ],
      { ledger: serverA.url, env: { CUSTODY_ACCESS_KEY: a.access.police } },
    );
    expect(v.stdout, v.stderr).toMatch(/^VERIFIED/);
    const metrics = await (await fetch(`${serverA.url}/metrics`)).text();
    expect(metrics).toMatch(/^custody_witness_up\{witness="witness.b.example"\} 1$/m);
    // B serves what it cosigned to monitors, by the SHA-256 of the origin.
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update('lab.example/ledger').digest('hex');
    const seen = await fetch(`${serverB.url}/witness/${hash}/checkpoint`);
    expect(seen.status).toBe(200);
    expect(await seen.text()).toContain('— witness.b.example ');
  }, 60_000);

  it('answers add-checkpoint with each status code of tlog-witness in its case', async () => {
    const note = await (await fetch(`${serverA.url}/checkpoint`)).text();
    const size = Number(note.split('\n')[1]);
    const post = (body: string) => fetch(`${serverB.url}/add-checkpoint`, { method: 'POST', body });
    // 409: old size is not the size B cosigned last; the body says that size.
    let r = await post(`old 0\n\n${note}`);
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toMatch(/^text\/x\.tlog\.size/);
    expect(await r.text()).toBe(`${size}\n`);
    // 200: the same checkpoint again from that size (nothing new, still cosigned).
    r = await post(`old ${size}\n\n${note}`);
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/^— witness\.b\.example [A-Za-z0-9+/=]+\n$/);
    // 400: old size larger than the checkpoint's.
    r = await post(`old ${size + 5}\n\n${note}`);
    expect(r.status).toBe(400);
    // 400: a malformed body.
    expect((await post('hello')).status).toBe(400);
    // 404: a log B does not witness.
    const unknown = note.replace(/^lab\.example\/ledger\n/, 'other.example/log\n');
    expect((await post(`old 0\n\n${unknown}`)).status).toBe(404);
    // 403: A's origin, but the signature does not verify.
    const forged = note.replace(
      /^(— lab\.example\/ledger )(\S)/m,
      (_m, p: string, c: string) => p + (c === 'A' ? 'B' : 'A'),
    );
    expect((await post(`old ${size}\n\n${forged}`)).status).toBe(403);
    // 422: a newer checkpoint from A, with a wrong consistency proof.
    await json(
      [
        'register',
        evidenceFile(a.dir, 'w2.bin'),
        '--key',
        a.people.police.key,
        '--case',
        'W-1',
        '--exhibit',
        'W-02',
        '--description',
        'second',
      ],
      { ledger: serverA.url, env: { CUSTODY_ACCESS_KEY: a.access.police } },
    );
    const newer = await (await fetch(`${serverA.url}/checkpoint`)).text();
    const newSize = Number(newer.split('\n')[1]);
    expect(newSize).toBeGreaterThan(size);
    const current = await fetch(`${serverB.url}/add-checkpoint`, {
      method: 'POST',
      body: `old 0\n\n${newer}`,
    });
    const known = Number((await current.text()).trim());
    // Whether or not A has submitted it already, a made-up proof is refused: it does not prove
    // `known` → `newSize`, and for an unchanged size the proof must be empty.
    const bogus = toBase64(new Uint8Array(32).fill(7));
    expect((await post(`old ${known}\n${bogus}\n\n${newer}`)).status).toBe(422);
  }, 60_000);

  it('acknowledges an append asked to be witnessed only once a checkpoint covering it carries the quorum', async () => {
    const reg = await json<{ index: number }>(
      [
        'register',
        evidenceFile(a.dir, 'w3.bin'),
        '--key',
        a.people.police.key,
        '--case',
        'W-1',
        '--exhibit',
        'W-03',
        '--description',
        'third',
        '--witnessed',
      ],
      { ledger: serverA.url, env: { CUSTODY_ACCESS_KEY: a.access.police } },
    );
    const note = await (await fetch(`${serverA.url}/checkpoint`)).text();
    expect(Number(note.split('\n')[1])).toBeGreaterThan(reg.index);
    expect(note).toContain('— witness.b.example ');
    // A server with no witnesses says so before appending anything.
    const before = (
      await json<{ size: number }>(['log', '--limit', '0'], {
        ledger: serverB.url,
        env: { CUSTODY_ACCESS_KEY: b.access.police },
      })
    ).size;
    const r = await custody(
      [
        'register',
        evidenceFile(b.dir, 'w4.bin'),
        '--key',
        b.people.police.key,
        '--case',
        'W-2',
        '--exhibit',
        'W-04',
        '--description',
        'x',
        '--witnessed',
      ],
      { ledger: serverB.url, env: { CUSTODY_ACCESS_KEY: b.access.police } },
    );
    expectFailure(r, { exit: 2, code: 'WITNESS_QUORUM_NONE' });
    expect(
      (
        await json<{ size: number }>(['log', '--limit', '0'], {
          ledger: serverB.url,
          env: { CUSTODY_ACCESS_KEY: b.access.police },
        })
      ).size,
    ).toBe(before);
  }, 60_000);

  it("refuses to sign over an old backup even when the log's own record of what it signed is lost too: its witness remembers", async () => {
    expect(await serverA.stop('SIGTERM')).toBe(0);
    rmSync(a.ledger, { recursive: true });
    cpSync(backupA, a.ledger, { recursive: true });
    for (const f of [`${a.ledger}.signed-checkpoint`, `${a.ledger}.signed-checkpoint.alt`])
      rmSync(f, { force: true });
    serverA = await startServer(a.ledger, a.people.log.key, ['--config', join(a.dir, 'server.json')]);
    const health = await fetch(`${serverA.url}/healthz`);
    expect(health.status).toBe(503);
    const h = (await health.json()) as { status: string; reason: string };
    expect(h.status).toBe('refusing');
    expect(h.reason).toMatch(/held by witness http:\/\/127\.0\.0\.1:\d+/);
  }, 60_000);
});
