/**
 * Ed25519 verification on worker threads (Node only), so a large ledger is
 * verified on every core. The worker runs OpenSSL through node:crypto with the
 * same preconditions as ./ed25519.ts: the main thread admits each key once
 * (admission needs the curve arithmetic of @noble/ed25519) and the worker
 * refuses non-canonical S. A key that fails admission is never sent: its jobs
 * are false without a thread hop.
 *
 * The worker source is inline (eval) so the pool works the same from compiled
 * JavaScript and from TypeScript sources under the test runner.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { toHex } from '../bytes.js';
import { isAdmissibleKey } from './admission.js';
import type { SignatureChecker, SignatureJob } from './signature-checker.js';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const keys = [];
function canonicalS(sig, o) {
  let s = 0n;
  for (let i = o + 63; i >= o + 32; i--) s = (s << 8n) | BigInt(sig[i]);
  return s < L;
}
parentPort.on('message', (m) => {
  if (m.keys) for (const k of m.keys) keys.push(crypto.createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(k)]), format: 'der', type: 'spki' }));
  if (!m.id) return;
  const n = m.n;
  const out = new Uint8Array(n);
  const lens = new Uint32Array(m.sab, 0, n);
  const keyIdx = new Uint32Array(m.sab, 4 * n, n);
  const sigs = Buffer.from(m.sab, 8 * n, 64 * n);
  const msgs = Buffer.from(m.sab, 72 * n);
  let off = 0;
  for (let i = 0; i < n; i++) {
    const len = lens[i];
    const msg = msgs.subarray(off, off + len);
    off += len;
    const sig = sigs.subarray(i * 64, i * 64 + 64);
    try {
      out[i] = canonicalS(sigs, i * 64) && crypto.verify(null, msg, keys[keyIdx[i]], sig) ? 1 : 0;
    } catch { out[i] = 0; }
  }
  parentPort.postMessage({ id: m.id, out }, [out.buffer]);
});
`;

interface Slot {
  worker: Worker;
  keysSent: number;
  busy: number;
}

/** Below this many jobs per worker a call is not split: the message round trip would dominate. */
const SPLIT_MIN = 32;

export class WorkerPoolChecker implements SignatureChecker {
  readonly #slots: Slot[];
  readonly #keyIndex = new Map<string, number>();
  readonly #keys: Uint8Array[] = [];
  readonly #waiting = new Map<number, { resolve: (out: Uint8Array) => void; reject: (e: unknown) => void }>();
  #nextId = 1;
  readonly #free: SharedArrayBuffer[] = [];
  #next = 0;

  constructor(threads = Math.max(1, availableParallelism())) {
    this.#slots = Array.from({ length: threads }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.on('message', (m: { id: number; out: Uint8Array }) => {
        const done = this.#waiting.get(m.id);
        this.#waiting.delete(m.id);
        done?.resolve(m.out);
      });
      // A dead worker fails every batch in flight; the verifier counts those as unverified.
      worker.on('error', (e) => {
        for (const w of this.#waiting.values()) w.reject(e);
        this.#waiting.clear();
      });
      return { worker, keysSent: 0, busy: 0 };
    });
  }

  /**
   * Verifies every job. A large call is split across the workers, so one
   * group commit's signatures use every core rather than one worker each.
   */
  async check(jobs: SignatureJob[]): Promise<boolean[]> {
    const parts = Math.min(this.#slots.length, Math.floor(jobs.length / SPLIT_MIN));
    if (parts < 2) return this.#checkOne(jobs);
    const size = Math.ceil(jobs.length / parts);
    const chunks: SignatureJob[][] = [];
    for (let i = 0; i < jobs.length; i += size) chunks.push(jobs.slice(i, i + size));
    return (await Promise.all(chunks.map((c) => this.#checkOne(c)))).flat();
  }

  async #checkOne(jobs: SignatureJob[]): Promise<boolean[]> {
    const result = new Array<boolean>(jobs.length).fill(false);
    const send: number[] = [];
    const keyIdx: number[] = [];
    for (let i = 0; i < jobs.length; i++) {
      const j = jobs[i]!;
      if (j.signature.length !== 64 || !isAdmissibleKey(j.publicKey)) continue;
      const hex = toHex(j.publicKey);
      let k = this.#keyIndex.get(hex);
      if (k === undefined) {
        k = this.#keys.length;
        this.#keys.push(j.publicKey);
        this.#keyIndex.set(hex, k);
      }
      send.push(i);
      keyIdx.push(k);
    }
    if (send.length === 0) return result;
    // One shared buffer per batch in flight, reused: [lens u32][key index u32][signatures][messages].
    // Transferring a fresh buffer per batch instead left each worker holding
    // ~100 MB of spent batches until its (rarely needed) garbage collection.
    const n = send.length;
    let total = 72 * n;
    for (const i of send) total += jobs[i]!.message.length;
    const sab = this.#takeBuffer(total);
    const lens = new Uint32Array(sab, 0, n);
    const keyAt = new Uint32Array(sab, 4 * n, n);
    const bytes = new Uint8Array(sab);
    let off = 72 * n;
    send.forEach((i, k) => {
      const j = jobs[i]!;
      lens[k] = j.message.length;
      keyAt[k] = keyIdx[k]!;
      bytes.set(j.signature, 8 * n + 64 * k);
      bytes.set(j.message, off);
      off += j.message.length;
    });
    const slot = this.#pick();
    const newKeys = this.#keys.slice(slot.keysSent);
    slot.keysSent = this.#keys.length;
    const id = this.#nextId++;
    slot.busy++;
    const out = await new Promise<Uint8Array>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ id, keys: newKeys, sab, n });
    }).finally(() => {
      slot.busy--;
    });
    this.#free.push(sab);
    send.forEach((i, k) => {
      result[i] = out[k] === 1;
    });
    return result;
  }

  /** A free shared buffer of at least `size` bytes (at most one per batch in flight exists). */
  #takeBuffer(size: number): SharedArrayBuffer {
    const i = this.#free.findIndex((b) => b.byteLength >= size);
    if (i >= 0) return this.#free.splice(i, 1)[0]!;
    // Replace a free buffer that is too small rather than keep both.
    this.#free.pop();
    return new SharedArrayBuffer(Math.max(size, 1 << 20));
  }

  #pick(): Slot {
    let best = this.#slots[this.#next++ % this.#slots.length]!;
    for (const s of this.#slots) if (s.busy < best.busy) best = s;
    return best;
  }

  async close(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
