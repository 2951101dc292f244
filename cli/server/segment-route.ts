/**
 * GET /v1/federation/segment/<exhibit hex>?recipient=<text>&profile=statements
 * (docs/SERVER.md §Federation, docs/FEDERATION.md §Gathering a journey): a
 * peer ledger asks for this ledger's segment of an exhibit's history, for a
 * final recipient it names. Authenticated by an RFC 9421 signature with an
 * access key configured among the `readers` (a peer's credential); an
 * actor's key is refused. The segment is the exhibit's bundle with no
 * cleartext (profile "statements"), at the latest signed checkpoint.
 *
 * Before the answer, the log appends a disclosure record (payload type 2,
 * src/format/log-record.ts) that embeds the signed request, the recipient,
 * the profile and the segment's SHA-256; the answer carries its position.
 * Security assumption: the record is as good as the request's signature,
 * which anyone can check with the requester's key; the server vouches only
 * that the key is the one it configured under that name.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { fromHex, toHex } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { encodeLogRecord, PEER_PROFILE } from '../../src/format/log-record.js';
import type { LedgerHost } from '../../src/ledger/ledger-host.js';
import type { Reader } from './app.js';

export const DISCLOSURE_ENTRY_HEADER = 'custody-disclosure-entry';

export interface SegmentRouteOptions {
  host: LedgerHost;
  authenticate: (req: FastifyRequest) => Promise<Reader>;
  recordAccess: (reader: Reader, req: FastifyRequest, what: string) => Promise<void>;
  fail: (reply: FastifyReply, e: unknown) => FastifyReply;
}

const bad = (why: string) => new CustodyError('BAD_REQUEST', why, 'input');

export function registerSegmentRoute(app: FastifyInstance, o: SegmentRouteOptions): void {
  app.get('/v1/federation/segment/:exhibit', async (req, reply) => {
    try {
      const reader = await o.authenticate(req);
      if (reader.actor !== undefined || reader.name === undefined)
        throw new CustodyError(
          'FORBIDDEN',
          "segments are handed to peer ledgers' credentials (the server's readers), not to actors: export the bundle instead",
          'input',
        );
      const hex = (req.params as { exhibit: string }).exhibit;
      if (!/^[0-9a-f]{64}$/.test(hex)) throw bad('the exhibit must be its 64-hex id');
      const q = req.query as Record<string, unknown>;
      const recipient = q['recipient'];
      if (typeof recipient !== 'string' || !/^[^\x00-\x1f\x7f]{1,200}$/.test(recipient))
        throw bad('name the final recipient: recipient=<1 to 200 characters>');
      if (q['profile'] !== PEER_PROFILE)
        throw bad(
          `a peer is handed the "${PEER_PROFILE}" profile only (no cleartext): profile=${PEER_PROFILE}`,
        );
      const exhibit = fromHex(hex)!;
      const latest = o.host.latest;
      const view = await o.host.currentView();
      if (!latest || !(await view.exhibit(exhibit)))
        throw new CustodyError('NOT_FOUND', 'no exhibit with this id is in this ledger', 'input');
      const bundle = await exportBundle(view, exhibit, latest.note, { disclose: [] });
      const record = encodeLogRecord({
        kind: 'disclosure',
        requester: reader.name,
        key: reader.signed.publicKey,
        base: reader.signed.base,
        signature: reader.signed.signature,
        exhibit,
        recipient,
        profile: PEER_PROFILE,
        bundle: sha256(bundle),
      });
      const logged = await o.host.appendRecord(record);
      await o.recordAccess(
        reader,
        req,
        `segment ${toHex(exhibit)} for ${recipient} (disclosure at entry ${logged.index})`,
      );
      return reply
        .type('application/octet-stream')
        .header('cache-control', 'no-store')
        .header(DISCLOSURE_ENTRY_HEADER, String(logged.index))
        .send(Buffer.from(bundle));
    } catch (e) {
      return o.fail(reply, e);
    }
  });
}
