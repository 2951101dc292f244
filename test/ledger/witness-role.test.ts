/**
 * A server's witness and auditor roles over peer logs (src/ledger/witness-role.ts;
 * docs/FEDERATION.md §Peers witness and audit each other):
 * - a peer that signs a second tree of a size already cosigned is refused
 *   (409) and both notes are kept as split-view evidence, which proves itself
 *   against the log key alone (src/checkpoint/split-view.ts);
 * - a peer that rolls its checkpoint back is refused;
 * - an auditor cosigns only a log whose replay is right: a map root the rules
 *   do not give, logged with the real log key, is refused (422) and nothing
 *   is stored; its state is its own, apart from the witness's.
 */
import { describe, expect, it } from 'vitest';
import { auditCheckpoint } from '../../src/audit/audit-checkpoint.js';
import { toBase64, utf8 } from '../../src/bytes.js';
import { signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { ed25519NoteVerifier } from '../../src/checkpoint/note.js';
import { checkSplitView, splitViewDocument } from '../../src/checkpoint/split-view.js';
import type { WitnessConfig } from '../../src/checkpoint/tlog-witness.js';
import type { CustodyError } from '../../src/errors.js';
import { type Vouch, WitnessRole } from '../../src/ledger/witness-role.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogStore } from '../../src/store/log-store.js';
import { forgedWorld } from '../audit/forged-world.js';
import {
  consistencyProof,
  LOG_ORIGIN,
  leafHash,
  leaves,
  logSigner,
  mth,
  witnessSigners,
} from '../checkpoint/helpers.js';
import { ORIGIN } from '../format/v2-fixtures.js';

const log = ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey);
const config: WitnessConfig = {
  name: 'witness.peer.example',
  signer: witnessSigners[0]!,
  logs: new Map([[LOG_ORIGIN, log]]),
};

const cp = (size: number, ls = leaves) =>
  signCheckpoint({ origin: LOG_ORIGIN, size, root: mth(ls.slice(0, size)) }, LOG_ORIGIN, logSigner);
const body = (old: number, proof: readonly Uint8Array[], note: string) =>
  `old ${old}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${note}`;

describe('a witness of a peer log', () => {
  it('refuses a second tree of a size it cosigned, and keeps both notes as proof of the split view', async () => {
    const store = new MemoryLogStore();
    const role = new WitnessRole(store, config);
    expect((await role.addCheckpoint(body(0, [], cp(4)))).status).toBe(200);
    expect(await role.splitView(LOG_ORIGIN)).toBeUndefined();
    // The peer shows another party a different history of the same size.
    const forked = leaves.map((l, i) => (i === 2 ? leafHash(utf8('rewritten entry 2')) : l));
    const a = await role.addCheckpoint(body(4, [], cp(4, forked)));
    expect(a.status).toBe(409);
    expect(a.body).toBe('4\n');
    const split = await role.splitView(LOG_ORIGIN);
    expect(split?.size).toBe(4);
    expect(split?.roots[0]).not.toBe(split?.roots[1]);
    expect(await role.splitOrigins()).toEqual([LOG_ORIGIN]);
    // The evidence stands on its own: anyone with the log key checks it.
    const doc = splitViewDocument(split!);
    expect(checkSplitView(doc.notes[0], doc.notes[1], log).origin).toBe(LOG_ORIGIN);
    // The witness still holds what it cosigned first.
    expect(await role.witnessed(LOG_ORIGIN)).toContain(cp(4).split('\n')[2]);
  });

  it('refuses a checkpoint rolled back below what it cosigned', async () => {
    const role = new WitnessRole(new MemoryLogStore(), config);
    expect((await role.addCheckpoint(body(0, [], cp(5)))).status).toBe(200);
    const fromOld = await role.addCheckpoint(body(0, [], cp(3)));
    expect([fromOld.status, fromOld.body]).toEqual([409, '5\n']);
    expect((await role.addCheckpoint(body(5, [], cp(3)))).status).toBe(400);
    // And it goes on cosigning the log as it grows.
    expect((await role.addCheckpoint(body(5, consistencyProof(5, leaves.slice(0, 8)), cp(8)))).status).toBe(
      200,
    );
    expect(await role.splitView(LOG_ORIGIN)).toBeUndefined();
  });
});

describe('split-view evidence', () => {
  it('proves nothing unless both notes are the log key’s, of one size, with different roots', () => {
    const other = leaves.map((l, i) => (i === 0 ? leafHash(utf8('other')) : l));
    const unproven = (a: string, b: string) => {
      try {
        checkSplitView(a, b, log);
        return undefined;
      } catch (e) {
        return (e as CustodyError).code;
      }
    };
    expect(unproven(cp(3), cp(3, other))).toBeUndefined();
    expect(unproven(cp(3), cp(3))).toBe('SPLIT_VIEW_UNPROVEN');
    expect(unproven(cp(3), cp(4, other))).toBe('SPLIT_VIEW_UNPROVEN');
    const stranger = signCheckpoint(
      { origin: LOG_ORIGIN, size: 3, root: mth(other.slice(0, 3)) },
      LOG_ORIGIN,
      witnessSigners[1]!,
    );
    expect(unproven(cp(3), stranger)).toBe('SPLIT_VIEW_UNPROVEN');
    expect(unproven(cp(3), 'not a note')).toBe('SPLIT_VIEW_UNPROVEN');
  });
});

/** An auditor that replays `store` (the peer's, read directly here; over HTTP in a server). */
const replaying =
  (store: LogStore): Vouch =>
  async (_origin, note) => {
    const a = await auditCheckpoint(store, note);
    if ('code' in a) return a.message;
    return a.outcome.verdict === 'VERIFIED' ? undefined : `replay: ${a.outcome.problems[0]?.code}`;
  };

describe('an auditor of a peer log', () => {
  async function peer(forged: boolean) {
    const { w, note } = await forgedWorld('auditor role ', forged);
    const c: WitnessConfig = {
      name: 'auditor.peer.example',
      signer: witnessSigners[2]!,
      logs: new Map([[ORIGIN, ed25519NoteVerifier(ORIGIN, w.log.publicKey)]]),
    };
    return { w, note, c };
  }

  it('cosigns a log whose replay is right, under its own state', async () => {
    const { w, note, c } = await peer(false);
    const mine = new MemoryLogStore();
    const auditor = new WitnessRole(mine, c, { role: 'audit', vouch: replaying(w.ledger.store) });
    const a = await auditor.addCheckpoint(body(0, [], note));
    expect(a.status, a.body).toBe(200);
    expect(a.body).toMatch(/^— auditor\.peer\.example /);
    expect(await auditor.witnessed(ORIGIN)).toContain(a.body);
    // A witness role on the same store has its own state: it has cosigned nothing.
    expect(await new WitnessRole(mine, c).witnessed(ORIGIN)).toBeUndefined();
  });

  it('refuses a log with a false map root, logged with the real log key, and stores nothing', async () => {
    const { w, note, c } = await peer(true);
    const auditor = new WitnessRole(new MemoryLogStore(), c, {
      role: 'audit',
      vouch: replaying(w.ledger.store),
    });
    const a = await auditor.addCheckpoint(body(0, [], note));
    expect(a.status).toBe(422);
    expect(a.body).toContain('MAP_ROOT_MISMATCH');
    expect(await auditor.witnessed(ORIGIN)).toBeUndefined();
    // A witness, which checks only signatures and consistency, cosigns the same checkpoint.
    expect((await new WitnessRole(new MemoryLogStore(), c).addCheckpoint(body(0, [], note))).status).toBe(
      200,
    );
  });
});
