/**
 * A local RFC 3161 time-stamping authority for tests: the one `custody demo`
 * makes (cli/demo-tsa.ts: a root CA and a P-256 TSA certificate with a
 * critical timeStamping EKU, by Debian's OpenSSL, answering `openssl ts
 * -reply`), with the subject `O=Custody Test, CN=Local Test TSA`. No network.
 * test/time/rfc3161.test.ts builds its own, with bad certificates beside the
 * good one.
 */
import { existsSync } from 'node:fs';
import { type LocalTsa, localTsa as make } from '../../cli/demo-tsa.js';

export const OPENSSL = '/usr/bin/openssl';
export const HAVE_OPENSSL = existsSync(OPENSSL);
export type { LocalTsa };

/** Makes the CA and TSA in `dir`. */
export const localTsa = (dir: string): LocalTsa => make(dir, 'Custody Test', 'Local Test TSA');
