/**
 * Fuzzing the HTTP input of a real `custody serve` process with fast-check:
 * append bodies (random bytes and near-misses of the append protocol, under
 * several content types), header values on an authenticated read, and paths
 * under /v1/store/ and /tile/. Whatever arrives, the server answers a 4xx
 * with the JSON error document (never a 5xx, never a 2xx for garbage), and
 * afterwards it is still healthy and still serves a real client.
 */
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccessKey } from '../../cli/access-key.js';
import { signRequest } from '../../cli/http-signature.js';
import { toHex } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { encodeAppendRequest, MAX_APPEND_BATCH } from '../../src/ledger/append-wire.js';
import { custody, evidenceFile, json, removeTempDirs } from './helpers.js';
import { type Lab, makeLab, type Server, startServer } from './server-helpers.js';

let lab: Lab;
let server: Server;
let police: { signer: Signer; keyId: string };
/** Signed statements as the ledger holds them (payloads of entries 0 to 9). */
let statements: Uint8Array[] = [];
const STATEMENTS = `/v1/statements`;
const RUNS = Number(process.env['CUSTODY_FUZZ_RUNS'] ?? 60);
const EMPTY = new Uint8Array(0);

const STACK = /^\s+at\s|\bat \S+ \(|node_modules|\.[jt]s:\d+/m;
const CODE = /^[A-Z][A-Z0-9_]*$/;

/** Checks one answer: a 4xx (or `allowed` statuses), and for an error the JSON error document. */
async function check(res: Response, what: string, allowed: readonly number[] = []): Promise<Uint8Array> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  const ctx = `${what}\n-> ${res.status} ${text.slice(0, 300)}`;
  expect(res.status, ctx).toBeLessThan(500);
  if (!allowed.includes(res.status)) expect(res.status, ctx).toBeGreaterThanOrEqual(400);
  if (res.status >= 400) {
    expect(res.headers.get('content-type'), ctx).toMatch(/^application\/json/);
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; category?: unknown } };
    expect(Object.keys(body), ctx).toEqual(['error']);
    expect(body.error?.code, ctx).toMatch(CODE);
    expect(typeof body.error?.message, ctx).toBe('string');
    expect(['input', 'custody', 'verification', 'unavailable', 'internal'], ctx).toContain(
      body.error?.category,
    );
    expect(text, ctx).not.toMatch(STACK);
    expect(text, ctx).not.toContain(lab.dir);
  }
  return bytes;
}

/**
 * An append answer of 200 must refuse every statement of garbage: one error per statement; a
 * statement the ledger holds (`resubmits`: its index) may instead be answered as that entry.
 */
function expectAllRefused(bytes: Uint8Array, count: number, ctx: string, resubmits?: number) {
  const d = decodeCanonical(bytes);
  expect('error' in d, ctx).toBe(false);
  const results = (
    d as { value: { results: { error?: { code: string }; index?: number; duplicate?: boolean }[] } }
  ).value.results;
  expect(results, ctx).toHaveLength(count);
  for (const r of results) {
    const c = `${ctx}\n${JSON.stringify(r, (_k, v) => (v instanceof Uint8Array ? toHex(v) : v))}`;
    if (resubmits !== undefined && r.error === undefined)
      expect(r, c).toMatchObject({ index: resubmits, duplicate: true });
    else expect(r.error?.code, c).toMatch(CODE);
  }
}

const post = (body: Uint8Array, contentType: string | undefined) =>
  fetch(`${server.url}${STATEMENTS}`, {
    method: 'POST',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  });

/**
 * POSTs `size` bytes of zeros with node:http, announced by Content-Length or sent chunked, and
 * resolves with the answer. The server may answer before the body is sent and close the
 * connection: the body is written in pieces only while no answer has come, so the answer is read
 * before the connection goes.
 */
function postLarge(size: number, chunked: boolean): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${server.url}${STATEMENTS}`);
    let answered = false;
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/msgpack',
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) }),
        },
      },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text });
          req.destroy();
        });
      },
    );
    req.on('error', (e) => {
      // The server may refuse and close while the body is still being written (EPIPE, a reset):
      // its answer can still arrive; only none at all is a failure.
      if (!answered) setTimeout(() => answered || reject(e), 2_000);
    });
    req.flushHeaders();
    const piece = new Uint8Array(64 << 10);
    let sent = 0;
    const more = () => {
      while (!answered && sent < size) {
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', more);
      }
      if (!answered) req.end();
    };
    // Give the server the chance to refuse on the headers alone (a loaded machine may take a while).
    setTimeout(more, chunked ? 200 : 2_000);
  });
}

const CONTENT_TYPES = [
  'application/msgpack',
  'application/octet-stream',
  'application/json',
  'text/plain; charset=utf-8',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '*/*',
  'application/msgpack; charset=binary',
  undefined,
] as const;

/** Header-value characters fetch sends as they are: tab, visible ASCII, space, obs-text. */
const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0x80, max: 0xff }),
  fc.constant(0x09),
);
const headerValue = fc.string({ unit: headerChar.map((c) => String.fromCharCode(c)), maxLength: 300 });

beforeAll(async () => {
  lab = await makeLab();
  await json(
    [
      'register',
      evidenceFile(lab.dir, 'disk.bin', 4096),
      '--key',
      lab.people.police.key,
      '--case',
      'JIT-2026-017',
      '--exhibit',
      'DISK-01',
      '--description',
      'seized disk',
    ],
    { ledger: lab.ledger },
  );
  const signer = readAccessKey(lab.access.police);
  police = {
    signer,
    keyId: toHex(keyIdOf({ type: KEY_TYPES.ed25519, publicKey: signer.publicKey }, KEY_PURPOSES.access)),
  };
  const config = join(lab.dir, 'server.json');
  // A rate high enough that the fuzzing itself is never limited.
  writeFileSync(config, JSON.stringify({ ratePerSecond: 100_000 }));
  server = await startServer(lab.ledger, lab.people.log.key, ['--config', config]);
  const url = `${server.url}/v1/store/items/0/10`;
  const res = await fetch(url, {
    headers: await signRequest({ method: 'GET', url, body: EMPTY }, signer, police.keyId),
  });
  const items = decodeCanonical(await check(res, 'items', [200]));
  statements = (items as { value: { payload: Uint8Array }[] }).value.map((i) => i.payload);
  expect(statements.length).toBe(10);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

describe('POST /v1/statements', () => {
  it('answers random bytes under any content type with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 4096 }),
        fc.constantFrom(...CONTENT_TYPES),
        async (body, type) => {
          await check(await post(body, type), `POST ${body.length} random bytes as ${type}`);
        },
      ),
      { numRuns: RUNS },
    );
  }, 30_000);

  it('refuses near-misses of the append protocol: 400, or every statement refused', async () => {
    const bin = fc.uint8Array({ minLength: 0, maxLength: 2048 });
    const mutated = fc
      .tuple(fc.nat(9), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom('flip', 'cut', 'grow'))
      .map(([i, at, by, how]) => {
        const s = statements[i]!;
        if (how === 'cut') return s.slice(0, at % s.length);
        if (how === 'grow') return new Uint8Array([...s, by]);
        const m = s.slice();
        m[at % m.length] = m[at % m.length]! ^ by;
        return m;
      });
    // fc.record makes objects without a prototype; the canonical encoder takes plain objects.
    const item = fc
      .oneof(
        fc.record({ statement: bin }),
        fc.record({ statement: mutated }),
        fc.record({ statement: mutated, openings: bin }),
        fc.record({ statement: bin, openings: bin }),
      )
      .map((r) => ({ ...r }));
    // Canonical msgpack values shaped almost like an append request.
    const nearMiss: fc.Arbitrary<{ value: Canonical; statements?: number; resubmits?: number }> = fc.oneof(
      // A statement the ledger holds, with other openings: refused, or answered as the entry it is.
      fc.tuple(fc.nat(9), bin).map(([i, openings]) => ({
        value: { statements: [{ statement: statements[i]!, openings }] },
        statements: 1,
        resubmits: i,
      })),
      fc
        .array(item, { minLength: 1, maxLength: 4 })
        .map((l) => ({ value: { statements: l }, statements: l.length })),
      fc.array(item, { minLength: 1, maxLength: 2 }).map((l) => ({ value: { statements: l, extra: 1 } })),
      fc.array(item, { minLength: 1, maxLength: 2 }).map((l) => ({ value: { statement: l } })),
      bin.map((b) => ({ value: { statements: b } })),
      bin.map((b) => ({ value: { statements: [b] } })),
      bin.map((b) => ({ value: [{ statement: b }] })),
      bin.map((b) => ({ value: { statements: [{ statement: b, extra: true }] } })),
      bin.map((b) => ({ value: { statements: [{ statement: b, openings: 'text' }] } })),
      fc.string().map((s) => ({ value: { statements: [{ statement: s }] } })),
      fc.nat().map((n) => ({ value: { statements: [{ statement: n }] } })),
      fc.constant({ value: { statements: [] } }),
      fc.constant({ value: null }),
      fc.constant({ value: {} }),
    );
    await fc.assert(
      fc.asyncProperty(nearMiss, fc.constantFrom(...CONTENT_TYPES), async (m, type) => {
        const body = encodeCanonical(m.value);
        const ctx = `POST ${JSON.stringify(m.value, (_k, v) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))} as ${type}`;
        const res = await post(body, type);
        const bytes = await check(res, ctx, m.statements === undefined ? [] : [200]);
        if (res.status === 200) expectAllRefused(bytes, m.statements!, ctx, m.resubmits);
      }),
      { numRuns: RUNS },
    );
  }, 30_000);

  it('refuses 0 and 1025 statements (400 APPEND_REQUEST_MALFORMED), a body over the limit (413 BODY_TOO_LARGE)', async () => {
    for (const n of [0, MAX_APPEND_BATCH + 1]) {
      const body = encodeAppendRequest(
        Array.from({ length: n }, (_, i) => ({ statement: new Uint8Array([i & 0xff]) })),
      );
      const res = await post(body, 'application/msgpack');
      expect(res.status).toBe(400);
      const b = JSON.parse(new TextDecoder().decode(await check(res, `${n} statements`))) as {
        error: { code: string };
      };
      expect(b.error.code).toBe('APPEND_REQUEST_MALFORMED');
    }
    for (const chunked of [false, true]) {
      const big = await postLarge(9 << 20, chunked);
      expect(big.status, big.text).toBe(413);
      expect(big.type).toMatch(/^application\/json/);
      expect(JSON.parse(big.text)).toMatchObject({ error: { code: 'BODY_TOO_LARGE', category: 'input' } });
    }
  });

  it('refuses each of 1024 damaged statements in one request, one error each', async () => {
    const list = Array.from({ length: MAX_APPEND_BATCH }, (_, i) => {
      const m = statements[i % statements.length]!.slice();
      const at = (i * 7919) % m.length;
      m[at] = m[at]! ^ 0x5a;
      return { statement: m };
    });
    const res = await post(encodeAppendRequest(list), 'application/msgpack');
    const bytes = await check(res, '1024 damaged statements', [200]);
    if (res.status === 200) expectAllRefused(bytes, MAX_APPEND_BATCH, '1024 damaged statements');
  }, 30_000);

  it('answers a statement it already holds as a duplicate, not as a new entry (the baseline of the fuzzing)', async () => {
    const res = await post(encodeAppendRequest([{ statement: statements[9]! }]), 'application/msgpack');
    const d = decodeCanonical(await check(res, 'resubmission', [200]));
    const [r] = (d as { value: { results: { index?: number; duplicate?: boolean }[] } }).value.results;
    expect(r).toMatchObject({ index: 9, duplicate: true });
  });
});

describe('GET /v1/store/head with odd header values', () => {
  it('refuses a signed read whose signature headers or purpose were replaced (4xx)', async () => {
    const url = `${server.url}/v1/store/head`;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('signature', 'signature-input', 'content-digest', 'custody-purpose'),
        headerValue,
        fc.boolean(),
        async (name, value, withPurpose) => {
          const headers = await signRequest(
            { method: 'GET', url, body: EMPTY, ...(withPurpose ? { purpose: 'case work' } : {}) },
            police.signer,
            police.keyId,
          );
          const original = headers[name];
          headers[name] = value;
          const res = await fetch(url, { headers });
          // A value that fetch normalizes back to the original (surrounding whitespace) changes nothing.
          const same = original !== undefined && value.replace(/^[\t ]+|[\t ]+$/g, '') === original;
          await check(res, `${name}: ${JSON.stringify(value)}`, same ? [200] : []);
        },
      ),
      { numRuns: RUNS },
    );
  }, 30_000);

  it('refuses signature headers shaped like the profile but with random parameters (4xx)', async () => {
    const url = `${server.url}/v1/store/head`;
    const param = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => n.toFixed(3)),
      fc.string({ unit: fc.constantFrom(...'abcXYZ019:=;,()"\\ ') }).map((s) => JSON.stringify(s)),
      fc.constantFrom('?1', '?0', ':AAAA:', 'token', `"${'f'.repeat(64)}"`, `"${police.keyId}"`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({ created: param, keyid: param, alg: param, nonce: param }),
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        fc.constantFrom('custody', 'sig', 'a'),
        async (p, sig, label) => {
          const headers = await signRequest({ method: 'GET', url, body: EMPTY }, police.signer, police.keyId);
          headers['signature-input'] =
            `${label}=("@method" "@target-uri" "content-digest");created=${p.created};keyid=${p.keyid};alg=${p.alg};nonce=${p.nonce}`;
          headers['signature'] = `${label}=:${Buffer.from(sig).toString('base64')}:`;
          await check(await fetch(url, { headers }), JSON.stringify(headers));
        },
      ),
      { numRuns: RUNS },
    );
  }, 30_000);
});

/** Whether a path's percent-encoding decodes (malformed ones have a test of their own, below). */
const wellEncoded = (p: string) => {
  try {
    decodeURIComponent(p);
    return true;
  } catch {
    return false;
  }
};

describe('random paths', () => {
  it('answers a path whose percent-encoding is malformed with the JSON error document (400)', async () => {
    for (const p of [
      '/v1/store/%',
      '/v1/store/head%ZZ',
      '/v1/store/records/%E2%82',
      '/tile/%',
      '/tile/0/%zz',
      '/%',
    ])
      await check(await fetch(`${server.url}${p}`), `GET ${p}`);
  });

  const segment = fc.oneof(
    fc.constantFrom(
      'head',
      'entry',
      'payload',
      'openings',
      'items',
      'node',
      'map-node',
      'record',
      'records',
      'tree-nodes',
      'statement-rows',
      'statement-index',
      'exhibit-events',
      'checkpoint',
      'checkpoint-sizes',
      'entries',
      '000',
      'x001',
      '000.p',
      '0',
      '1',
      '9',
      '255',
      '256',
      '-1',
      '9007199254740993',
      '99999999999999999999',
      'ff'.repeat(32),
      '',
      '%00',
      '%2F',
      '%2e%2e',
      '%ZZ',
      '%',
      '%E2%82',
      '\u00e9',
      '\u{1F600}',
      ';',
      '?x=1',
      '#frag',
      'a'.repeat(3000),
    ),
    fc.string({ unit: fc.constantFrom(..."abcdef0123456789-_.~%:@!$&'()*+,;=") }),
  );
  const path = fc.array(segment, { minLength: 0, maxLength: 6 }).map((s) => s.join('/'));

  it('answers any path under /v1/store/, signed or not, with a 4xx or a value', async () => {
    await fc.assert(
      fc.asyncProperty(path, fc.boolean(), async (p, signed) => {
        let url: URL;
        try {
          url = new URL(`${server.url}/v1/store/${p}`);
        } catch {
          return;
        }
        // fetch resolves dot segments: a path that left /v1/store/ is another test's business.
        if (!url.pathname.startsWith('/v1/store/') || !wellEncoded(url.pathname)) return;
        const headers = signed
          ? await signRequest({ method: 'GET', url: url.href, body: EMPTY }, police.signer, police.keyId)
          : {};
        const res = await fetch(url, { headers });
        await check(res, `GET ${url.href} ${signed ? 'signed' : 'unsigned'}`, signed ? [200] : []);
      }),
      { numRuns: RUNS },
    );
  }, 30_000);

  it('answers any path under /tile/ with a 4xx or a tile', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('', '0/', '1/', 'entries/', '0/000.p/', 'entries/000.p/'),
        path,
        async (prefix, p) => {
          let url: URL;
          try {
            url = new URL(`${server.url}/tile/${prefix}${p}`);
          } catch {
            return;
          }
          if (!url.pathname.startsWith('/tile/') || !wellEncoded(url.pathname)) return;
          await check(await fetch(url), `GET ${url.href}`, [200]);
        },
      ),
      { numRuns: RUNS },
    );
  }, 30_000);
});

describe('after the fuzzing', () => {
  it('is healthy and still serves a real client', async () => {
    expect(server.proc.exitCode).toBe(null);
    const h = await fetch(`${server.url}/healthz`);
    expect(h.status).toBe(200);
    expect(((await h.json()) as { status: string }).status).toBe('ok');
    const r = await custody(['exhibits', '--json'], {
      ledger: server.url,
      env: { CUSTODY_ACCESS_KEY: lab.access.police, CUSTODY_PURPOSE: 'after fuzzing' },
    });
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as { exhibits: { label: string }[] };
    expect(list.exhibits.map((x) => x.label)).toEqual(['DISK-01']);
    expect(server.stderr()).not.toMatch(STACK);
    // Nothing the fuzzing sent was appended: the ledger still holds its 10 entries.
    expect(((await (await fetch(`${server.url}/healthz`)).json()) as { size: number }).size).toBe(10);
  }, 30_000);
});
