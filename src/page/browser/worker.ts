/**
 * A signature worker of the verifier page: strict Ed25519 verification (src/crypto/ed25519.ts,
 * the noble backend, the only one in a browser) of the jobs it is sent. It answers one boolean
 * per job, in order; it never decides anything else.
 */
import { ed25519 } from '../../crypto/ed25519.js';
import type { SignatureJob } from '../../crypto/signature-checker.js';

interface Request {
  id: number;
  jobs: SignatureJob[];
}

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(m: unknown): void;
};

scope.onmessage = (e) => {
  const { id, jobs } = e.data;
  scope.postMessage({ id, ok: jobs.map((j) => ed25519.verify(j.signature, j.message, j.publicKey)) });
};
