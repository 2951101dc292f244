/**
 * custody peer add | peer list | push | import (docs/CLI.md §Peer ledgers,
 * docs/FEDERATION.md): the authority records the peer ledgers it exchanges
 * custody with; a hand-over to a peer's actor, and the peer receiver's
 * answer, are carried between the two ledgers as foreign statements.
 */
import type { Command } from 'commander';
import { toHex } from '../../src/bytes.js';
import type { ed25519NoteVerifier } from '../../src/checkpoint/note.js';
import { formatVkey } from '../../src/checkpoint/note.js';
import { parseTlogProof } from '../../src/checkpoint/tlog-proof.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { parsePeerPolicy, peerPolicyField } from '../../src/custody/peer-policy.js';
import { CustodyError } from '../../src/errors.js';
import { decodeForeign } from '../../src/format/foreign.js';
import { PEER_POLICY_MAX } from '../../src/format/kinds.js';
import { type Crossing, crossingOf, receiverProofOf } from '../../src/ledger/crossing.js';
import { logPublicKey, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import type { Submitted } from '../../src/ledger/log-ledger.js';
import { collect } from '../args.js';
import { exhibitShort, keyShort, resolveExhibit, resolveKey, submit, withLedger } from '../context.js';
import { readInputFile, readTextFile, stageNewFile } from '../files.js';
import { hex, type Output } from '../io.js';
import { loadSigner } from '../keys.js';
import type { Runner } from '../program.js';
import { HttpLedger, isLedgerUrl } from '../remote.js';
import { governance } from './admin.js';
import { exportCheckpoint } from './export.js';

/** A crossing file: the foreign statement payload, at most this large (FORMAT.md §Foreign statements). */
const CROSSING_MAX_BYTES = 256 << 10;

export function peerCommands(program: Command, run: Runner) {
  const peer = program.command('peer').description('peer ledgers this ledger exchanges custody with');
  run(
    peer
      .command('add')
      .description('record a peer ledger: its origin and the C2SP tlog-policy of its log keys and witnesses')
      .argument('<origin>', "the peer log's origin, as its checkpoints name it")
      .requiredOption('--policy <file>', "the peer's C2SP tlog-policy file (log keys, witnesses, quorum)")
      .requiredOption('--key <authority key>', 'the authority key file')
      .option('--url <url>', "the peer ledger server's URL"),
    async (origin: string, o: { policy: string; key: string; url?: string }, out: Output) => {
      const text = readTextFile(o.policy, 'tlog-policy', PEER_POLICY_MAX + 16);
      const policy = peerPolicyField(text);
      // Said here, before a key is unlocked; the rule says it again on append.
      parsePeerPolicy(policy);
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (l) => {
        const { submitted, receipt } = await submit(l, {
          kind: 'peer',
          signer,
          fields: { origin, policy, url: o.url },
          ...(await governance(l)),
        });
        out.result({ peer: origin, index: submitted.index, id: hex(submitted.id), receipt }, () =>
          out.line(`recorded peer ${origin} at entry ${submitted.index}`),
        );
      });
    },
  );
  run(peer.command('list').description('list the peer ledgers'), async (_o: unknown, out: Output) => {
    await withLedger(out.opts, async (l) => {
      const rows = (await l.view.peers()).map((p) => {
        const policy = parsePeerPolicy(p.record.policy);
        return {
          origin: p.origin,
          ...(p.record.url ? { url: p.record.url } : {}),
          logs: policy.logs.map((x) => x.vkey),
          witnesses: policy.witnesses.map((w) => w.name),
          quorum: policy.quorum,
          recordedAt: p.record.at,
        };
      });
      out.result({ peers: rows }, () => {
        for (const r of rows)
          out.line(
            `${r.origin}  ${r.url ?? '(no URL)'}  ${r.logs.length} log key(s), witnesses ${r.witnesses.join(', ') || 'none'}, quorum ${r.quorum}`,
          );
      });
    });
  });

  run(
    peer
      .command('manifest-entry')
      .description(
        "this ledger's entry for a relying party's trust manifest: origin, authority fingerprint, tlog-policy (docs/FEDERATION.md)",
      )
      .option('--url <url>', "this ledger server's URL")
      .option(
        '--witness <vkey>',
        'a witness whose cosignature a relying party should require (quorum: all given); repeatable',
        collect,
        [] as string[],
      ),
    async (o: { url?: string; witness: string[] }, out: Output) => {
      await withLedger(out.opts, async ({ view }) => {
        const ledger = await view.ledger();
        const authority = await view.key(ledger.authority);
        if (!authority)
          throw new CustodyError('STORE_CORRUPT', 'the authority key record is missing', 'unavailable');
        // A policy of one log key and the witnesses named, all required (C2SP tlog-policy §Format).
        const names = o.witness.map((_, i) => `w${i + 1}`);
        const policy = [
          `log ${formatVkey(ledger.origin, await logPublicKey(view))}${o.url ? ` ${o.url}` : ''}`,
          ...o.witness.map((w, i) => `witness ${names[i]} ${w}`),
          names.length === 0
            ? 'quorum none'
            : names.length === 1
              ? `quorum ${names[0]}`
              : `group all-witnesses all ${names.join(' ')}\nquorum all-witnesses`,
          '',
        ].join('\n');
        parsePeerPolicy(peerPolicyField(policy));
        const entry = {
          origin: ledger.origin,
          authority: [toHex(sha256(authority.publicKey))],
          policy,
          ...(o.url ? { url: o.url } : {}),
        };
        // Printed as JSON either way: it is pasted into a manifest.
        out.result(entry, () => out.line(JSON.stringify(entry, null, 2)));
      });
    },
  );

  run(
    peer
      .command('receiver-proof')
      .description(
        'prove to a peer ledger that an actor of this one is active and may hold evidence (for a hand-over to them)',
      )
      .argument('<actor>', 'key id (K-…), full key id or unique name of the receiver')
      .requiredOption(
        '--out <file>',
        'the receiver proof to write, for the peer (custody transfer --receiver-proof)',
      )
      .option('--log-key <key file>', 'sign a fresh checkpoint with the log key (local ledger)'),
    async (actor: string, o: { out: string; logKey?: string }, out: Output) => {
      const logKey = o.logKey ? await loadSigner(o.logKey, out) : undefined;
      await withLedger(out.opts, async ({ view }) => {
        const id = await resolveKey(view, actor);
        const note = logKey
          ? (await signLogCheckpoint(view, logKey)).note
          : (await view.latestCheckpoint())?.note;
        if (!note)
          throw new CustodyError(
            'CHECKPOINT_NEEDS_KEY',
            'no checkpoint is stored yet; give --log-key <log key file> to sign one',
            'input',
          );
        stageNewFile(o.out, await receiverProofOf(view, id, note)).commit();
        out.result({ actor: keyShort(id), keyId: hex(id), out: o.out }, () =>
          out.line(`wrote the receiver proof of ${keyShort(id)} to ${o.out}`),
        );
      });
    },
  );

  run(
    program
      .command('push')
      .description(
        "carry the exhibit's last event to the peer ledger it concerns: a hand-over to its actor, or the answer to its hand-over",
      )
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .option('--to-ledger <dir|url>', "the peer's ledger (directory or server URL)")
      .option('--out <file>', 'write the crossing to this new file instead (custody import appends it)')
      .option('--log-key <key file>', 'sign a fresh checkpoint with the log key (local ledger)'),
    async (exhibit: string, o: { toLedger?: string; out?: string; logKey?: string }, out: Output) => {
      if ((o.toLedger === undefined) === (o.out === undefined))
        throw new CustodyError('USAGE', 'give --to-ledger <dir|url> or --out <file>', 'input');
      const logKey = o.logKey ? await loadSigner(o.logKey, out) : undefined;
      const { crossing, logs, id } = await withLedger(out.opts, async ({ view }) => {
        const id = await resolveExhibit(view, exhibit);
        const crossing = await crossingOf(view, id, await exportCheckpoint(view, id, logKey));
        const peer = await view.peer(crossing.to);
        const logs = peer
          ? parsePeerPolicy(peer.policy)
              .logs.filter((l) => l.verifier.name === crossing.to)
              .map((l) => l.verifier)
          : [];
        return { crossing, logs, id };
      });
      const what = `${crossing.confirmation ? 'confirmation of the cancel' : crossing.statement.statement.kind} of ${exhibitShort(id)}`;
      if (o.out) {
        stageNewFile(o.out, crossing.payload).commit();
        out.result(shown(crossing, id, { out: o.out }), () =>
          out.line(
            `wrote the ${what} for ${crossing.to} to ${o.out}; append it there with: custody import ${o.out}`,
          ),
        );
        return;
      }
      const target = o.toLedger!;
      const r = await deliver(out, target, crossing, logs);
      out.result(shown(crossing, id, { ledger: target, ...r }), () =>
        out.line(
          r.already
            ? `${crossing.to} already holds the ${what}`
            : `carried the ${what} to ${crossing.to}: entry ${r.index} there`,
        ),
      );
    },
  );

  run(
    program
      .command('import')
      .description('append a crossing a peer ledger handed over (custody push --out) to this ledger')
      .argument('<file>', 'the crossing file'),
    async (file: string, _o: unknown, out: Output) => {
      const payload = readInputFile(file, 'crossing', CROSSING_MAX_BYTES);
      await withLedger(out.opts, async (l) => {
        const s = await l.ledger.submitForeign(payload);
        const e = await l.view.statementAt(s.index);
        const x = e.statement.exhibit as Uint8Array;
        // A cancel confirmation carries this ledger's own cancel; it comes from the ledger that logged it.
        const from = parseTlogProof(decodeForeign(payload).receipt).checkpoint.origin;
        const confirmed = from !== e.statement.origin;
        out.result(
          {
            index: s.index,
            id: hex(s.id),
            kind: confirmed ? 'cancel-confirmed' : e.statement.kind,
            from,
            exhibit: exhibitShort(x),
          },
          () =>
            out.line(
              confirmed
                ? `imported ${from}'s confirmation: the hand-over of ${exhibitShort(x)} is cancelled, and it is held here again (entry ${s.index})`
                : `imported the ${e.statement.kind} of ${exhibitShort(x)} from ${from}: entry ${s.index}`,
            ),
        );
      });
    },
  );
}

/** The JSON of a push: what crossed, to which ledger, and for whom. */
function shown(c: Crossing, exhibit: Uint8Array, extra: Record<string, unknown>) {
  const s = c.statement.statement;
  const to = s.body['to'];
  return {
    exhibit: exhibitShort(exhibit),
    exhibitId: hex(exhibit),
    kind: s.kind,
    id: hex(c.statement.id),
    to: c.to,
    ...(Array.isArray(to) && to[1] instanceof Uint8Array
      ? { receiver: keyShort(to[1]), receiverId: hex(to[1]) }
      : {}),
    ...extra,
  };
}

/**
 * Appends the crossing to the peer's ledger: a directory directly, a server
 * over its append endpoint (no access key: the evidence vouches for it), its
 * receipt checked against the log keys the peer's recorded policy names. A
 * crossing already there (a retry after a lost answer) is not an error.
 */
async function deliver(
  out: Output,
  target: string,
  c: Crossing,
  logs: ReturnType<typeof ed25519NoteVerifier>[],
): Promise<{ index?: number; already?: true }> {
  const append = async (): Promise<Submitted> => {
    if (isLedgerUrl(target))
      return new HttpLedger(target, undefined, undefined).append(
        { statement: c.payload, foreign: true },
        logs,
      );
    return withLedger({ ...out.opts, ledger: target }, async (l) => {
      const { origin } = await l.view.ledger();
      if (origin !== c.to)
        throw new CustodyError(
          'CROSSING_WRONG_LEDGER',
          `the crossing is for ${c.to}, and ${target} is ${origin}`,
          'input',
        );
      return l.ledger.submitForeign(c.payload);
    });
  };
  try {
    return { index: (await append()).index };
  } catch (e) {
    if (e instanceof CustodyError && e.code === 'STATEMENT_DUPLICATE') return { already: true };
    throw e;
  }
}
