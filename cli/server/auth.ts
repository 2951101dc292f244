/**
 * Authenticating reads (docs/SERVER.md §Authentication): an RFC 9421
 * signature in custody's profile (../http-signature.ts) by an access key that
 * is enrolled in this ledger for an actor still active, or named in the
 * server's configuration for an auditor or peer.
 *
 *   401 UNAUTHENTICATED  no signature, a signature that does not verify, covers too little, is
 *                        stale or from the future, a replayed nonce, or a Content-Digest that is
 *                        not the body's
 *   403 FORBIDDEN        an unknown key, a key enrolled for another purpose (a statement key),
 *                        a revoked or expired access key, or one whose actor is revoked
 *   429 RATE_LIMITED     more requests from this key than its rate allows
 *
 * Security assumptions: Ed25519 unforgeability; clocks within the tolerance;
 * the replay cache outlives the maximum age (it is in memory: a restart
 * forgets it, and requests signed before a restart could be replayed within
 * the maximum age; the default is 30 seconds).
 */
import type { FastifyRequest } from 'fastify';
import { httpbis } from 'http-message-signatures';
import { parseDictionary, serializeDictionary } from 'structured-headers';
import { fromHex, toHex } from '../../src/bytes.js';
import { ed25519 } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import {
  COVERED,
  checkContentDigest,
  PURPOSE_HEADER,
  REQUIRED_PARAMS,
  SIGNATURE_LABEL,
} from '../http-signature.js';
import type { Reader } from './app.js';

export interface ConfiguredReader {
  name: string;
  publicKey: Uint8Array;
}

export interface AuthOptions {
  /** A consistent view of the ledger as it is now. */
  viewNow: () => Promise<LedgerView>;
  readers: readonly ConfiguredReader[];
  /** Seconds a signature stays valid after its `created`. */
  maxAgeSeconds: number;
  /** Requests per second per key (a burst of twice that is allowed). */
  ratePerSecond: number;
  /** Whether a read must state its purpose (Custody-Purpose). */
  requirePurpose: boolean;
}

const unauthenticated = (why: string) => new CustodyError('UNAUTHENTICATED', why, 'input');
const forbidden = (why: string) => new CustodyError('FORBIDDEN', why, 'input');
const CLOCK_TOLERANCE_S = 5;

export function makeAuthenticator(o: AuthOptions): (req: FastifyRequest) => Promise<Reader> {
  const configured = new Map(
    o.readers.map((r) => [
      toHex(keyIdOf({ type: KEY_TYPES.ed25519, publicKey: r.publicKey }, KEY_PURPOSES.access)),
      r,
    ]),
  );
  const seen = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  const forget = (now: number) => {
    for (const [k, until] of seen) if (until < now) seen.delete(k);
  };

  const takeToken = (keyId: string) => {
    const now = Date.now() / 1000;
    const burst = o.ratePerSecond * 2;
    const b = buckets.get(keyId) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * o.ratePerSecond);
    b.at = now;
    buckets.set(keyId, b);
    if (b.tokens < 1)
      throw new CustodyError('RATE_LIMITED', 'too many requests from this key; slow down', 'unavailable');
    b.tokens -= 1;
  };

  /** Who holds the access key `keyId` (hex), or a 403 saying why nobody may use it. */
  const holder = async (
    keyId: string,
  ): Promise<{ reader: Omit<Reader, 'signed'>; publicKey: Uint8Array }> => {
    const c = configured.get(keyId);
    if (c) return { reader: { keyId, name: c.name }, publicKey: c.publicKey };
    const id = /^[0-9a-f]{64}$/.test(keyId) ? fromHex(keyId) : undefined;
    const view = await o.viewNow();
    const rec = id && (await view.key(id));
    if (!rec) throw forbidden('this key is not enrolled on this server');
    if (rec.purpose !== KEY_PURPOSES.access)
      throw forbidden('this key is not an access key (statement keys sign statements, never requests)');
    if (rec.revokedAt !== undefined) throw forbidden('this access key is revoked');
    if (rec.validUntil !== undefined && rec.validUntil * 1000 < Date.now())
      throw forbidden('this access key has expired');
    const actor = rec.actor && (await view.key(rec.actor));
    if (!rec.actor || !actor || actor.revokedAt !== undefined)
      throw forbidden('the actor this access key reads for is revoked');
    return { reader: { keyId, actor: toHex(rec.actor) }, publicKey: rec.publicKey };
  };

  return async (req: FastifyRequest): Promise<Reader> => {
    const h = req.headers;
    const member = soleMember(h['signature'], h['signature-input']);
    const body = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array(0);
    const digest = h['content-digest'];
    if (!checkContentDigest(typeof digest === 'string' ? digest : undefined, body))
      throw unauthenticated('Content-Digest is missing or is not the sha-256 of the body');
    const purposeHeader = h[PURPOSE_HEADER];
    const purpose = typeof purposeHeader === 'string' ? purposeHeader : undefined;
    // The one member, and only it, is what the library verifies: a second signature (even a
    // forged one naming another key) can then never decide who reads.
    const headers: Record<string, string | string[]> = {
      ...(h as Record<string, string | string[]>),
      signature: member.signature,
      'signature-input': member.input,
    };
    let found: { reader: Omit<Reader, 'signed'>; publicKey: Uint8Array } | undefined;
    let signed: Reader['signed'] | undefined;
    let nonce: string | undefined;
    let refusal: CustodyError | undefined;
    let ok: boolean | null;
    try {
      ok = await httpbis.verifyMessage(
        {
          keyLookup: async (params) => {
            if (params.alg !== undefined && params.alg !== 'ed25519') return null;
            // RFC 9421 §2.3: created is an Integer; the age is checked here, not by the
            // library (which lets a non-number through and narrows the window by its tolerance).
            const created = params.created;
            if (!(created instanceof Date) || Number.isNaN(created.getTime())) return null;
            const age = Date.now() / 1000 - created.getTime() / 1000;
            if (age > o.maxAgeSeconds + CLOCK_TOLERANCE_S || age < -CLOCK_TOLERANCE_S) return null;
            if (typeof params.nonce !== 'string' || params.nonce === '') return null;
            try {
              found = await holder(String(params.keyid ?? ''));
            } catch (e) {
              refusal = e instanceof CustodyError ? e : forbidden('this key cannot be used');
              return null;
            }
            nonce = params.nonce;
            const pk = found.publicKey;
            return {
              id: String(params.keyid),
              algs: ['ed25519'],
              verify: async (data: Buffer, sig: Buffer) => {
                const ok = ed25519.verify(new Uint8Array(sig), new Uint8Array(data), pk);
                if (ok)
                  signed = { base: data.toString('utf8'), signature: new Uint8Array(sig), publicKey: pk };
                return ok;
              },
            };
          },
          // Checked in keyLookup above; this bound only keeps the library from refusing first.
          maxAge: o.maxAgeSeconds + 2 * CLOCK_TOLERANCE_S,
          tolerance: CLOCK_TOLERANCE_S,
          requiredParams: [...REQUIRED_PARAMS],
          requiredFields: purpose === undefined ? [...COVERED] : [...COVERED, PURPOSE_HEADER],
        },
        {
          method: req.method,
          url: `${req.protocol}://${h.host ?? ''}${req.url}`,
          headers,
        },
      );
    } catch {
      throw unauthenticated(
        'the request signature is stale, from the future, or does not cover what it must',
      );
    }
    if (refusal) throw refusal;
    if (ok !== true || !found || !nonce || !signed)
      throw unauthenticated('the request signature does not verify');
    if (o.requirePurpose && !purpose)
      throw new CustodyError(
        'PURPOSE_REQUIRED',
        'this server asks every read to state its purpose (--purpose)',
        'input',
      );
    const now = Date.now() / 1000;
    forget(now);
    const replayKey = `${found.reader.keyId}:${nonce}`;
    if (seen.has(replayKey)) throw unauthenticated('this request was already made (a replay)');
    seen.set(replayKey, now + o.maxAgeSeconds + 2 * CLOCK_TOLERANCE_S);
    takeToken(found.reader.keyId);
    return { ...found.reader, signed, ...(purpose === undefined ? {} : { purpose }) };
  };
}

/**
 * The one signature of custody's profile: both headers must hold exactly one
 * member, labelled `custody` (RFC 9421 §4: they are dictionaries that could
 * carry several), else 401.
 */
function soleMember(
  signature: string | string[] | undefined,
  input: string | string[] | undefined,
): { signature: string; input: string } {
  if (signature === undefined || input === undefined)
    throw unauthenticated('sign the request with an access key (RFC 9421; custody --access-key)');
  let sigs: Map<string, unknown>;
  let inputs: Map<string, unknown>;
  try {
    sigs = parseDictionary(Array.isArray(signature) ? signature.join(', ') : signature);
    inputs = parseDictionary(Array.isArray(input) ? input.join(', ') : input);
  } catch {
    throw unauthenticated('Signature or Signature-Input is not a structured-field dictionary');
  }
  if (sigs.size !== 1 || inputs.size !== 1 || !sigs.has(SIGNATURE_LABEL) || !inputs.has(SIGNATURE_LABEL))
    throw unauthenticated(`the request must carry exactly one signature, labelled ${SIGNATURE_LABEL}`);
  return {
    signature: serializeDictionary(sigs as Parameters<typeof serializeDictionary>[0]),
    input: serializeDictionary(inputs as Parameters<typeof serializeDictionary>[0]),
  };
}
