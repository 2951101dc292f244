/**
 * The encoding of a time-stamp token's signature (./rfc3161.ts): its
 * algorithm must be one for the TSA's key, and an ECDSA value exactly its
 * strict DER. The one part of a token nothing else covers.
 */
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { equalBytes } from '../bytes.js';
import { CustodyError, type CustodyErrorCode } from '../errors.js';
import { decodeWhole } from './der.js';

const failed = (code: CustodyErrorCode, message: string, details?: Record<string, unknown>) =>
  new CustodyError(code, message, 'verification', details);

/** RFC 5480 §2.1.1: id-ecPublicKey. */
export const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
/** RFC 5758 §3.2 (and ANSI X9.62 ecdsa-with-SHA1): the arc of the ecdsa-with-SHA* signature algorithms. */
const ECDSA_WITH = '1.2.840.10045.4.';

/**
 * The order n of the base point of the curves WebCrypto verifies ECDSA on
 * (RFC 5480 §2.1.1.1 named curves; SEC 2 §2.4.2, §2.5.1, §2.6.1), by curve OID.
 */
const EC_ORDERS: Readonly<Record<string, bigint>> = {
  // secp256r1 (P-256)
  '1.2.840.10045.3.1.7': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  // secp384r1 (P-384)
  '1.3.132.0.34':
    0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  // secp521r1 (P-521)
  '1.3.132.0.35':
    0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};

/**
 * The signature algorithm must be one for the signer's key, and an ECDSA
 * signature value must be byte for byte the DER (X.690 §10) of
 * `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5753 §2.1.1,
 * RFC 3279 §2.2.3), with 1 ≤ r, s < n, the order of the signer's curve
 * (SEC 1 §4.1.4 step 1).
 *
 * SignerInfo.signatureAlgorithm and SignerInfo.signature are outside what
 * anything else covers: not the signature itself, not the ESS certificate
 * hash, not a CA (RFC 5652 §5.3, §5.4). pkijs reads them leniently:
 *
 * - it chooses ECDSA by the signer's key (RFC 5480 §2.1.1 id-ecPublicKey) and
 *   takes only the hash from signatureAlgorithm, so sha256WithRSAEncryption
 *   in place of ecdsa-with-SHA256 verified (RFC 5758 §3.2: with ECDSA it is
 *   ecdsa-with-SHA*), and skipped the check below;
 * - it takes r and s by asn1js class (`instanceof Sequence`, `instanceof
 *   Integer`), and asn1js decodes a SEQUENCE with the constructed bit cleared
 *   (0x10 for 0x30) as a Sequence and an ENUMERATED (0x0a or 0x2a for 0x02) as
 *   an Integer subclass, re-encoding both to the same bytes, so that the DER
 *   check of `decodeWhole` lets them through (yet X.690 §8.1.2.3: another tag
 *   number is another type; §8.1.2.5, §8.9.1: a SEQUENCE is constructed);
 * - it hands WebCrypto r‖s at the curve's width: it drops one leading 0x00 and
 *   writes the rest right-aligned, so an s one byte too long (`08 ee…` for
 *   `00 ee…`) overwrites the last byte of r, and verifies when that byte is
 *   the same; a padded (`00 7a…`) or negative (`fa…` for `00 fa…`) INTEGER
 *   (X.690 §8.3.2, §8.3.3) reads as the same r.
 *
 * The byte-flip sweep of test/time/rfc3161.test.ts found the SEQUENCE, the
 * ENUMERATED and the long s: one changed byte left a token that still
 * verified. The assumption this module keeps (see checkSigningCertificate) is
 * that no byte of a token can change without the token being refused, so that
 * a verified token is exactly the one the TSA issued (its hash is what a log
 * record commits to). So r and s are range-checked and the value is rebuilt
 * from them as DER, and must be equal to what the token carries.
 */
export function checkSignatureEncoding(signerInfo: pkijs.SignerInfo, signer: pkijs.Certificate): void {
  const key = signer.subjectPublicKeyInfo.algorithm;
  const algorithm = signerInfo.signatureAlgorithm.algorithmId;
  const ecKey = key.algorithmId === ID_EC_PUBLIC_KEY;
  if (ecKey !== algorithm.startsWith(ECDSA_WITH))
    throw failed('TIMESTAMP_SIGNATURE_INVALID', "the signature algorithm is not one for the TSA's key", {
      algorithm,
      key: key.algorithmId,
    });
  if (!ecKey) return;
  const bad = () =>
    failed(
      'TIMESTAMP_SIGNATURE_INVALID',
      'the ECDSA signature is not DER SEQUENCE { r, s } with 1 ≤ r, s < n',
    );
  const curve: unknown = key.algorithmParams;
  const order = curve instanceof asn1js.ObjectIdentifier ? EC_ORDERS[curve.valueBlock.toString()] : undefined;
  if (order === undefined)
    throw failed('TIMESTAMP_SIGNATURE_INVALID', 'the TSA key is not on a supported ECDSA curve');
  const bytes = signerInfo.signature.valueBlock.valueHexView;
  let sig: asn1js.AsnType;
  try {
    sig = decodeWhole(bytes, 'the ECDSA signature');
  } catch {
    throw bad();
  }
  const parts = sig instanceof asn1js.Sequence ? sig.valueBlock.value : [];
  if (parts.length !== 2) throw bad();
  const rs = parts.map((p) => {
    const v = p instanceof asn1js.Integer ? p.toBigInt() : 0n;
    if (v < 1n || v >= order) throw bad();
    return asn1js.Integer.fromBigInt(v);
  });
  if (!equalBytes(new Uint8Array(new asn1js.Sequence({ value: rs }).toBER()), bytes)) throw bad();
}
