/**
 * The replay a server runs before it cosigns a peer's checkpoint as an
 * auditor (docs/FEDERATION.md §Peers witness and audit each other): it reads
 * the peer's ledger through the peer's store read protocol, with the access
 * key the peer lists among its `readers` (statements only, never cleartext;
 * the peer logs every read), and replays it with the same whole-log verifier
 * as `custody audit` (src/audit/audit-checkpoint.ts).
 *
 * Security assumption: the peer server is not trusted for what it answers;
 * an answer that does not verify, a server that cannot be reached, or a log
 * that breaks any rule is a refusal, never a cosignature.
 */
import { auditCheckpoint } from '../../src/audit/audit-checkpoint.js';
import type { SignatureChecker } from '../../src/crypto/signature-checker.js';
import { CustodyError } from '../../src/errors.js';
import type { Vouch } from '../../src/ledger/witness-role.js';
import { LEDGER_MOVED, RemoteLogStore } from '../../src/store/log-remote.js';
import type { AccessCredential } from '../remote.js';
import { HttpLedger } from '../remote.js';

export interface AuditedPeer {
  origin: string;
  url: string;
  access: AccessCredential;
}

/** A replay whose reads failed (the peer's ledger grew under it, say) is run again, this many times at most. */
const ATTEMPTS = 3;

export function peerAuditVouch(peers: readonly AuditedPeer[], checker?: SignatureChecker): Vouch {
  const byOrigin = new Map(peers.map((p) => [p.origin, p]));
  return async (origin, note) => {
    const peer = byOrigin.get(origin);
    if (!peer) return 'this auditor has no server to read that log from';
    for (let attempt = 1; ; attempt++) {
      const store = new RemoteLogStore(new HttpLedger(peer.url, peer.access, 'audit of a peer checkpoint'));
      try {
        const a = await auditCheckpoint(store, note, checker);
        if ('code' in a) return `${a.code}: ${a.message}`;
        if (a.outcome.verdict === 'VERIFIED') return undefined;
        // A read that failed (the peer's snapshot released as its log grew, say) is read again.
        const readFailed = a.outcome.problems.some((p) => p.code === 'SOURCE_FAILED');
        if (readFailed && attempt < ATTEMPTS) continue;
        const first = a.outcome.problems[0];
        return `the replay of ${origin} up to size ${a.size} is ${a.outcome.verdict}${
          first
            ? `: ${first.code}${first.seq !== null ? ` at entry ${first.seq}` : ''}: ${first.message}`
            : ''
        }`;
      } catch (e) {
        if (e instanceof CustodyError && e.code === LEDGER_MOVED && attempt < ATTEMPTS) continue;
        return `the replay failed: ${e instanceof Error ? e.message : String(e)}`;
      } finally {
        await store.close();
      }
    }
  };
}
