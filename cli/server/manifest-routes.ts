/**
 * The manifests of registered folders and segment sets on a ledger server
 * (docs/SERVER.md §Manifests, docs/MANIFEST.md §Where manifests are kept):
 *
 *   PUT /v1/manifests/<root hex>        an actor's workstation hands over a manifest
 *                                       before appending the registration that commits to it
 *   GET /v1/exhibits/<exhibit hex>/manifest   the manifest its registration commits to
 *
 * Both are authenticated (RFC 9421, the actor's access key). A manifest names
 * every file of the folder, and file names are often personal data (a chat's
 * participant, a photo's subject), so reading one follows need-to-know for
 * the registration's entry, exactly as its cleartext does, and goes to the
 * access log. A manifest is asked for by exhibit, never by root: there is no
 * way to read one that no registration the reader may open commits to.
 *
 * Security assumption: the server checks that an upload decodes to the root
 * it is put under (so the shelf holds nothing but manifests, each under its
 * own root); a client checks a manifest it reads against the root the
 * registration commits to (cli/manifest-source.ts), so a server cannot hand
 * out another folder's manifest for it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fromHex, toHex } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import type { LedgerHost } from '../../src/ledger/ledger-host.js';
import { decodeManifest } from '../../src/manifest/codec.js';
import type { ManifestShelf } from '../../src/store/manifest-shelf.js';
import type { Reader } from './app.js';

export interface ManifestRouteOptions {
  host: LedgerHost;
  shelf: ManifestShelf;
  /** The largest manifest taken, in bytes (limits.manifestBytes). */
  maxBytes: number;
  authenticate: (req: FastifyRequest) => Promise<Reader>;
  mayOpen: (reader: Reader, indexes: readonly number[]) => Promise<void>;
  recordAccess: (reader: Reader, req: FastifyRequest, what: string) => Promise<void>;
  fail: (reply: FastifyReply, e: unknown) => FastifyReply;
}

const HEX64 = /^[0-9a-f]{64}$/;
const OCTETS = 'application/octet-stream';

export function registerManifestRoutes(app: FastifyInstance, o: ManifestRouteOptions): void {
  app.put('/v1/manifests/:root', { bodyLimit: o.maxBytes }, async (req, reply) => {
    try {
      const reader = await o.authenticate(req);
      if (reader.actor === undefined)
        throw new CustodyError(
          'FORBIDDEN',
          "manifests are handed over by actors' workstations, with the access key of an enrolled actor",
          'input',
        );
      const hex = (req.params as { root: string }).root;
      if (!HEX64.test(hex))
        throw new CustodyError(
          'BAD_REQUEST',
          'a manifest is put under its root, 64 lower-case hex digits',
          'input',
        );
      if (!Buffer.isBuffer(req.body) || req.body.length === 0)
        throw new CustodyError(
          'MANIFEST_INVALID',
          `the body must be the manifest's bytes (${OCTETS})`,
          'input',
        );
      const bytes = new Uint8Array(req.body);
      // decodeManifest checks every entry and computes the root (docs/MANIFEST.md).
      const { root } = decodeManifest(bytes);
      if (toHex(root) !== hex)
        throw new CustodyError(
          'MANIFEST_INVALID',
          `the manifest's root is ${toHex(root)}, not the ${hex} it was put under`,
          'input',
        );
      const added = await o.shelf.putManifest(root, bytes);
      await o.recordAccess(reader, req, `manifests/${hex} (handed over)`);
      return reply
        .code(added ? 201 : 200)
        .header('cache-control', 'no-store')
        .send({ root: hex, kept: added ? 'new' : 'already' });
    } catch (e) {
      return o.fail(reply, e);
    }
  });

  app.get('/v1/exhibits/:exhibit/manifest', async (req, reply) => {
    try {
      const reader = await o.authenticate(req);
      const hex = (req.params as { exhibit: string }).exhibit;
      if (!HEX64.test(hex))
        throw new CustodyError('BAD_REQUEST', 'an exhibit is named by its 64-hex id here', 'input');
      const view = await o.host.currentView();
      const id = fromHex(hex)!;
      if (!(await view.exhibit(id)))
        throw new CustodyError('EXHIBIT_UNKNOWN', `no exhibit ${hex} here`, 'input');
      const reg = await view.registration(id);
      const root = reg.statement.body['manifest'];
      if (!(root instanceof Uint8Array))
        throw new CustodyError(
          'NOT_FOUND',
          `exhibit ${hex} was registered as ${String(reg.statement.body['evidence'] ?? 'file')}, which has no manifest`,
          'input',
        );
      // Need to know first: whether a manifest is kept says nothing to one who may not read it.
      await o.mayOpen(reader, [reg.index]);
      // Handed out as kept: checked against its root when it was put, and by the reader again.
      const bytes = await o.shelf.manifest(root);
      if (!bytes)
        throw new CustodyError(
          'NOT_FOUND',
          `the manifest of exhibit ${hex} was not handed to this server (it is kept where it was registered)`,
          'input',
        );
      await o.recordAccess(reader, req, `exhibits/${hex}/manifest`);
      return reply.type(OCTETS).header('cache-control', 'no-store').send(Buffer.from(bytes));
    } catch (e) {
      return o.fail(reply, e);
    }
  });
}
