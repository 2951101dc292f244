/**
 * The DER plumbing of RFC 3161 tokens and requests: strict decoding (one
 * value, DER only, X.690 §10), the SHA-256 OID, and the conversions pkijs and
 * WebCrypto need. Shared by ./rfc3161.ts (verifying) and
 * ./timestamp-request.ts (asking).
 */
import * as asn1js from 'asn1js';
import { equalBytes } from '../bytes.js';
import { CustodyError } from '../errors.js';

/** NIST: id-sha256, the only message-imprint hash a custody request uses. */
export const ID_SHA256 = '2.16.840.1.101.3.4.2.1';

/** A copy as an ArrayBuffer of its own: pkijs and WebCrypto take ArrayBuffers. */
export const buffer = (b: Uint8Array): ArrayBuffer => {
  const copy = new ArrayBuffer(b.byteLength);
  new Uint8Array(copy).set(b);
  return copy;
};

/**
 * One BER value spanning all of `bytes`. asn1js stops at the end of the
 * first value; trailing bytes would be unauthenticated data riding along, so
 * they are refused.
 */
export function decodeWhole(bytes: Uint8Array, what: string): asn1js.AsnType {
  const { offset, result } = asn1js.fromBER(buffer(bytes));
  if (offset === -1 || result.error !== '' || offset !== bytes.byteLength)
    throw new CustodyError('TIMESTAMP_MALFORMED', `${what} is not one BER value`, 'input', { offset });
  // DER only (X.690 §10): what is not re-encoded to the same bytes had a
  // non-minimal length, an indefinite form or another choice BER allows; such
  // bytes mean the same to pkijs, so they would verify while being different.
  if (!equalBytes(new Uint8Array(result.toBER(false)), bytes) || !minimalLengths(result))
    throw new CustodyError('TIMESTAMP_MALFORMED', `${what} is not DER`, 'input');
  return result;
}

/**
 * X.690 §10.1: DER lengths use the short form below 128. asn1js re-encodes a
 * long form as long, so the byte comparison alone lets `02 81 00` through;
 * X.690 §8.3.1: an INTEGER has at least one content octet.
 */
function minimalLengths(node: asn1js.AsnType): boolean {
  if (node.lenBlock.longFormUsed && node.lenBlock.length < 128) return false;
  if (node instanceof asn1js.Integer && node.valueBlock.valueHexView.byteLength === 0) return false;
  if (!(node instanceof asn1js.Constructed)) return true;
  return node.valueBlock.value.every((c) => minimalLengths(c));
}

/** Unsigned big-endian bytes as a bigint (a nonce given as bytes). */
export function unsignedBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}
