/**
 * A local RFC 3161 time-stamping authority for `custody demo`: a root CA and
 * a TSA certificate (P-256, critical timeStamping EKU) made with the
 * system's OpenSSL in the demo's directory, answering through `openssl ts
 * -reply` (cli/tsa.ts, commandTsa). A real deployment points `checkpoint
 * --tsa-url` at a (qualified) TSA instead. Undefined when OpenSSL is missing:
 * the demo then archives without a token and says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimestampAuthority } from '../src/ledger/archive.js';
import { commandTsa, readCertificates } from './tsa.js';

const OPENSSL = '/usr/bin/openssl';

const CONFIG = `[ tsa ]
default_tsa = demo_tsa
[ demo_tsa ]
serial = ./tsaserial
crypto_device = builtin
signer_cert = ./tsa.crt
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
[ tsa_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
`;

export interface LocalTsa {
  /** A shell command reading a TimeStampReq on stdin and writing the TimeStampResp on stdout. */
  command: string;
  tsa: TimestampAuthority;
  /** PEM files: the TSA's certificate and its root. */
  tsaCert: string;
  rootCert: string;
  /** The TSA's certificate, then its root (DER): what `--tsa-chain` takes. */
  chain: Uint8Array[];
}

/**
 * Makes the CA and the TSA in `dir` (created if needed), the TSA's subject
 * being `O=<org>, CN=<name>`. Throws if OpenSSL fails.
 */
export function localTsa(dir: string, org: string, name: string): LocalTsa {
  mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  writeFileSync(join(dir, 'tsa.cnf'), CONFIG);
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    `/CN=${name} Root`,
    '-days',
    '3650',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ec, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', `/O=${org}/CN=${name}`);
  openssl(
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '365',
    '-extfile',
    'tsa.cnf',
    '-extensions',
    'tsa_ext',
    '-out',
    'tsa.crt',
  );
  const quoted = `'${dir.replaceAll("'", "'\\''")}'`;
  // Node gives the command sockets, which OpenSSL cannot open as /dev/stdin: temporary files instead.
  const command = `cd ${quoted} && q=$(mktemp) && r=$(mktemp) && cat > "$q" && ${OPENSSL} ts -reply -config tsa.cnf -section demo_tsa -queryfile "$q" -out "$r" 2>/dev/null && cat "$r"; s=$?; rm -f "$q" "$r"; exit $s`;
  const [tsaCert, rootCert] = [join(dir, 'tsa.crt'), join(dir, 'ca.crt')];
  return {
    command,
    tsa: commandTsa(command),
    tsaCert,
    rootCert,
    chain: readCertificates([tsaCert, rootCert]),
  };
}

/** The demo's TSA, or undefined when this system has no OpenSSL (the demo then archives without a token). */
export function demoTsa(dir: string): LocalTsa | undefined {
  if (!existsSync(OPENSSL)) return undefined;
  try {
    return localTsa(dir, 'Custody demo', 'Demo TSA');
  } catch {
    return undefined;
  }
}
