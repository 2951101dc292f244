/**
 * The demo's ledger servers (docs/FEDERATION.md §Peers witness and audit each
 * other): each ledger served by its own `custody serve` server, in this
 * process, on an ephemeral loopback port. Each server witnesses and audits
 * every other ledger — it replays their statements, read with an access key
 * they list among their readers — and submits its own checkpoints to every
 * other server's witness and auditor.
 *
 * The role keys are made here for the demo; an operator keeps them in files
 * (docs/SERVER.md §Configuration).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { formatCosignerVkey } from '../../src/checkpoint/cosignature.js';
import { ed25519NoteVerifier, parseNote } from '../../src/checkpoint/note.js';
import { type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import type { MlDsa44Signer } from '../../src/crypto/ml-dsa.js';
import { CustodyError } from '../../src/errors.js';
import { DEFAULT_CONFIG } from '../server/config.js';
import { peerAuditVouch } from '../server/peer-audit.js';
import type { RunningServer } from '../server/start.js';

/** A server's cosigning roles, and the access key its auditor reads the other ledgers with. */
export interface Roles {
  witness: { name: string; signer: Signer; vkey: string };
  auditor: { name: string; signer: Signer; vkey: string };
  /** The ledger's credential at the other servers (its auditor reads with it, and it gathers with it). */
  reader: Signer;
  /** Where the server will listen: picked before, so that peers record its URL. */
  port: number;
  url: string;
}

const fresh = () => signerFromSeed(new Uint8Array(randomBytes(32)));

/** A free loopback port: each server's configuration names the others' URLs before they start. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Keys and address for the server of ledger `tag`: witness.<tag>.example and auditor.<tag>.example. */
export async function demoRoles(tag: string): Promise<Roles> {
  const cosigner = (name: string) => {
    const signer = fresh();
    return { name, signer, vkey: formatCosignerVkey(name, signer.publicKey) };
  };
  const port = await freePort();
  return {
    witness: cosigner(`witness.${tag}.example`),
    auditor: cosigner(`auditor.${tag}.example`),
    reader: fresh(),
    port,
    url: `http://127.0.0.1:${port}`,
  };
}

export interface DemoLedger {
  origin: string;
  dir: string;
  log: Signer;
  mlDsa?: MlDsa44Signer;
  roles: Roles;
  /** Names its signed-checkpoint and access-log files. */
  tag: string;
}

/** A served ledger. */
export interface Served extends DemoLedger {
  server: RunningServer;
  url: string;
}

/** Serves each ledger; each server's signed-checkpoint and access-log files go in `stateDir`. */
export async function serveLedgers(ledgers: readonly DemoLedger[], stateDir: string): Promise<Served[]> {
  mkdirSync(stateDir, { recursive: true });
  const keys = ledgers.map((l) => ({ l, port: l.roles.port }));
  const url = (k: (typeof keys)[number]) => k.l.roles.url;
  const served: Served[] = [];
  try {
    for (const k of keys) {
      const others = keys.filter((o) => o !== k);
      const logs = new Map(
        others.map((o) => [o.l.origin, ed25519NoteVerifier(o.l.origin, o.l.log.publicKey)] as const),
      );
      // Loaded here, not at start: every other command starts without the server's modules.
      const { startLedgerServer } = await import('../server/start.js');
      const server = await startLedgerServer({
        dir: k.l.dir,
        logKey: k.l.log,
        ...(k.l.mlDsa ? { mlDsa: k.l.mlDsa } : {}),
        config: {
          ...DEFAULT_CONFIG,
          witnessIntervalMs: 50,
          witnesses: others.flatMap((o) => [
            { url: url(o), vkey: o.l.roles.witness.vkey },
            { url: `${url(o)}/audit`, vkey: o.l.roles.auditor.vkey },
          ]),
          // The other servers' auditors read statements here, never cleartext.
          readers: others.map((o) => ({
            name: o.l.roles.auditor.name,
            publicKey: o.l.roles.reader.publicKey,
          })),
        },
        witness: { name: k.l.roles.witness.name, signer: k.l.roles.witness.signer, logs },
        peerTiles: new Map(others.map((o) => [o.l.origin, url(o)] as const)),
        audit: {
          config: { name: k.l.roles.auditor.name, signer: k.l.roles.auditor.signer, logs },
          vouch: peerAuditVouch(
            others.map((o) => ({ origin: o.l.origin, url: url(o), access: { signer: k.l.roles.reader } })),
          ),
        },
        listen: { host: '127.0.0.1', port: k.port, text: `127.0.0.1:${k.port}` },
        signedFile: join(stateDir, `${k.l.tag}.signed-checkpoint`),
        accessLogPath: join(stateDir, `${k.l.tag}.access-log`),
        log: () => {},
      });
      served.push({ ...k.l, server, url: server.url });
    }
  } catch (e) {
    await Promise.all(served.map((s) => s.server.close()));
    throw e;
  }
  return served;
}

/**
 * The ledger's latest checkpoint once it covers `size` entries and carries
 * the cosignatures of all of `names` (the other servers submit and cosign
 * asynchronously, about every 50 ms here).
 */
export async function cosignedCheckpoint(s: Served, size: number, names: readonly string[]): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    const latest = s.server.host.latest;
    if (latest && latest.size >= size) {
      const have = new Set(parseNote(latest.note).signatures.map((x) => x.name));
      if (names.every((n) => have.has(n))) return latest.note;
    }
    if (Date.now() > until)
      throw new CustodyError(
        'DEMO_FAILED',
        `${s.origin}: no checkpoint of ${size} entries cosigned by ${names.join(', ')} after 30 s`,
        'internal',
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}
