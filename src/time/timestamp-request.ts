/**
 * Asking a time-stamping authority (RFC 3161 §2.4.1, §3.4): the TimeStampReq
 * for some data, with the nonce the answer must repeat (./rfc3161.ts checks it).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError } from '../errors.js';
import { buffer, ID_SHA256, unsignedBigInt } from './der.js';

export interface TimestampRequestOptions {
  /** The nonce (RFC 3161 §2.4.1); default: 64 random bits. */
  readonly nonce?: bigint | Uint8Array;
  /** Ask the TSA to embed its certificate (certReq, RFC 3161 §2.4.1); default true. */
  readonly certReq?: boolean;
  /** reqPolicy: the TSA policy OID asked for, if any. */
  readonly policy?: string;
}

export interface TimestampRequest {
  /** The TimeStampReq, DER (RFC 3161 §2.4.1), as `application/timestamp-query` (§3.4). */
  readonly request: Uint8Array;
  /** The nonce sent: pass it to verifyTimestampToken to bind the answer to this request. */
  readonly nonce: bigint;
}

/**
 * A TimeStampReq (RFC 3161 §2.4.1) for `data`: version 1, messageImprint
 * SHA-256(data), a nonce against replayed answers ("to verify the timeliness
 * of the response when no local clock is available", §2.4.1), certReq.
 */
export function createTimestampRequest(
  data: Uint8Array,
  opts: TimestampRequestOptions = {},
): TimestampRequest {
  let nonce: bigint;
  if (opts.nonce === undefined) {
    const random = new Uint8Array(8);
    globalThis.crypto.getRandomValues(random);
    nonce = unsignedBigInt(random);
  } else nonce = typeof opts.nonce === 'bigint' ? opts.nonce : unsignedBigInt(opts.nonce);
  if (nonce < 0n) throw new CustodyError('TIMESTAMP_MALFORMED', 'a nonce is not negative', 'input');
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({
        algorithmId: ID_SHA256,
        algorithmParams: new asn1js.Null(),
      }),
      hashedMessage: new asn1js.OctetString({ valueHex: buffer(sha256(data)) }),
    }),
    nonce: asn1js.Integer.fromBigInt(nonce),
    certReq: opts.certReq ?? true,
    ...(opts.policy === undefined ? {} : { reqPolicy: opts.policy }),
  });
  return { request: new Uint8Array(req.toSchema().toBER()), nonce };
}
