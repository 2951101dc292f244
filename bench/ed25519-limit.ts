/**
 * Reference: raw Ed25519 verifications per second with Node's crypto (OpenSSL)
 * on every core at once — one worker thread per core, each verifying
 * pre-generated signatures of entry-sized messages in a tight loop.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const keys = [], items = [];
for (let k = 0; k < 16; k++) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  keys.push(publicKey);
  for (let i = 0; i < 64; i++) {
    const msg = crypto.randomBytes(300);
    items.push([k, msg, crypto.sign(null, msg, privateKey)]);
  }
}
const end = Date.now() + workerData.ms;
let n = 0;
while (Date.now() < end) {
  for (let i = 0; i < 256; i++) {
    const [k, msg, sig] = items[(n + i) % items.length];
    if (!crypto.verify(null, msg, keys[k], sig)) throw new Error('bad');
  }
  n += 256;
}
parentPort.postMessage(n);
`;

export async function ed25519LimitPerSecond(ms: number): Promise<number> {
  const threads = availableParallelism();
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(WORKER, { eval: true, workerData: { ms } });
          w.once('message', (n: number) => {
            resolve(n);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / (ms / 1000);
}
