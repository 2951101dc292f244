/**
 * Signature checks spread over the page's workers (blob: workers, allowed by the page's CSP
 * `worker-src blob:`), one per core up to four. Should workers be unavailable, the same backend verifies on the page's thread:
 * the answers are the same, only slower. A worker that answers something malformed counts as
 * "does not verify" for each of its jobs.
 */
import { ed25519 } from '../../crypto/ed25519.js';
import type { SignatureChecker, SignatureJob } from '../../crypto/signature-checker.js';

const inline = (jobs: SignatureJob[]) => jobs.map((j) => ed25519.verify(j.signature, j.message, j.publicKey));

export interface PagePool extends SignatureChecker {
  /** How many workers verified the last batch (0: the page's thread). */
  workersUsed(): number;
}

export function workerPool(source: string): PagePool {
  let workers: Worker[] | undefined;
  let used = 0;
  let next = 0;
  const start = (): Worker[] => {
    if (workers) return workers;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const n = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
    workers = [];
    try {
      for (let i = 0; i < n; i++) workers.push(new Worker(url));
    } catch {
      for (const w of workers) w.terminate();
      workers = [];
    }
    return workers;
  };
  const run = (w: Worker, jobs: SignatureJob[]) =>
    new Promise<boolean[]>((resolve, reject) => {
      const id = ++next;
      const onMessage = (e: MessageEvent<{ id: number; ok: unknown }>) => {
        if (e.data.id !== id) return;
        w.removeEventListener('message', onMessage);
        w.removeEventListener('error', onError);
        const ok = Array.isArray(e.data.ok) ? e.data.ok : [];
        resolve(jobs.map((_, k) => ok[k] === true));
      };
      const onError = (e: Event) => {
        w.removeEventListener('message', onMessage);
        w.removeEventListener('error', onError);
        e.preventDefault();
        reject(new Error('signature worker failed'));
      };
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      w.postMessage({ id, jobs });
    });
  return {
    workersUsed: () => used,
    async check(jobs) {
      const ws = start();
      if (ws.length === 0 || jobs.length < 8) {
        used = 0;
        return inline(jobs);
      }
      const per = Math.ceil(jobs.length / ws.length);
      const parts = ws.map((_, i) => jobs.slice(i * per, (i + 1) * per)).filter((p) => p.length > 0);
      try {
        const answers = await Promise.all(parts.map((p, i) => run(ws[i]!, p)));
        used = parts.length;
        return answers.flat();
      } catch {
        // Workers could not run here: the same backend on this thread.
        for (const w of ws) w.terminate();
        workers = [];
        used = 0;
        return inline(jobs);
      }
    },
  };
}
