/**
 * A server's error document as the CLI rebuilds it (cli/remote.ts): a code
 * the client knows comes back as it is; any other, or a verdict's, is
 * SERVER_ERROR with the server's category, so a hostile server cannot put a
 * code of its own into the client's typed codes or take a verdict's exit code
 * (docs/ERRORS.md, SERVER_ERROR).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, EXIT, isVerdictFailure } from '../../cli/exit.js';
import { HttpLedger } from '../../cli/remote.js';
import { CustodyError } from '../../src/errors.js';

let answer: { status: number; body: string } = { status: 500, body: '' };
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.close();
});

async function refusal(status: number, body: unknown): Promise<CustodyError> {
  answer = { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
  const e = await new HttpLedger(url, undefined, undefined)
    .request('GET', 'v1/anything', { signed: false })
    .then(
      () => undefined,
      (x: unknown) => x,
    );
  expect(e).toBeInstanceOf(CustodyError);
  return e as CustodyError;
}

describe("a server's error document", () => {
  it('keeps a code the client knows, with its message and category', async () => {
    const e = await refusal(409, { error: { code: 'NOT_HOLDER', message: 'm', category: 'custody' } });
    expect([e.code, e.message, e.category]).toEqual(['NOT_HOLDER', 'm', 'custody']);
    const r = await refusal(429, {
      error: { code: 'RATE_LIMITED', message: 'slow', category: 'unavailable' },
    });
    expect([r.code, r.category]).toEqual(['RATE_LIMITED', 'unavailable']);
  });

  it('makes a code the client does not know SERVER_ERROR, with the category deciding the exit code', async () => {
    const e = await refusal(409, { error: { code: 'SOMETHING_NEW', message: 'm', category: 'custody' } });
    expect([e.code, e.message, e.category]).toEqual(['SERVER_ERROR', 'SOMETHING_NEW: m', 'custody']);
    expect(classify(e).exitCode).toBe(EXIT.refused);
    const p = await refusal(400, { error: { code: '__proto__', message: 'm', category: 'input' } });
    expect([p.code, p.message]).toEqual(['SERVER_ERROR', 'm']);
  });

  it("never takes a verdict's code, and so never a verdict's exit code", async () => {
    const e = await refusal(422, {
      error: { code: 'VERIFICATION_UNANCHORED', message: 'm', category: 'input' },
    });
    expect([e.code, e.message]).toEqual(['SERVER_ERROR', 'VERIFICATION_UNANCHORED: m']);
    expect(isVerdictFailure(e.code)).toBe(false);
    expect(classify(e).exitCode).toBe(EXIT.usage);
  });

  it('is SERVER_ERROR, unavailable, when it is not one of our documents', async () => {
    for (const body of ['<html>bad gateway</html>', { error: { code: 'NOT_HOLDER', message: 'm' } }]) {
      const e = await refusal(502, body);
      expect([e.code, e.category]).toEqual(['SERVER_ERROR', 'unavailable']);
    }
  });
});
