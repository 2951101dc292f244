/**
 * A ledger server, started (docs/SERVER.md): the ledger directory held by a
 * LedgerHost, its routes, its witness submitter, listening. `custody serve`
 * (../commands/serve.ts) loads keys and configuration and calls this; so does
 * the demo, which runs three servers in one process.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WitnessConfig } from '../../src/checkpoint/tlog-witness.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import type { MlDsa44Signer } from '../../src/crypto/ml-dsa.js';
import { CustodyError } from '../../src/errors.js';
import { LedgerHost } from '../../src/ledger/ledger-host.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { NeedToKnow } from '../../src/ledger/need-to-know.js';
import { SequencerRole, STANDBY_REASON } from '../../src/ledger/sequencer-lease.js';
import type { Vouch } from '../../src/ledger/witness-role.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { PostgresLogStore } from '../../src/store/log-postgres.js';
import type { LogStore } from '../../src/store/log-store.js';
import { DirectoryManifestShelf, type ManifestShelf } from '../../src/store/manifest-shelf.js';
import { PostgresLease } from '../../src/store/pg-lease.js';
import { isPostgresUrl, requirePostgresFiles } from '../pg-ledger.js';
import { AccessLogFile } from './access-log-file.js';
import { buildApp, fail } from './app.js';
import { makeAuthenticator } from './auth.js';
import type { ServerConfig } from './config.js';
import { knownCheckpoints } from './known-checkpoints.js';
import { registerManifestRoutes } from './manifest-routes.js';
import { Metrics } from './metrics.js';
import { registerSegmentRoute } from './segment-route.js';
import { SignedCheckpointFile } from './signed-file.js';
import { TileKeeper } from './tile-keeper.js';
import { registerTileRoutes } from './tiles-routes.js';
import { vkeyVerifier } from './vkey.js';
import { WitnessSubmitter } from './witness-submitter.js';

export interface StartOptions {
  /** The ledger directory, or a postgres:// URL (then signedFile and accessLogPath are required). */
  dir: string;
  logKey: Signer;
  mlDsa?: MlDsa44Signer;
  config: ServerConfig;
  /** The witness and auditor roles, their keys loaded (config `witness`, `audit`). */
  witness?: WitnessConfig;
  audit?: { config: WitnessConfig; vouch: Vouch };
  /** Peer logs whose hash tiles this server keeps once it cosigned them: origin -> the peer's server URL. */
  peerTiles?: ReadonlyMap<string, string>;
  listen: { host: string; port: number; text: string };
  tls?: { cert: Buffer; key: Buffer };
  /** Default `<dir>.signed-checkpoint`, `<dir>.access-log`; no default for a database. */
  signedFile?: string;
  accessLogPath?: string;
  /** One JSON-lines record per answered request. */
  log: (r: object) => void;
}

export interface RunningServer {
  url: string;
  origin: string;
  host: LedgerHost;
  /** Stops accepting, lets requests in flight finish (their appends acknowledged), closes the ledger. */
  close(): Promise<void>;
}

export async function startLedgerServer(o: StartOptions): Promise<RunningServer> {
  const config = o.config;
  const pg = isPostgresUrl(o.dir);
  if (pg) requirePostgresFiles(o);
  const base = pg ? '' : resolve(o.dir);
  const accessLog = AccessLogFile.open(o.accessLogPath ?? `${base}.access-log`);
  // Beside the directory, not in it: restoring the directory from a backup leaves it
  // (docs/SERVER.md §Never two histories). On a database: where --signed-checkpoint says.
  const signedFile = o.signedFile ?? `${base}.signed-checkpoint`;
  // Read before the slots are opened for writing (opening creates missing ones).
  const lastSigned = SignedCheckpointFile.read(signedFile);
  const signed = SignedCheckpointFile.open(signedFile);
  const store: LogStore = pg
    ? await PostgresLogStore.open(o.dir, 'open')
    : await LevelLogStore.open(o.dir, 'open');
  // Manifests of registered folders: in the database, or beside the directory (src/store/manifest-shelf.ts).
  const shelf: ManifestShelf =
    store instanceof PostgresLogStore ? store : new DirectoryManifestShelf(`${base}.manifests`);
  // On a shared database, the server holding the lease is the sequencer; the others wait as standbys.
  const lease = pg ? new PostgresLease(o.dir) : undefined;
  // Every write checks the lease's fencing token under the head-row lock (docs/STORAGE.md §One sequencer at a time).
  if (lease && store instanceof PostgresLogStore) store.fence(() => lease.token);
  const leader = lease ? await lease.renew() : true;
  const keeper = new TileKeeper(
    { get: (k) => store.witnessState(k), put: (k, b) => store.putWitnessState(k, b) },
    o.peerTiles ?? new Map(),
  );
  // Asked at start and at every takeover; the peers are read from the ledger each time.
  const elsewhere = async () =>
    knownCheckpoints(
      {
        witnesses: config.witnesses,
        servers: config.checkpointSources,
        peers: (await new LedgerView(store).peers().catch(() => [])).flatMap((p) =>
          p.record.url === undefined ? [] : [p.record.url],
        ),
      },
      origin,
    );
  let host: LedgerHost;
  let submitter: WitnessSubmitter | undefined;
  const origin = await new LedgerView(store).ledger().then(
    (l) => l.origin,
    () => '',
  );
  try {
    host = await LedgerHost.open(store, {
      logKey: o.logKey,
      ...(o.mlDsa ? { mlDsa: o.mlDsa } : {}),
      ...(lastSigned === undefined ? {} : { lastSigned }),
      ...(leader ? {} : { standby: STANDBY_REASON }),
      heldElsewhere: leader ? await elsewhere() : [],
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
      ...(o.witness ? { witness: o.witness } : {}),
      ...(o.audit ? { audit: o.audit } : {}),
      onWitnessed: (origin, size, root) => keeper.keep(origin, size, root),
    });
  } catch (e) {
    await lease?.close();
    await store.close();
    throw e;
  }
  const role =
    lease &&
    new SequencerRole({
      lease,
      host,
      held: leader,
      // Read again at the takeover: the file is this server's own record, the witnesses' may have moved.
      known: async () => ({
        lastSigned: SignedCheckpointFile.read(signedFile),
        elsewhere: await elsewhere(),
      }),
      onRole: (r, why) => o.log({ time: new Date().toISOString(), role: r, why }),
    });
  role?.start();
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
  const mayOpen: Parameters<typeof buildApp>[0]['mayOpen'] = async (reader, indexes) => {
    const refused = await needToKnow.refused(reader.actor, indexes);
    if (refused)
      throw new CustodyError(
        'NEED_TO_KNOW',
        refused.caseRef === undefined
          ? `entry ${refused.index}'s cleartext is not for this key`
          : `entry ${refused.index} belongs to case ${refused.caseRef}, which this actor has not acted in or been assigned to`,
        'input',
      );
  };
  const app = buildApp({
    keptTile: (origin, path) => keeper.tile(origin, path),
    host,
    metrics,
    limits: config.limits,
    https: o.tls,
    log: o.log,
    authenticate,
    mayOpen,
    recordAccess,
    accessLogText: () => readFileSync(accessLog.path, 'utf8'),
  });
  registerSegmentRoute(app, { host, authenticate, recordAccess, fail });
  registerManifestRoutes(app, {
    host,
    shelf,
    maxBytes: config.limits.manifestBytes,
    authenticate,
    mayOpen,
    recordAccess,
    fail,
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
    address = await app.listen({ host: o.listen.host, port: o.listen.port });
  } catch (e) {
    await role?.close();
    await host.close();
    signed.close();
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new CustodyError('LISTEN_FAILED', `cannot listen on ${o.listen.text} (${code})`, 'unavailable');
  }
  const url = address.replace('://[::]', '://[::1]').replace('://0.0.0.0', '://127.0.0.1');
  return {
    url,
    origin: host.origin,
    host,
    close: () =>
      app
        .close()
        .then(() => submitter?.close())
        .then(() => host.close())
        .then(() => role?.close())
        .then(() => signed.close()),
  };
}
