/**
 * Reaching a time-stamping authority from the command line (docs/CLI.md
 * §custody checkpoint, --tsa-url / --tsa-command): the transport of RFC 3161
 * §3.4 (HTTP POST of application/timestamp-query), or a local command for
 * tests and air-gapped sites (`openssl ts -reply …`), plus the TSA's
 * certificate chain from PEM or DER files. What comes back is checked by
 * src/ledger/archive.ts before anything is logged.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { fromBase64 } from '../src/bytes.js';
import { CustodyError } from '../src/errors.js';
import type { TimestampAuthority } from '../src/ledger/archive.js';
import { readInputFile } from './files.js';

const MAX_REPLY = 64 << 10;
const TIMEOUT_MS = 30_000;

const unreachable = (message: string) => new CustodyError('TSA_UNREACHABLE', message, 'unavailable');

/** RFC 3161 §3.4: POST the request as application/timestamp-query, expect application/timestamp-reply. */
export function httpTsa(url: string): TimestampAuthority {
  return async (request) => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: request,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw unreachable(`the TSA at ${url} cannot be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!res.ok) throw unreachable(`the TSA at ${url} answered HTTP ${res.status}`);
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.length > MAX_REPLY) throw unreachable(`the TSA at ${url} sent more than ${MAX_REPLY} bytes`);
    return body;
  };
}

/** A local command that reads the TimeStampReq on stdin and writes the TimeStampResp on stdout (run by sh -c). */
export function commandTsa(command: string): TimestampAuthority {
  return async (request) => {
    try {
      return new Uint8Array(
        execFileSync('/bin/sh', ['-c', command], {
          input: request,
          maxBuffer: MAX_REPLY,
          timeout: TIMEOUT_MS,
          stdio: ['pipe', 'pipe', 'pipe'],
        }),
      );
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0];
      throw unreachable(`the TSA command failed${stderr ? `: ${stderr}` : ''}`);
    }
  };
}

/**
 * Whether `der` is a DER X.509 certificate, by Node's own parser (OpenSSL): a
 * wrong file is said as such at once. The token's chain is checked later, in
 * full, by src/time/rfc3161.ts; this is only the shape, and keeps pkijs out
 * of every command's start.
 */
function isCertificate(der: Uint8Array): boolean {
  // PEM text is not DER: X509Certificate would take it, this check must not.
  if (der[0] !== 0x30) return false;
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
}

/**
 * Certificates from PEM (one or more CERTIFICATE blocks) or DER files, in the
 * order given; anything that is not an X.509 certificate is CERTIFICATE_INVALID.
 */
export function readCertificates(paths: readonly string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const path of paths) {
    const raw = readInputFile(path, 'certificate file', 1 << 20);
    const text = raw.toString('latin1');
    const pem = [
      ...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g),
    ];
    const ders =
      pem.length > 0 ? pem.map((m) => fromBase64(m[1]!.replace(/\s+/g, ''))) : [new Uint8Array(raw)];
    for (const der of ders) {
      if (!der || !isCertificate(der))
        throw new CustodyError(
          'CERTIFICATE_INVALID',
          `${path} is not an X.509 certificate (PEM or DER)`,
          'input',
        );
      out.push(der);
    }
  }
  return out;
}
