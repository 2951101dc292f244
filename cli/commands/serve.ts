/**
 * custody serve — runs the ledger server (docs/SERVER.md): one sequencer for
 * a whole lab, many workstations at once. Prints one line on stderr when it
 * is ready (its URL; with --json the document {"url": …}), JSON-lines request
 * logs on stdout. SIGTERM or SIGINT: stop accepting, let requests in flight
 * finish (appends are acknowledged), close the ledger, exit 0.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { toHex, utf8 } from '../../src/bytes.js';
import { verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { noteVerifierFromVkey } from '../../src/checkpoint/note.js';
import type { WitnessConfig } from '../../src/checkpoint/tlog-witness.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { LedgerHost } from '../../src/ledger/ledger-host.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { NeedToKnow } from '../../src/ledger/need-to-know.js';
import type { Vouch } from '../../src/ledger/witness-role.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { readAccessKey } from '../access-key.js';
import type { Output } from '../io.js';
import { loadMlDsaSigner, loadSigner, loadWitnessKey } from '../keys.js';
import type { Runner } from '../program.js';
import { AccessLogFile } from '../server/access-log-file.js';
import { buildApp, fail } from '../server/app.js';
import { makeAuthenticator } from '../server/auth.js';
import { DEFAULT_CONFIG, readServerConfig, type ServerConfig } from '../server/config.js';
import { Metrics } from '../server/metrics.js';
import { peerAuditVouch } from '../server/peer-audit.js';
import { SignedCheckpointFile } from '../server/signed-file.js';
import { registerTileRoutes } from '../server/tiles-routes.js';
import { WitnessSubmitter } from '../server/witness-submitter.js';

/**
 * What this log's witnesses hold of it, asked before the first signing
 * (docs/SERVER.md §Never two histories): each witness's latest cosigned
 * checkpoint of `origin`, from its monitoring path. A witness that does not
 * answer is skipped: it can only fail to stop a signing, never cause one.
 */
async function witnessedCheckpoints(
  witnesses: readonly { url: string }[],
  origin: string,
): Promise<{ by: string; note: string }[]> {
  const hash = toHex(sha256(utf8(origin)));
  const out: { by: string; note: string }[] = [];
  await Promise.all(
    witnesses.map(async (w) => {
      try {
        const base = w.url.endsWith('/') ? w.url : `${w.url}/`;
        const res = await fetch(new URL(`witness/${hash}/checkpoint`, base), {
          signal: AbortSignal.timeout(5_000),
        });
        if (res.ok) out.push({ by: `witness ${w.url}`, note: await res.text() });
      } catch {
        // unreachable: skipped
      }
    }),
  );
  return out;
}

/** A vkey from the configuration (a log's, or with `cosigner` a witness's), or CONFIG_INVALID. */
function vkeyVerifier(vkey: string, cosigner = false) {
  try {
    return cosigner ? verifierFromVkey(vkey) : noteVerifierFromVkey(vkey);
  } catch (e) {
    throw new CustodyError(
      'CONFIG_INVALID',
      `not a verifier key: ${vkey.slice(0, 60)} (${e instanceof Error ? e.message : ''})`,
      'input',
    );
  }
}

/** The witness this server also is (config `witness`): its key, name and the logs it knows. */
async function witnessOf(
  c: { key: string; name?: string; logs: string[] },
  out: Output,
): Promise<WitnessConfig> {
  const k = await loadWitnessKey(c.key, out);
  const logs = new Map(
    c.logs.map((v) => {
      const verifier = vkeyVerifier(v);
      return [verifier.name, verifier] as const;
    }),
  );
  return { name: c.name ?? k.keyId, signer: k.signer, logs };
}

/** The auditor this server also is (config `audit`): a witness that replays each peer first. */
async function auditorOf(
  c: NonNullable<ServerConfig['audit']>,
  out: Output,
): Promise<{ config: WitnessConfig; vouch: Vouch }> {
  const config = await witnessOf({ ...c, logs: c.logs.map((l) => l.vkey) }, out);
  const peers = c.logs.map((l) => ({
    origin: vkeyVerifier(l.vkey).name,
    url: l.url,
    access: { signer: readAccessKey(l.accessKey) },
  }));
  return { config, vouch: peerAuditVouch(peers) };
}

function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new CustodyError(
      'USAGE',
      `--listen must be host:port (port 0 picks a free one), not ${s}`,
      'input',
    );
  return { host: m[1] ?? m[2]!, port };
}

export function serveCommand(program: Command, run: Runner) {
  run(
    program
      .command('serve')
      .description('run the ledger server: many workstations, one ledger (docs/SERVER.md)')
      .requiredOption('--log-key <key file>', 'the log key file (signs checkpoints)')
      .option('--listen <host:port>', 'address to listen on (port 0: a free one)', '127.0.0.1:8443')
      .option('--mldsa-key <key file>', "the log's ML-DSA-44 key: checkpoints are dual-signed")
      .option('--tls-cert <pem>', 'serve HTTPS with this certificate chain')
      .option('--tls-key <pem>', 'the TLS private key')
      .option('--config <file>', 'server configuration (JSON; docs/SERVER.md §Configuration)')
      .option(
        '--signed-checkpoint <file>',
        'where the last signed checkpoint is kept (default: <ledger>.signed-checkpoint)',
      )
      .option('--access-log <file>', 'the access log (default: <ledger>.access-log)'),
    async (
      o: {
        logKey: string;
        listen: string;
        mldsaKey?: string;
        tlsCert?: string;
        tlsKey?: string;
        config?: string;
        signedCheckpoint?: string;
        accessLog?: string;
      },
      out: Output,
    ) => {
      const dir = out.opts.ledger;
      if (/^https?:\/\//.test(dir))
        throw new CustodyError(
          'USAGE',
          'custody serve serves a ledger directory: give --ledger <dir>',
          'input',
        );
      if (!o.tlsCert !== !o.tlsKey)
        throw new CustodyError('USAGE', 'give --tls-cert and --tls-key together', 'input');
      const { host: listenHost, port } = parseListen(o.listen);
      const config = o.config ? readServerConfig(o.config) : DEFAULT_CONFIG;
      const tls =
        o.tlsCert && o.tlsKey ? { cert: readFileSync(o.tlsCert), key: readFileSync(o.tlsKey) } : undefined;
      const logKey = await loadSigner(o.logKey, out);
      const mlDsa = o.mldsaKey ? await loadMlDsaSigner(o.mldsaKey, out) : undefined;
      const base = resolve(dir);
      const accessLog = AccessLogFile.open(o.accessLog ?? `${base}.access-log`);
      // Beside the directory, not in it: restoring the directory from a backup leaves it
      // (docs/SERVER.md §Never two histories).
      const signedFile = o.signedCheckpoint ?? `${base}.signed-checkpoint`;
      // Read before the slots are opened for writing (opening creates missing ones).
      const lastSigned = SignedCheckpointFile.read(signedFile);
      const signed = SignedCheckpointFile.open(signedFile);
      const store = await LevelLogStore.open(dir, 'open');
      let host: LedgerHost;
      let submitter: WitnessSubmitter | undefined;
      const witness = config.witness && (await witnessOf(config.witness, out));
      const audit = config.audit && (await auditorOf(config.audit, out));
      try {
        host = await LedgerHost.open(store, {
          logKey,
          ...(mlDsa ? { mlDsa } : {}),
          ...(lastSigned === undefined ? {} : { lastSigned }),
          heldElsewhere: await witnessedCheckpoints(
            config.witnesses,
            await new LedgerView(store).ledger().then(
              (l) => l.origin,
              () => '',
            ),
          ),
          persistSigned: (note) => signed.write(note),
          onSigned: () => submitter?.notify(),
          ...(config.witnesses.length > 0
            ? {
                witnessQuorum: {
                  witnesses: config.witnesses.map((w) => vkeyVerifier(w.vkey, true)),
                  k: Math.min(config.witnessQuorum ?? config.witnesses.length, config.witnesses.length),
                  waitMs: config.witnessWaitMs,
                },
              }
            : {}),
          ...(witness ? { witness } : {}),
          ...(audit ? { audit } : {}),
        });
      } catch (e) {
        await store.close();
        throw e;
      }
      const metrics = new Metrics();
      submitter = new WitnessSubmitter(
        host,
        config.witnesses.map((w) => ({ url: w.url, verifier: vkeyVerifier(w.vkey, true) })),
        config.witnessIntervalMs,
        metrics,
      );
      submitter.notify();
      const viewNow = () => host.currentView();
      const needToKnow = new NeedToKnow(viewNow, config.assignments);
      const authenticate = makeAuthenticator({ viewNow, ...config });
      const recordAccess: Parameters<typeof buildApp>[0]['recordAccess'] = (reader, _req, what) =>
        accessLog.append({
          time: new Date().toISOString(),
          key: reader.keyId,
          actor: reader.actor ?? null,
          name: reader.name ?? null,
          purpose: reader.purpose ?? null,
          what,
        });
      const app = buildApp({
        host,
        metrics,
        limits: config.limits,
        https: tls,
        log: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
        authenticate,
        mayOpen: async (reader, indexes) => {
          const refused = await needToKnow.refused(reader.actor, indexes);
          if (refused)
            throw new CustodyError(
              'NEED_TO_KNOW',
              refused.caseRef === undefined
                ? `entry ${refused.index}'s cleartext is not for this key`
                : `entry ${refused.index} belongs to case ${refused.caseRef}, which this actor has not acted in or been assigned to`,
              'input',
            );
        },
        recordAccess,
        accessLogText: () => readFileSync(accessLog.path, 'utf8'),
      });
      registerTileRoutes(app, {
        source: host.tiles,
        treeSize: () => host.latest?.size ?? 0,
        authenticate,
        recordAccess,
        fail,
      });
      app.server.maxConnections = config.limits.maxConnections;
      let address: string;
      try {
        address = await app.listen({ host: listenHost, port });
      } catch (e) {
        await host.close();
        signed.close();
        const code = (e as NodeJS.ErrnoException).code ?? 'error';
        throw new CustodyError('LISTEN_FAILED', `cannot listen on ${o.listen} (${code})`, 'unavailable');
      }
      const url = address.replace('://[::]', '://[::1]').replace('://0.0.0.0', '://127.0.0.1');
      process.stderr.write(
        out.opts.json ? `${JSON.stringify({ url })}\n` : `custody: serving ${host.origin} at ${url}\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          // close() stops accepting and waits for requests in flight: their appends are acknowledged.
          void app
            .close()
            .then(() => submitter?.close())
            .then(() => host.close())
            .then(() => signed.close())
            .then(done, (e: unknown) => {
              process.stderr.write(
                `custody: error while stopping: ${e instanceof Error ? e.message : String(e)}\n`,
              );
              done();
            });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    },
  );
}
