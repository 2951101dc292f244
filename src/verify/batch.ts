/**
 * Signature jobs packed into a few large buffers as the replay produces them.
 *
 * Why copy: a job that pointed into its record would keep the record alive
 * until the batch came back from a worker thread — long enough for V8 to move
 * it to the old generation, where records of a million-entry verification
 * piled up awaiting a full collection and peak memory grew with the size of
 * the ledger (docs/PERFORMANCE.md). Copied at once, each record dies young and
 * a batch holds one allocation per ~256 KiB instead of one per entry.
 */
import type { ReplayJob } from './replay.js';
import type { SignatureJob } from './signatures.js';

const CHUNK = 256 * 1024;

export class SignatureBatch {
  /** Views into the batch's buffers: message = prefix ‖ payload. */
  readonly jobs: SignatureJob[] = [];
  readonly seqs: number[] = [];
  readonly exhibits: (string | null)[] = [];
  #chunk = new Uint8Array(0);
  #used = 0;

  get length(): number {
    return this.jobs.length;
  }

  add(j: ReplayJob): void {
    const end = j.prefix.length + j.payload.length;
    const size = end + j.signature.length;
    if (this.#used + size > this.#chunk.length) {
      this.#chunk = new Uint8Array(Math.max(CHUNK, size));
      this.#used = 0;
    }
    const c = this.#chunk;
    const at = this.#used;
    c.set(j.prefix, at);
    c.set(j.payload, at + j.prefix.length);
    c.set(j.signature, at + end);
    this.#used = at + size;
    this.jobs.push({
      message: c.subarray(at, at + end),
      signature: c.subarray(at + end, at + size),
      publicKey: j.publicKey,
    });
    this.seqs.push(j.seq);
    this.exhibits.push(j.exhibit);
  }
}
