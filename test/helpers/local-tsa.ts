/**
 * A local RFC 3161 time-stamping authority for tests: a root CA and a TSA
 * certificate (P-256, critical timeStamping EKU) made with Debian's OpenSSL
 * in a temporary directory, and the `openssl ts -reply` command line that
 * answers a TimeStampReq on stdin (`custody checkpoint --tsa-command`). No
 * network. test/time/rfc3161.test.ts builds its own, with bad certificates
 * beside the good one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPENSSL = '/usr/bin/openssl';
export const HAVE_OPENSSL = existsSync(OPENSSL);

const CONFIG = `
[ tsa ]
default_tsa = local_tsa
[ local_tsa ]
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
  dir: string;
  /** PEM files: the TSA certificate and the root (the chain `--tsa-chain` takes, in that order). */
  tsaCert: string;
  rootCert: string;
  /** A shell command reading a TimeStampReq on stdin and writing the TimeStampResp on stdout. */
  command: string;
}

/** Makes the CA and TSA in `dir` (which must exist). */
export function localTsa(dir: string): LocalTsa {
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
    '/CN=Local Test TSA Root',
    '-days',
    '3650',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    'req',
    ...ec,
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/O=Custody Test/CN=Local Test TSA',
  );
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
  const q = (f: string) => `'${join(dir, f)}'`;
  return {
    dir,
    tsaCert: join(dir, 'tsa.crt'),
    rootCert: join(dir, 'ca.crt'),
    // Node gives a child sockets, not pipes, and OpenSSL cannot open /dev/stdin or /dev/stdout on
    // a socket (ENXIO): the request and the reply go through temporary files.
    command: `cd ${q('')} && q=$(mktemp) && r=$(mktemp) && cat > "$q" && ${OPENSSL} ts -reply -config tsa.cnf -section local_tsa -queryfile "$q" -out "$r" 2>/dev/null && cat "$r"; s=$?; rm -f "$q" "$r"; exit $s`,
  };
}
