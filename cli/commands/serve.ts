/**
 * custody serve — runs the ledger server (docs/SERVER.md): one sequencer for
 * a whole lab, many workstations at once. Prints one line on stderr when it
 * is ready (its URL; with --json the document {"url": …}), JSON-lines request
 * logs on stdout. SIGTERM or SIGINT: stop accepting, let requests in flight
 * finish (appends are acknowledged), close the ledger, exit 0.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { WitnessConfig } from '../../src/checkpoint/tlog-witness.js';
import { CustodyError } from '../../src/errors.js';
import type { Vouch } from '../../src/ledger/witness-role.js';
import { readAccessKey } from '../access-key.js';
import type { Output } from '../io.js';
import { loadMlDsaSigner, loadSigner, loadWitnessKey } from '../keys.js';
import { isPostgresUrl, requirePostgresFiles } from '../pg-ledger.js';
import type { Runner } from '../program.js';
import { DEFAULT_CONFIG, readServerConfig, type ServerConfig } from '../server/config.js';
import { peerAuditVouch } from '../server/peer-audit.js';
import { vkeyVerifier } from '../server/vkey.js';

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
        'where the last signed checkpoint is kept (default: <ledger>.signed-checkpoint; required on postgres://)',
      )
      .option(
        '--access-log <file>',
        'the access log (default: <ledger>.access-log; required on postgres://)',
      ),
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
          'custody serve serves a ledger directory or database: give --ledger <dir> or --ledger postgres://…',
          'input',
        );
      if (isPostgresUrl(dir))
        requirePostgresFiles({
          ...(o.signedCheckpoint ? { signedFile: o.signedCheckpoint } : {}),
          ...(o.accessLog ? { accessLogPath: o.accessLog } : {}),
        });
      if (!o.tlsCert !== !o.tlsKey)
        throw new CustodyError('USAGE', 'give --tls-cert and --tls-key together', 'input');
      const { host: listenHost, port } = parseListen(o.listen);
      const config = o.config ? readServerConfig(o.config) : DEFAULT_CONFIG;
      const tls =
        o.tlsCert && o.tlsKey ? { cert: readFileSync(o.tlsCert), key: readFileSync(o.tlsKey) } : undefined;
      const logKey = await loadSigner(o.logKey, out);
      const mlDsa = o.mldsaKey ? await loadMlDsaSigner(o.mldsaKey, out) : undefined;
      const witness = config.witness && (await witnessOf(config.witness, out));
      const audit = config.audit && (await auditorOf(config.audit, out));
      // The server's modules (fastify) load only here: every other command starts without them.
      const { startLedgerServer } = await import('../server/start.js');
      const { url, origin, close } = await startLedgerServer({
        dir,
        logKey,
        ...(mlDsa ? { mlDsa } : {}),
        config,
        ...(witness ? { witness } : {}),
        ...(audit ? { audit } : {}),
        ...(config.witness
          ? {
              peerTiles: new Map(
                [...config.witness.tiles].map(([vkey, url]) => [vkeyVerifier(vkey).name, url] as const),
              ),
            }
          : {}),
        listen: { host: listenHost, port, text: o.listen },
        ...(tls ? { tls } : {}),
        ...(o.signedCheckpoint ? { signedFile: o.signedCheckpoint } : {}),
        ...(o.accessLog ? { accessLogPath: o.accessLog } : {}),
        log: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
      });
      process.stderr.write(
        out.opts.json ? `${JSON.stringify({ url })}\n` : `custody: serving ${origin} at ${url}\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          // close() stops accepting and waits for requests in flight: their appends are acknowledged.
          void close().then(done, (e: unknown) => {
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
