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

/**
 * Reference for appends: Ed25519 signatures per second on ONE core. Appending is
 * sequential by design — every entry signs over its predecessor's leaf hash —
 * so this is the ceiling for any single ledger's append rate.
 */
export async function ed25519SignPerSecond(ms: number): Promise<number> {
  const { generateKeyPairSync, randomBytes, sign } = await import('node:crypto');
  const { privateKey } = generateKeyPairSync('ed25519');
  const msg = randomBytes(300);
  const end = performance.now() + ms;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) sign(null, msg, privateKey);
    n += 64;
  }
  return n / (ms / 1000);
}
