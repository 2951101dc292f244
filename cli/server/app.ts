/**
 * The HTTP face of a ledger server (docs/SERVER.md): fastify routes over a
 * LedgerService. Thin: each route decodes, calls the library, encodes; errors
 * become statuses in one place (./http-errors.ts).
 *
 *   GET  /checkpoint            the latest signed checkpoint (public; tlog-tiles)
 *   GET  /tile/…                hash tiles (public) and entry bundles (authenticated): ./tiles-routes.ts
 *   GET  /healthz               liveness, size, and whether the server signs (or is a standby)
 *   GET  /metrics               Prometheus text
 *   POST /v1/statements         append signed statements (src/ledger/append-wire.ts)
 *   GET  /v1/store/<read>       the store read protocol (src/store/store-wire.ts), authenticated
 *   GET  /v1/access-log         the access log (data-protection role)
 *   PUT  /v1/manifests/<root>   a folder's manifest handed over; GET /v1/exhibits/<id>/manifest
 *                               reads it, by need to know (./manifest-routes.ts)
 *   POST /add-checkpoint        C2SP tlog-witness, when this server witnesses peer logs
 *   GET  /witness/<hash>/checkpoint   what it cosigned for a log (monitors)
 *   GET  /witness/<hash>/split-view   two checkpoints of one size that log signed, if it did
 *   POST /audit/add-checkpoint  the same as an auditor of peer logs (replays them first),
 *   GET  /audit/witness/<hash>/…      with its own monitoring paths
 */

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { fromHex, toHex, utf8 } from '../../src/bytes.js';
import { splitViewDocument } from '../../src/checkpoint/split-view.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { decodeAppendRequest, encodeAppendAnswer } from '../../src/ledger/append-wire.js';
import { receiverProofOf } from '../../src/ledger/crossing.js';
import type { LedgerHost } from '../../src/ledger/ledger-host.js';
import type { WitnessRole } from '../../src/ledger/witness-role.js';
import { parseTilePath } from '../../src/merkle/tiles.js';
import { openingIndexes, parseStorePath, TREE_SIZE_HEADER } from '../../src/store/store-wire.js';
import { httpFailure } from './http-errors.js';
import type { Limits } from './limits.js';
import type { Metrics } from './metrics.js';

export interface AppOptions {
  host: LedgerHost;
  metrics: Metrics;
  limits: Limits;
  /** One JSON-lines record per answered request (no secrets, no personal data). */
  log: (record: Record<string, unknown>) => void;
  /** Authenticates a read; returns who reads (for the access log), throws UNAUTHENTICATED / FORBIDDEN. */
  authenticate: (req: FastifyRequest) => Promise<Reader>;
  /** Decides need-to-know for the cleartext of these entries; throws NEED_TO_KNOW. */
  mayOpen: (reader: Reader, indexes: readonly number[]) => Promise<void>;
  /** HTTPS key and certificate chain (PEM); plain HTTP without. */
  https?: { key: Buffer; cert: Buffer } | undefined;
  /** The access log's text, for `custody access-log` (data-protection role only). */
  accessLogText: () => string;
  /** Records an allowed read (the access log). */
  recordAccess: (reader: Reader, req: FastifyRequest, what: string) => Promise<void>;
  /** A hash tile this server keeps of a peer log it witnesses (./tile-keeper.ts). */
  keptTile?: (origin: string, path: string) => Promise<Uint8Array | undefined>;
}

export interface Reader {
  /** Hex key id of the access key that signed the request. */
  keyId: string;
  /** Hex key id of the actor's statement key, for an actor; undefined for an auditor or peer. */
  actor?: string;
  /** The credential's name, for an auditor or peer. */
  name?: string;
  purpose?: string;
  /**
   * What the request's signature proves, kept for a disclosure record
   * (src/format/log-record.ts): the RFC 9421 signature base, the signature
   * over it, and the access public key that verified it.
   */
  signed: { base: string; signature: Uint8Array; publicKey: Uint8Array };
}

const OCTETS = 'application/octet-stream';
const HASH_ONLY: ReadonlySet<string> = new Set([
  'head',
  'node',
  'map-node',
  'tree-nodes',
  'checkpoint',
  'checkpoint-sizes',
  'entry',
]);
const MSGPACK = 'application/msgpack';

export function fail(reply: FastifyReply, e: unknown): FastifyReply {
  const f = httpFailure(e);
  return reply.code(f.status).type('application/json').send(f.body);
}

export function buildApp(o: AppOptions): FastifyInstance {
  const { host, metrics, limits } = o;
  const app = Fastify({
    ...(o.https ? { https: o.https } : {}),
    logger: false,
    bodyLimit: limits.bodyBytes,
    routerOptions: { maxParamLength: 2048 },
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.idleTimeoutMs,
    http: { maxHeaderSize: limits.headerBytes },
    return503OnClosing: true,
    // A URL fastify cannot decode is answered here too, in our error format, without echoing it.
    frameworkErrors: (_e, _req, reply) =>
      fail(reply, new CustodyError('BAD_REQUEST', 'the request URL is malformed', 'input')),
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req) => {
    (req as FastifyRequest & { started?: number }).started = performance.now();
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.countRequest(reply.statusCode);
    const started = (req as FastifyRequest & { started?: number }).started ?? performance.now();
    o.log({
      time: new Date().toISOString(),
      method: req.method,
      // The route pattern, not the URL: ids and query strings stay out of the log.
      route: req.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  });
  app.setErrorHandler((e, req, reply) => {
    const status = (e as { statusCode?: number }).statusCode;
    if (status === 413)
      return fail(
        reply,
        // A route may have its own limit (a manifest: limits.manifestBytes).
        new CustodyError(
          'BODY_TOO_LARGE',
          `the body is over ${req.routeOptions.bodyLimit ?? limits.bodyBytes} bytes`,
          'input',
        ),
      );
    if (status !== undefined && status >= 400 && status < 500)
      return fail(reply, new CustodyError('BAD_REQUEST', 'the request is malformed', 'input'));
    return fail(reply, e);
  });
  app.setNotFoundHandler((_req, reply) =>
    fail(reply, new CustodyError('NOT_FOUND', 'no such resource', 'input')),
  );

  app.get('/healthz', async (_req, reply) => {
    const outage = host.outage;
    const standby = host.standby;
    const refusal = outage ?? standby ?? host.refusal;
    // Split views are read from the store: not while its database is down (the server stays up).
    const splitViews = outage ? [] : await splitViewsOf(host).catch(() => []);
    // 503 while the store is down, a standby or refusing to sign: no appends taken.
    return reply
      .code(refusal ? 503 : 200)
      .header('cache-control', 'no-store')
      .send({
        witnesses: Object.fromEntries(metrics.witnesses),
        status: outage ? 'store-unavailable' : standby ? 'standby' : refusal ? 'refusing' : 'ok',
        size: host.latest?.size ?? 0,
        ...(refusal ? { reason: refusal } : {}),
        ...(splitViews.length > 0 ? { splitViews } : {}),
      });
  });

  app.get('/metrics', async (_req, reply) =>
    reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(metrics.text(host, (await splitViewsOf(host)).length)),
  );

  app.get('/checkpoint', async (_req, reply) => {
    const latest = host.latest;
    if (!latest) return fail(reply, new CustodyError('NOT_FOUND', 'no checkpoint is signed yet', 'input'));
    // tlog-tiles §Checkpoints: the checkpoint changes; it must not be cached.
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(latest.note);
  });

  // Public, like the checkpoint: whether a key is an active actor here, proven at the latest
  // checkpoint, for a peer's sender to check before a hand-over (docs/FEDERATION.md). A key
  // record holds no personal data (FORMAT.md §The state map): type, purpose, roles, jurisdiction.
  app.get('/v1/federation/receiver/:keyId', async (req, reply) => {
    try {
      const { keyId } = req.params as { keyId: string };
      if (!/^[0-9a-f]{64}$/.test(keyId))
        throw new CustodyError(
          'USAGE',
          'a receiver is named by its full key id, 64 lower-case hex digits',
          'input',
        );
      const latest = host.latest;
      if (!latest) throw new CustodyError('NOT_FOUND', 'no checkpoint is signed yet', 'input');
      const proof = await receiverProofOf(await host.currentView(), fromHex(keyId)!, latest.note);
      return reply.type(MSGPACK).header('cache-control', 'no-store').send(Buffer.from(proof));
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.post('/v1/statements', async (req, reply) => {
    try {
      if (!Buffer.isBuffer(req.body))
        throw new CustodyError('APPEND_REQUEST_MALFORMED', `the append request must be ${MSGPACK}`, 'input');
      const items = decodeAppendRequest(new Uint8Array(req.body));
      const started = performance.now();
      const results = await host.append(items, items.witnessed === true);
      metrics.observeLatency(performance.now() - started);
      metrics.appends += results.filter((r) => r.ok && !r.submitted.duplicate).length;
      const answer = encodeAppendAnswer(
        results.map((r) =>
          r.ok
            ? {
                index: r.submitted.index,
                id: r.submitted.id,
                leafHash: r.submitted.leafHash,
                time: r.submitted.time,
                receipt: r.receipt,
                ...(r.submitted.duplicate ? { duplicate: true as const } : {}),
              }
            : { error: { code: r.error.code, message: r.error.message, category: r.error.category } },
        ),
      );
      return reply.type(MSGPACK).header('cache-control', 'no-store').send(Buffer.from(answer));
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.get('/v1/store/*', async (req, reply) => {
    try {
      const reader = await o.authenticate(req);
      const path = (req.params as { '*': string })['*'];
      const read = parseStorePath(path);
      if (!read) throw new CustodyError('NOT_FOUND', 'no such store read', 'input');
      // Cleartext follows need to know: one entry's openings are refused outright (403); a page
      // of entries comes with the openings the reader may see, the others left out as if erased,
      // so that a whole-ledger reader (verify, log) still checks every statement.
      let mayOpen: ((index: number) => boolean) | undefined;
      if (read.op === 'openings') await o.mayOpen(reader, openingIndexes(read));
      else if (read.op === 'items' && read.openings) {
        const allowed = new Set<number>();
        for (const i of openingIndexes(read))
          if (
            await o.mayOpen(reader, [i]).then(
              () => true,
              () => false,
            )
          )
            allowed.add(i);
        mayOpen = (i) => allowed.has(i);
      }
      const atText = (req.query as Record<string, unknown>)['at'];
      const at =
        typeof atText === 'string' && /^(0|[1-9]\d{0,15})$/.test(atText) ? Number(atText) : undefined;
      if (atText !== undefined && at === undefined)
        throw new CustodyError('BAD_REQUEST', 'at must be a tree size', 'input');
      const { body, size } = await host.read(read, at, mayOpen);
      // Hashes and signed checkpoints reveal no content: only reads of statements, records
      // and cleartext go to the access log (docs/SERVER.md §The access log).
      if (!HASH_ONLY.has(read.op)) await o.recordAccess(reader, req, path);
      reply.header(TREE_SIZE_HEADER, String(size));
      if (body === undefined) return fail(reply, new CustodyError('NOT_FOUND', 'no such value', 'input'));
      return reply.type(OCTETS).header('cache-control', 'no-store').send(Buffer.from(body));
    } catch (e) {
      return fail(reply, e);
    }
  });

  // C2SP tlog-witness §add-checkpoint, as a witness (/) and as an auditor (/audit/) of peer logs.
  registerCosignerRoutes(app, '', () => host.witness, 'witnesses', o.keptTile);
  registerCosignerRoutes(app, '/audit', () => host.auditor, 'audits');

  app.get('/v1/access-log', async (req, reply) => {
    try {
      const reader = await o.authenticate(req);
      const key =
        reader.actor === undefined ? undefined : await (await host.currentView()).key(fromHex(reader.actor)!);
      if (!key?.roles.includes('data-protection'))
        throw new CustodyError(
          'FORBIDDEN',
          'only an actor with the data-protection role reads the access log',
          'input',
        );
      await o.recordAccess(reader, req, 'access-log');
      return reply.type('application/x-ndjson').header('cache-control', 'no-store').send(o.accessLogText());
    } catch (e) {
      return fail(reply, e);
    }
  });

  return app;
}

/** The peer logs this server saw sign two trees of one size, as a witness or as an auditor. */
async function splitViewsOf(host: LedgerHost): Promise<{ role: 'witness' | 'audit'; origin: string }[]> {
  const out: { role: 'witness' | 'audit'; origin: string }[] = [];
  for (const origin of (await host.witness?.splitOrigins()) ?? []) out.push({ role: 'witness', origin });
  for (const origin of (await host.auditor?.splitOrigins()) ?? []) out.push({ role: 'audit', origin });
  return out;
}

/**
 * A cosigning role's routes under `prefix` (docs/SERVER.md §Witnessing other
 * logs): add-checkpoint, authenticated by the checkpoint's own signature; the
 * latest checkpoint it cosigned for a log, by the hex SHA-256 of the log's
 * origin (for monitors); and the split view it was shown for that log, if any.
 */
function registerCosignerRoutes(
  app: FastifyInstance,
  prefix: string,
  role: () => WitnessRole | undefined,
  does: string,
  keptTile?: (origin: string, path: string) => Promise<Uint8Array | undefined>,
): void {
  const originOf = (hash: string) => role()?.origins.find((o) => toHex(sha256(utf8(o))) === hash);
  // The hash tiles kept of a witnessed log (C2SP tlog-tiles paths): immutable once kept.
  if (keptTile)
    app.get(`${prefix}/witness/:originHash/tile/*`, async (req, reply) => {
      try {
        const p = req.params as { originHash: string; '*': string };
        const origin = originOf(p.originHash);
        const path = `tile/${p['*']}`;
        const t = parseTilePath(path);
        const data = origin === undefined || t?.kind !== 'hash' ? undefined : await keptTile(origin, path);
        if (data === undefined)
          throw new CustodyError('NOT_FOUND', 'this server keeps no such tile of that log', 'input');
        return reply
          .type('application/octet-stream')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(Buffer.from(data));
      } catch (e) {
        return fail(reply, e);
      }
    });
  app.post(`${prefix}/add-checkpoint`, async (req, reply) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const r = role();
      const a = r
        ? await r.addCheckpoint(body)
        : {
            status: 404 as const,
            body: `this server ${does} no logs\n`,
            contentType: 'text/plain; charset=utf-8',
          };
      return reply
        .code(a.status)
        .type(
          a.status === 200 ? 'text/plain; charset=utf-8' : 'contentType' in a ? a.contentType : 'text/plain',
        )
        .header('cache-control', 'no-store')
        .send(a.body);
    } catch (e) {
      return fail(reply, e);
    }
  });
  app.get(`${prefix}/witness/:originHash/checkpoint`, async (req, reply) => {
    try {
      const origin = originOf((req.params as { originHash: string }).originHash);
      const note = origin === undefined ? undefined : await role()?.witnessed(origin);
      if (note === undefined)
        throw new CustodyError('NOT_FOUND', 'this server has cosigned no checkpoint of that log', 'input');
      return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(note);
    } catch (e) {
      return fail(reply, e);
    }
  });
  app.get(`${prefix}/witness/:originHash/split-view`, async (req, reply) => {
    try {
      const origin = originOf((req.params as { originHash: string }).originHash);
      const split = origin === undefined ? undefined : await role()?.splitView(origin);
      if (split === undefined)
        throw new CustodyError('NOT_FOUND', 'this server was shown no split view of that log', 'input');
      return reply.header('cache-control', 'no-cache').send(splitViewDocument(split));
    } catch (e) {
      return fail(reply, e);
    }
  });
}
