/**
 * A signature worker of the verifier page: strict Ed25519 verification (the noble backend,
 * src/crypto/ed25519-noble.ts, the one the page's own thread uses in a browser) of the jobs it
 * is sent. It answers one boolean per job, in order; it never decides anything else. Built as
 * a classic script: Chromium refuses blob: module workers from file://.
 */
import { nobleEd25519 as ed25519 } from '../../crypto/ed25519-noble.js';
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
