/**
 * The server's configuration file (cli/server/config.ts; docs/SERVER.md
 * §Configuration): defaults, the witness and auditor roles, and a one-line
 * CONFIG_INVALID for each malformed member, so that a misspelt setting never
 * falls back silently.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readServerConfig } from '../../cli/server/config.js';
import { CustodyError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'custody-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const read = (v: unknown) => {
  const file = join(dir, `c${n++}.json`);
  writeFileSync(file, typeof v === 'string' ? v : JSON.stringify(v));
  return readServerConfig(file);
};
const refusal = (v: unknown) => {
  try {
    read(v);
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).code).toBe('CONFIG_INVALID');
    return (e as CustodyError).message;
  }
  throw new Error('accepted');
};

const audit = {
  key: 'a.key',
  name: 'auditor.bka.example',
  logs: [{ vkey: 'ledger.nfi.example/2026+abcd+AAAA', url: 'http://127.0.0.1:9000', accessKey: 'r.access' }],
};

describe('the server configuration', () => {
  it('takes the defaults from an empty object, and an auditor role with its peers', () => {
    expect(read({}).witnessIntervalMs).toBe(1000);
    expect(read({}).audit).toBeUndefined();
    expect(read({}).checkpointSources).toEqual([]);
    expect(read({ checkpointSources: ['http://10.0.0.2:8440'] }).checkpointSources).toEqual([
      'http://10.0.0.2:8440',
    ]);
    expect(read({ audit }).audit).toEqual(audit);
    // A witnessed log by its vkey, or with its server's URL (whose hash tiles the witness keeps).
    const vk = audit.logs[0]!.vkey;
    const w = read({
      witness: { key: 'w.key', logs: [vk, { vkey: `${vk}2`, url: 'http://127.0.0.1:9001' }] },
    }).witness;
    expect(w?.logs).toEqual([vk, `${vk}2`]);
    expect([...(w?.tiles ?? [])]).toEqual([[`${vk}2`, 'http://127.0.0.1:9001']]);
  });

  it('refuses each malformed member with its reason', () => {
    expect(refusal('not json')).toContain('not JSON');
    expect(refusal({ auditors: [] })).toContain('unknown member "auditors"');
    expect(refusal({ audit: { ...audit, logs: [{ ...audit.logs[0], accessKey: undefined }] } })).toContain(
      'accessKey',
    );
    expect(refusal({ audit: { ...audit, logs: [{ ...audit.logs[0], url: 'ftp://x' }] } })).toContain(
      'http(s) url',
    );
    expect(refusal({ audit: { logs: [] } })).toContain('audit needs a key file');
    expect(refusal({ witness: { key: 'w.key' } })).toContain('witness needs');
    expect(refusal({ witness: { key: 'w.key', logs: [{ vkey: 'x', url: 'file:///etc' }] } })).toContain(
      'witness needs',
    );
    expect(refusal({ witnessIntervalMs: 0 })).toContain('positive integer');
    expect(refusal({ checkpointSources: 'http://a' })).toContain('checkpointSources must be a list');
    expect(refusal({ checkpointSources: ['file:///etc/passwd'] })).toContain('http(s) URLs');
  });
});
