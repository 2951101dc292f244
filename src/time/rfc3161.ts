/**
 * RFC 3161 time-stamp tokens over checkpoint notes, verified offline: a
 * trusted time-stamping authority (TSA) signs the SHA-256 of the note's bytes
 * together with its clock, so the note is shown to have existed no later than
 * that time (docs/PROOFS.md §Trusted time (RFC 3161)).
 *
 * Not pure: pkijs verifies signatures through WebCrypto (it installs
 * `globalThis.crypto` itself), and every check is asynchronous. Kept out of
 * src/verify's import graph for that reason (docs/ARCHITECTURE.md §Layers).
 *
 * Error codes raised (CustodyError): TIMESTAMP_MALFORMED (input), and, all
 * verification: TIMESTAMP_IMPRINT_MISMATCH, TIMESTAMP_NONCE_MISMATCH,
 * TIMESTAMP_SIGNATURE_INVALID, TIMESTAMP_EKU_MISSING,
 * TIMESTAMP_OUTSIDE_VALIDITY, TIMESTAMP_IN_FUTURE, TIMESTAMP_CHAIN_INVALID.
 * The checks run in that order, so a token wrong in several ways is refused
 * with the first code; docs/ERRORS.md lists them.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError, type CustodyErrorCode } from '../errors.js';
import { buffer, decodeWhole, ID_SHA256, unsignedBigInt } from './der.js';
import { checkSignatureEncoding, ID_EC_PUBLIC_KEY } from './signature-encoding.js';

/** RFC 5652 §5.1: id-signedData. */
const ID_SIGNED_DATA = '1.2.840.113549.1.7.2';
/** RFC 3161 §2.4.2: id-ct-TSTInfo, the eContentType of a time-stamp token. */
const ID_CT_TSTINFO = '1.2.840.113549.1.9.16.1.4';
/** RFC 5280 §4.2.1.12: id-kp-timeStamping. */
const ID_KP_TIMESTAMPING = '1.3.6.1.5.5.7.3.8';
/** RFC 5280 §4.2.1.12: id-ce-extKeyUsage. */
const ID_CE_EXT_KEY_USAGE = '2.5.29.37';
/** RFC 2634 §5.4: id-aa-signingCertificate (ESSCertID, SHA-1). */
const ID_AA_SIGNING_CERTIFICATE = '1.2.840.113549.1.9.16.2.12';
/** RFC 5035 §3 / RFC 5816 §2.2.1: id-aa-signingCertificateV2 (ESSCertIDv2). */
const ID_AA_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
/** RFC 4055 §3.1: id-RSASSA-PSS, whose parameters are meaningful. */
const ID_RSASSA_PSS = '1.2.840.113549.1.1.10';
/** Hash algorithms an ESSCertID(v2) may name (RFC 5035 §4: default SHA-256), as WebCrypto names. */
const HASH_NAMES: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'SHA-1',
  [ID_SHA256]: 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** Short names of the attribute types a TSA subject usually has (RFC 4519, RFC 5280 Appendix A). */
const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

export interface TimestampVerifyOptions {
  /** DER certificates the relying party trusts as roots: the TSA's chain must end at one of them. */
  readonly trustedRoots: readonly Uint8Array[];
  /**
   * DER certificates carried beside the token (the TSA certificate and any
   * intermediates), for a token made without `certReq` (RFC 3161 §2.4.1) or
   * a chain longer than what the TSA embedded. Untrusted: only a path to a
   * trusted root makes them count.
   */
  readonly certificates?: readonly Uint8Array[];
  /** The nonce of the request (RFC 3161 §2.4.1); when given, the token must carry exactly this one. */
  readonly nonce?: bigint | Uint8Array;
  /**
   * The verifier's clock (default: the current time). A token whose genTime,
   * less its accuracy, is later than this is refused (TIMESTAMP_IN_FUTURE).
   * The certificate chain is checked at genTime, not at `now`: see
   * verifyTimestampToken.
   */
  readonly now?: Date;
}

export interface VerifiedTimestamp {
  /** TSTInfo.genTime (RFC 3161 §2.4.2): the TSA's time, UTC. */
  readonly genTime: Date;
  /** TSTInfo.accuracy in milliseconds, when the TSA states one (RFC 3161 §2.4.2). */
  readonly accuracyMs?: number;
  /** TSTInfo.serialNumber: unique per token of one TSA. */
  readonly serialNumber: bigint;
  /** TSTInfo.policy: the TSA policy the token was issued under (an OID). */
  readonly policy: string;
  /** The nonce the token carries, if any. */
  readonly nonce?: bigint;
  /** The signer certificate's subject, attributes in certificate order ("O=…, CN=…"). */
  readonly tsaSubject: string;
  /**
   * The algorithm of the TSA's key (its certificate's subjectPublicKeyInfo): what a
   * relying party's sunset for RSA or ECDSA applies to (docs/LONG-TERM.md).
   */
  readonly keyAlgorithm: 'rsa' | 'ecdsa' | 'other';
  /** The certificate path used, DER, from the TSA certificate to the trusted root. */
  readonly chain: readonly Uint8Array[];
}

const malformed = (message: string, details?: Record<string, unknown>, cause?: unknown) =>
  new CustodyError('TIMESTAMP_MALFORMED', message, 'input', details, { cause });
const failed = (
  code: CustodyErrorCode,
  message: string,
  details?: Record<string, unknown>,
  cause?: unknown,
) => new CustodyError(code, message, 'verification', details, { cause });

/**
 * The token inside `bytes`: either a TimeStampResp (RFC 3161 §2.4.2) whose
 * status is granted (0) or grantedWithMods (1), or the TimeStampToken (a CMS
 * ContentInfo, RFC 5652 §3) on its own. Both are SEQUENCEs; a ContentInfo
 * starts with its contentType OID, a TimeStampResp with PKIStatusInfo.
 */
function tokenOf(bytes: Uint8Array): pkijs.ContentInfo {
  const outer = decodeWhole(bytes, 'the time-stamp token');
  if (!(outer instanceof asn1js.Sequence)) throw malformed('the time-stamp token is not a SEQUENCE');
  const first = outer.valueBlock.value[0];
  try {
    if (first instanceof asn1js.ObjectIdentifier) return new pkijs.ContentInfo({ schema: outer });
    const resp = new pkijs.TimeStampResp({ schema: outer });
    // RFC 3161 §2.4.2: a token is present exactly when the status is 0 or 1.
    const status = resp.status.status;
    if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods)
      throw malformed('the TSA did not grant the request', { status });
    if (resp.timeStampToken === undefined) throw malformed('the TimeStampResp carries no token');
    return resp.timeStampToken;
  } catch (e) {
    if (e instanceof CustodyError) throw e;
    throw malformed('not a TimeStampResp or TimeStampToken', {}, e);
  }
}

/**
 * The TimeStampToken (DER of the CMS ContentInfo) inside a TimeStampResp, or
 * the token itself: what a log record keeps (FORMAT.md §Log records).
 * TIMESTAMP_MALFORMED when it is neither, or the TSA did not grant it.
 */
export function timestampTokenOf(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(tokenOf(bytes).toSchema().toBER());
}

/** RFC 8017 rsaEncryption and RFC 4055 RSASSA-PSS keys; RFC 5480 id-ecPublicKey. */
function keyAlgorithmOf(cert: pkijs.Certificate): VerifiedTimestamp['keyAlgorithm'] {
  const oid = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  if (oid === '1.2.840.113549.1.1.1' || oid === ID_RSASSA_PSS) return 'rsa';
  return oid === ID_EC_PUBLIC_KEY ? 'ecdsa' : 'other';
}

interface ParsedToken {
  readonly signed: pkijs.SignedData;
  readonly signerInfo: pkijs.SignerInfo;
  readonly tst: pkijs.TSTInfo;
}

/** The SignedData and TSTInfo of a token, with the structural rules of RFC 3161 §2.4.2. */
function parseToken(bytes: Uint8Array): ParsedToken {
  const info = tokenOf(bytes);
  if (info.contentType !== ID_SIGNED_DATA) throw malformed('the token is not CMS SignedData');
  let signed: pkijs.SignedData;
  try {
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (e) {
    throw malformed('the token is not CMS SignedData', {}, e);
  }
  if (signed.encapContentInfo.eContentType !== ID_CT_TSTINFO)
    throw malformed('the signed content is not a TSTInfo', {
      eContentType: signed.encapContentInfo.eContentType,
    });
  // RFC 3161 §2.4.2: "The time-stamp token MUST NOT contain any signatures
  // other than the signature of the TSA."
  const [signerInfo, ...others] = signed.signerInfos;
  if (signerInfo === undefined || others.length > 0)
    throw malformed('a time-stamp token has exactly one signer', { signers: signed.signerInfos.length });
  const content = signed.encapContentInfo.eContent;
  if (content === undefined) throw malformed('the token has no TSTInfo');
  let tst: pkijs.TSTInfo;
  try {
    tst = pkijs.TSTInfo.fromBER(content.getValue());
  } catch (e) {
    throw malformed('the TSTInfo does not decode', {}, e);
  }
  // RFC 5652 §5.1: SignedData version 3 when eContentType is not id-data;
  // §5.3: SignerInfo version 1 with issuerAndSerialNumber, 3 with
  // subjectKeyIdentifier. The digestAlgorithms set is not signed: it must at
  // least name the signer's digest algorithm, byte for byte, so that neither
  // copy can be changed alone.
  const sidVersion = signerInfo.sid instanceof pkijs.IssuerAndSerialNumber ? 1 : 3;
  if (signed.version !== 3 || signerInfo.version !== sidVersion)
    throw malformed('unexpected SignedData or SignerInfo version', {
      signedData: signed.version,
      signerInfo: signerInfo.version,
    });
  const digestAlgorithm = algorithmDer(signerInfo.digestAlgorithm);
  if (!signed.digestAlgorithms.some((a) => equalBytes(algorithmDer(a), digestAlgorithm)))
    throw malformed("digestAlgorithms does not list the signer's digest algorithm");
  // RFC 5754 §2, RFC 4055 §5, RFC 5758 §3.2: hash, RSA PKCS #1 v1.5 and ECDSA
  // algorithms take NULL or absent parameters; pkijs ignores them, so anything
  // else would ride along unsigned. RSASSA-PSS (RFC 4055 §3.1) has real ones.
  for (const a of [signerInfo.digestAlgorithm, signerInfo.signatureAlgorithm]) {
    const params: unknown = a.algorithmParams;
    if (a.algorithmId !== ID_RSASSA_PSS && params !== undefined && !(params instanceof asn1js.Null))
      throw malformed('unexpected algorithm parameters', { algorithm: a.algorithmId });
  }
  // RFC 3161 §2.4.2: TSTInfo version v1(1).
  if (tst.version !== 1) throw malformed('unknown TSTInfo version', { version: tst.version });
  if (Number.isNaN(tst.genTime.getTime())) throw malformed('the TSTInfo genTime is not a time');
  return { signed, signerInfo, tst };
}

/** TSTInfo.accuracy (RFC 3161 §2.4.2: seconds, millis 1..999, micros 1..999) in milliseconds. */
function accuracyMs(tst: pkijs.TSTInfo): number | undefined {
  const a = tst.accuracy;
  if (a === undefined) return undefined;
  return (a.seconds ?? 0) * 1000 + (a.millis ?? 0) + (a.micros ?? 0) / 1000;
}

/** A distinguished name as "O=…, CN=…", in certificate order, for people (not for matching). */
function nameOf(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const v: unknown = tv.value.valueBlock;
      const text =
        typeof v === 'object' && v !== null && 'value' in v && typeof v.value === 'string'
          ? v.value
          : '#unprintable';
      return `${ATTRIBUTE_NAMES[tv.type] ?? tv.type}=${text}`;
    })
    .join(', ');
}

const algorithmDer = (a: pkijs.AlgorithmIdentifier): Uint8Array => new Uint8Array(a.toSchema().toBER());

const der = (cert: pkijs.Certificate): Uint8Array => new Uint8Array(cert.toSchema().toBER());

/**
 * Whether `der` is a DER X.509 certificate (for files the relying party or
 * the operator names: a TSA root, a TSA chain), checked before use so that a
 * wrong file is said as such rather than as a token that does not verify.
 */
export function isCertificate(der: Uint8Array): boolean {
  try {
    certificatesOf([der]);
    return true;
  } catch {
    return false;
  }
}

/** DER certificates (the relying party's roots, those carried beside a token), decoded. */
function certificatesOf(extra: readonly Uint8Array[]): pkijs.Certificate[] {
  return extra.map((c, i) => {
    try {
      return pkijs.Certificate.fromBER(buffer(c));
    } catch (e) {
      throw malformed(`certificate ${i} is not a DER X.509 certificate`, { index: i }, e);
    }
  });
}

/**
 * The ESS signing-certificate attribute must name the signer certificate by
 * its hash: RFC 3161 §2.4.1 requires a SigningCertificate (RFC 2634 §5.4) and
 * RFC 5816 §2.2.1 allows SigningCertificateV2 (RFC 5035) instead. The
 * certificate is outside what the TSA signs; this attribute, inside it, stops
 * another certificate for the same key (without the EKU, of another holder,
 * with other dates) from being substituted.
 */
async function checkSigningCertificate(signerInfo: pkijs.SignerInfo, cert: pkijs.Certificate): Promise<void> {
  const attrs = signerInfo.signedAttrs?.attributes ?? [];
  const attr = attrs.find(
    (a) => a.type === ID_AA_SIGNING_CERTIFICATE_V2 || a.type === ID_AA_SIGNING_CERTIFICATE,
  );
  const unbound = (why: string) =>
    failed('TIMESTAMP_SIGNATURE_INVALID', `the token does not bind its signer certificate: ${why}`);
  if (attr === undefined) throw unbound('no ESS signing-certificate attribute');
  const value = attr.values[0];
  // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies … }; the
  // first ESSCertID names the signer (RFC 2634 §5.4.1, RFC 5035 §4).
  const certs = value instanceof asn1js.Sequence ? value.valueBlock.value[0] : undefined;
  const id = certs instanceof asn1js.Sequence ? certs.valueBlock.value[0] : undefined;
  if (!(id instanceof asn1js.Sequence)) throw unbound('malformed ESS attribute');
  const [first, second] = id.valueBlock.value;
  let hashOid = '1.3.14.3.2.26';
  let certHash: asn1js.AsnType | undefined = first;
  if (attr.type === ID_AA_SIGNING_CERTIFICATE_V2) {
    // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT id-sha256, certHash, issuerSerial OPTIONAL }
    hashOid = ID_SHA256;
    if (first instanceof asn1js.Sequence) {
      const oid = first.valueBlock.value[0];
      hashOid = oid instanceof asn1js.ObjectIdentifier ? oid.valueBlock.toString() : '';
      certHash = second;
    }
  }
  const hashName = HASH_NAMES[hashOid];
  if (hashName === undefined) throw unbound(`unsupported hash ${hashOid}`);
  if (!(certHash instanceof asn1js.OctetString)) throw unbound('malformed ESS attribute');
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest(hashName, buffer(der(cert))));
  if (!equalBytes(digest, certHash.valueBlock.valueHexView)) throw unbound('the certificate hash differs');
  // RFC 5652 §5.3: the SignerInfo's sid names the signer certificate, and lies outside the
  // signature. Issuer and serial must be that certificate's, byte for byte, so that no unsigned
  // byte of the token can change without the token being refused.
  if (signerInfo.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = signerInfo.sid;
    const sameIssuer = equalBytes(
      new Uint8Array(sid.issuer.valueBeforeDecode),
      new Uint8Array(cert.issuer.valueBeforeDecode),
    );
    const sameSerial = equalBytes(
      sid.serialNumber.valueBlock.valueHexView,
      cert.serialNumber.valueBlock.valueHexView,
    );
    if (!sameIssuer || !sameSerial) throw unbound("the signer's issuer and serial are not its certificate's");
  }
}

/**
 * RFC 3161 §2.3: the TSA certificate "MUST contain only one instance of the
 * extended key usage field extension … with KeyPurposeID having value:
 * id-kp-timeStamping. This extension MUST be critical."
 */
function checkTimestampingEku(cert: pkijs.Certificate): void {
  const ekus = (cert.extensions ?? []).filter((e) => e.extnID === ID_CE_EXT_KEY_USAGE);
  const [eku] = ekus;
  const parsed: unknown = eku?.parsedValue;
  const purposes = parsed instanceof pkijs.ExtKeyUsage ? parsed.keyPurposes : ([] as readonly string[]);
  if (
    ekus.length !== 1 ||
    eku === undefined ||
    !eku.critical ||
    purposes.length !== 1 ||
    purposes[0] !== ID_KP_TIMESTAMPING
  )
    throw failed(
      'TIMESTAMP_EKU_MISSING',
      'the TSA certificate lacks the one critical extendedKeyUsage timeStamping (RFC 3161 §2.3)',
      { critical: eku?.critical ?? false, purposes: [...purposes], instances: ekus.length },
    );
}

/** pkijs reports failures by throwing SignedDataVerifyError; code 5 is the chain, 2 and 3 a missing signer certificate. */
const verifyErrorCode = (e: unknown): number | undefined =>
  e instanceof pkijs.SignedDataVerifyError ? e.code : undefined;

/**
 * Verifies an RFC 3161 time-stamp token (or a whole TimeStampResp) over
 * `data`, offline, and returns what it attests. In order:
 *
 * 1. structure (TIMESTAMP_MALFORMED): a granted TimeStampResp or a
 *    ContentInfo holding SignedData with one signer over a v1 TSTInfo
 *    (RFC 3161 §2.4.2), without trailing bytes;
 * 2. messageImprint (TIMESTAMP_IMPRINT_MISMATCH): SHA-256, equal to
 *    SHA-256(data) (RFC 3161 §2.4.2, "the hash of the datum to be
 *    time-stamped");
 * 3. nonce (TIMESTAMP_NONCE_MISMATCH), when one is expected (RFC 3161
 *    §2.4.2: "MUST be present if the nonce field was present in the
 *    TimeStampReq");
 * 4. the CMS signature over the signed attributes and their message digest
 *    of the TSTInfo (RFC 5652 §5.4, §5.6), and the ESS signing-certificate
 *    attribute naming the signer certificate (RFC 3161 §2.4.1, RFC 5816
 *    §2.2.1), a signature algorithm for the signer's key and, for ECDSA, a
 *    DER signature value (RFC 5753 §2.1.1) (TIMESTAMP_SIGNATURE_INVALID; a
 *    signer certificate that is nowhere to be found is TIMESTAMP_CHAIN_INVALID);
 * 5. the signer certificate's critical timeStamping EKU (RFC 3161 §2.3,
 *    TIMESTAMP_EKU_MISSING);
 * 6. genTime within the signer certificate's validity (TIMESTAMP_OUTSIDE_VALIDITY)
 *    and not after `now` beyond the accuracy (TIMESTAMP_IN_FUTURE): a TSA
 *    may only sign while its certificate is valid (RFC 5280 §4.1.2.5);
 * 7. a path from the signer certificate to one of `trustedRoots`, checked
 *    at genTime (TIMESTAMP_CHAIN_INVALID). At genTime, not now: a token must
 *    outlive its TSA certificate (RFC 3161 §4 item 1: "tokens generated
 *    before the revocation time will remain valid"). No revocation data is
 *    consulted offline; whether the TSA key was compromised before the token
 *    was relied on is the relying party's policy (docs/PROOFS.md).
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  data: Uint8Array,
  opts: TimestampVerifyOptions,
): Promise<VerifiedTimestamp> {
  try {
    return await verifyToken(token, data, opts);
  } catch (e) {
    // pkijs and asn1js throw plain errors on some structures they decode lazily (a time
    // string, a name); whatever is not classified above is a token that does not decode.
    if (e instanceof CustodyError) throw e;
    throw malformed('the time-stamp token does not decode', {}, e);
  }
}

async function verifyToken(
  token: Uint8Array,
  data: Uint8Array,
  opts: TimestampVerifyOptions,
): Promise<VerifiedTimestamp> {
  const { signed, signerInfo, tst } = parseToken(token);

  const imprint = tst.messageImprint;
  if (imprint.hashAlgorithm.algorithmId !== ID_SHA256)
    throw failed('TIMESTAMP_IMPRINT_MISMATCH', 'the token time-stamps a hash other than SHA-256', {
      algorithm: imprint.hashAlgorithm.algorithmId,
    });
  if (!equalBytes(imprint.hashedMessage.valueBlock.valueHexView, sha256(data)))
    throw failed('TIMESTAMP_IMPRINT_MISMATCH', 'the token time-stamps other data than these bytes');

  const nonce = tst.nonce?.toBigInt();
  if (opts.nonce !== undefined) {
    const expected = typeof opts.nonce === 'bigint' ? opts.nonce : unsignedBigInt(opts.nonce);
    if (nonce !== expected)
      throw failed('TIMESTAMP_NONCE_MISMATCH', 'the token does not carry the nonce of the request', {
        expected: expected.toString(),
        found: nonce?.toString() ?? null,
      });
  }

  const roots = certificatesOf(opts.trustedRoots);
  signed.certificates = [...(signed.certificates ?? []), ...certificatesOf(opts.certificates ?? [])];
  const verifyParams = { signer: 0, data: buffer(data), extendedMode: true } as const;

  // 4. The signature alone (checkChain false: pkijs checks the chain before the signature, and
  // the EKU and validity checks come first).
  let signer: pkijs.Certificate;
  try {
    const result = await signed.verify({ ...verifyParams, checkChain: false });
    if (result.signatureVerified !== true || !result.signerCertificate)
      throw failed('TIMESTAMP_SIGNATURE_INVALID', 'the TSA signature does not verify');
    signer = result.signerCertificate;
  } catch (e) {
    if (e instanceof CustodyError) throw e;
    const code = verifyErrorCode(e);
    if (code === 2 || code === 3)
      throw failed(
        'TIMESTAMP_CHAIN_INVALID',
        'the TSA certificate is neither in the token nor among the certificates given',
        {},
        e,
      );
    throw failed('TIMESTAMP_SIGNATURE_INVALID', 'the TSA signature does not verify', { pkijsCode: code }, e);
  }
  await checkSigningCertificate(signerInfo, signer);
  checkSignatureEncoding(signerInfo, signer);

  // 5.
  checkTimestampingEku(signer);

  // 6.
  const genTime = tst.genTime;
  const notBefore = signer.notBefore.value;
  const notAfter = signer.notAfter.value;
  if (genTime.getTime() < notBefore.getTime() || genTime.getTime() > notAfter.getTime())
    throw failed('TIMESTAMP_OUTSIDE_VALIDITY', 'genTime is outside the TSA certificate validity', {
      genTime: genTime.toISOString(),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
    });
  const accuracy = accuracyMs(tst);
  const now = opts.now ?? new Date();
  if (genTime.getTime() - (accuracy ?? 0) > now.getTime())
    throw failed('TIMESTAMP_IN_FUTURE', "genTime is later than the verifier's clock", {
      genTime: genTime.toISOString(),
      now: now.toISOString(),
    });

  // 7. checkChain defaults to false in pkijs: without it a token verifies against any CA. For a
  // TSTInfo pkijs checks the chain at genTime (it replaces checkDate with it).
  let path: readonly pkijs.Certificate[];
  try {
    const result = await signed.verify({ ...verifyParams, checkChain: true, trustedCerts: roots });
    if (result.signatureVerified !== true)
      throw failed('TIMESTAMP_SIGNATURE_INVALID', 'the TSA signature does not verify');
    path = result.certificatePath;
  } catch (e) {
    if (e instanceof CustodyError) throw e;
    throw failed(
      'TIMESTAMP_CHAIN_INVALID',
      'no valid path from the TSA certificate to a trusted root at genTime',
      { pkijsCode: verifyErrorCode(e) ?? null, reason: e instanceof Error ? e.message : String(e) },
      e,
    );
  }

  return {
    genTime,
    ...(accuracy === undefined ? {} : { accuracyMs: accuracy }),
    serialNumber: tst.serialNumber.toBigInt(),
    policy: tst.policy,
    ...(nonce === undefined ? {} : { nonce }),
    tsaSubject: nameOf(signer.subject),
    keyAlgorithm: keyAlgorithmOf(signer),
    chain: path.map(der),
  };
}
