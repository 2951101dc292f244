/**
 * custody's profile of RFC 9421 HTTP Message Signatures for reads from a
 * ledger server (docs/SERVER.md §Authentication), used by both the client
 * and the server so they cannot drift. Signature bases are built by the
 * `http-message-signatures` library, never by hand.
 *
 *   label      custody
 *   covered    "@method" "@target-uri" "content-digest", and "custody-purpose" when sent
 *   params     created, keyid (hex key id of the access key: docs/FORMAT.md §Keys), alg="ed25519", nonce
 *
 * Content-Digest (RFC 9530, sha-256) is always sent, of the empty body for a
 * GET; the library does not check it against the body, so the server does
 * (checkContentDigest). The nonce makes every signature unique, so a replay
 * cache keyed on it refuses a request seen before within the maximum age.
 */
import { randomBytes } from 'node:crypto';
import { httpbis } from 'http-message-signatures';
import { toBase64 } from '../src/bytes.js';
import type { Signer } from '../src/crypto/ed25519.js';
import { sha256 } from '../src/crypto/sha256.js';

export const SIGNATURE_LABEL = 'custody';
export const COVERED = ['@method', '@target-uri', 'content-digest'] as const;
export const PURPOSE_HEADER = 'custody-purpose';
export const REQUIRED_PARAMS = ['created', 'keyid', 'alg', 'nonce'] as const;

/** RFC 9530 §2 Content-Digest with sha-256, as a structured-field dictionary member. */
export const contentDigest = (body: Uint8Array): string => `sha-256=:${toBase64(sha256(body))}:`;

/** Whether `header` is exactly the sha-256 Content-Digest of `body` (nothing else is accepted). */
export const checkContentDigest = (header: string | undefined, body: Uint8Array): boolean =>
  header !== undefined && header.trim() === contentDigest(body);

/** The headers that sign a request: Content-Digest, Signature-Input and Signature (and the purpose, if any). */
export async function signRequest(
  req: { method: string; url: string; body: Uint8Array; purpose?: string },
  key: Signer,
  keyId: string,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = { 'content-digest': contentDigest(req.body) };
  const fields: string[] = [...COVERED];
  if (req.purpose !== undefined) {
    headers[PURPOSE_HEADER] = req.purpose;
    fields.push(PURPOSE_HEADER);
  }
  const signed = await httpbis.signMessage(
    {
      key: {
        id: keyId,
        alg: 'ed25519',
        sign: async (data: Buffer) => Buffer.from(key.sign(new Uint8Array(data))),
      },
      name: SIGNATURE_LABEL,
      params: [...REQUIRED_PARAMS],
      fields,
      paramValues: { nonce: randomBytes(16).toString('base64url') },
    },
    { method: req.method, url: req.url, headers },
  );
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers))
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
