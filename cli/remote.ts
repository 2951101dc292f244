/**
 * A ledger server as the CLI's ledger (`--ledger https://…` or
 * CUSTODY_LEDGER; docs/SERVER.md §Clients). Reads go through the store read
 * protocol, signed with the workstation's access key (RFC 9421); appends are
 * statements signed here, on the workstation, and sent to the server, which
 * answers each with a C2SP tlog-proof receipt that is verified here against
 * the log key the ledger's genesis names before the append is reported.
 *
 * A server that cannot be reached is LEDGER_UNREACHABLE (exit 4). An error the
 * server reports comes back as the same CustodyError (code, message,
 * category), so a command ends with the same message and exit code as on a
 * local directory.
 */
import { toHex } from '../src/bytes.js';
import { ed25519NoteVerifier, type NoteVerifier } from '../src/checkpoint/note.js';
import { type VerifiedTlogProof, verifyTlogProof } from '../src/checkpoint/tlog-proof.js';
import type { Signer } from '../src/crypto/ed25519.js';
import { CustodyError, isErrorCategory, serverCodeOf } from '../src/errors.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../src/format/key-id.js';
import { type AppendItem, decodeAppendAnswer, encodeAppendRequest } from '../src/ledger/append-wire.js';
import type { LedgerView } from '../src/ledger/ledger-view.js';
import { logPublicKey } from '../src/ledger/log-checkpoints.js';
import type { Submitted } from '../src/ledger/log-ledger.js';
import type { StoreAnswer, StoreTransport } from '../src/store/log-remote.js';
import { TREE_SIZE_HEADER } from '../src/store/store-wire.js';
import { signRequest } from './http-signature.js';
import { DEFAULT_LIMITS } from './server/limits.js';

export const isLedgerUrl = (s: string): boolean => /^https?:\/\//i.test(s);

/** Largest answer read from a server (a page of entries with openings is far smaller). */
const MAX_ANSWER_BYTES = 64 << 20;
/** Largest manifest read from a server: what a server takes by default. */
const MAX_MANIFEST_BYTES = DEFAULT_LIMITS.manifestBytes;

type Method = 'GET' | 'POST' | 'PUT';

interface RequestOptions {
  body?: Uint8Array;
  /** The body's media type (default application/msgpack). */
  type?: string;
  signed: boolean;
  missingOk?: boolean;
  /** Largest answer accepted (default MAX_ANSWER_BYTES). */
  maxAnswer?: number;
}

export interface AccessCredential {
  signer: Signer;
}

export class HttpLedger implements StoreTransport {
  readonly base: URL;
  readonly #keyId: string | undefined;

  constructor(
    url: string,
    private readonly access: AccessCredential | undefined,
    private readonly purpose: string | undefined,
    private readonly witnessed = false,
  ) {
    // An HTTP header carries Latin-1 text only (RFC 9110 §5.5); say so rather than fail to send.
    if (purpose !== undefined && !/^[\x20-\x7e\u00a0-\u00ff]{1,1000}$/.test(purpose))
      throw new CustodyError(
        'USAGE',
        '--purpose must be 1 to 1000 characters of Latin-1 text (a header cannot carry other characters)',
        'input',
      );
    try {
      this.base = new URL(url.endsWith('/') ? url : `${url}/`);
    } catch {
      throw new CustodyError('USAGE', `${url} is not a valid ledger server URL`, 'input');
    }
    this.#keyId =
      access &&
      toHex(keyIdOf({ type: KEY_TYPES.ed25519, publicKey: access.signer.publicKey }, KEY_PURPOSES.access));
  }

  /** One request; the body of a 2xx answer, undefined for 404 NOT_FOUND when `missingOk`, else the server's error. */
  async request(method: Method, path: string, opts: RequestOptions): Promise<Uint8Array | undefined> {
    return (await this.#exchange(method, path, opts)).body;
  }

  /**
   * Hands a folder's manifest to the server (docs/SERVER.md §Manifests), signed
   * with the access key: before the registration that commits to it is appended.
   */
  async putManifest(root: Uint8Array, bytes: Uint8Array): Promise<void> {
    await this.request('PUT', `v1/manifests/${toHex(root)}`, {
      body: bytes,
      type: 'application/octet-stream',
      signed: true,
    });
  }

  /** The manifest the exhibit's registration commits to, if the server keeps it (need to know applies). */
  exhibitManifest(exhibit: Uint8Array): Promise<Uint8Array | undefined> {
    return this.request('GET', `v1/exhibits/${toHex(exhibit)}/manifest`, {
      signed: true,
      missingOk: true,
      maxAnswer: MAX_MANIFEST_BYTES,
    });
  }

  async #exchange(
    method: Method,
    path: string,
    opts: RequestOptions,
  ): Promise<{ body: Uint8Array | undefined; headers: Headers }> {
    const url = new URL(path, this.base).toString();
    const body = opts.body ?? new Uint8Array(0);
    const headers: Record<string, string> = {};
    if (opts.body) headers['content-type'] = opts.type ?? 'application/msgpack';
    if (opts.signed && this.access && this.#keyId)
      Object.assign(
        headers,
        await signRequest(
          { method, url, body, ...(this.purpose === undefined ? {} : { purpose: this.purpose }) },
          this.access.signer,
          this.#keyId,
        ),
      );
    let res: Response;
    try {
      res = await fetch(url, { method, headers, ...(opts.body ? { body: opts.body } : {}) });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new CustodyError(
        'LEDGER_UNREACHABLE',
        `cannot reach the ledger server at ${this.base.origin} (${cause?.code ?? cause?.message ?? 'network error'})`,
        'unavailable',
      );
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length > (opts.maxAnswer ?? MAX_ANSWER_BYTES))
      throw new CustodyError('STORE_CORRUPT', "the server's answer is too large", 'unavailable');
    if (res.ok) return { body: bytes, headers: res.headers };
    const err = serverError(res.status, bytes);
    if (opts.missingOk && err.code === 'NOT_FOUND') return { body: undefined, headers: res.headers };
    throw err;
  }

  async get(path: string, at?: number): Promise<StoreAnswer> {
    const { body, headers } = await this.#exchange(
      'GET',
      `v1/store/${path}${at === undefined ? '' : `?at=${at}`}`,
      {
        signed: true,
        missingOk: true,
      },
    );
    const size = headers.get(TREE_SIZE_HEADER);
    return { body, size: size !== null && /^\d{1,16}$/.test(size) ? Number(size) : undefined };
  }

  /**
   * Submits one signed statement and returns what a local append returns,
   * once its receipt verifies against the log key of `view`'s genesis.
   */
  async submit(
    view: LedgerView,
    statement: Uint8Array,
    openings?: Uint8Array,
    foreign = false,
  ): Promise<Submitted> {
    // Read before appending: what the receipt is checked against comes from the snapshot.
    const { origin } = await view.ledger();
    const log = ed25519NoteVerifier(origin, await logPublicKey(view));
    const item = foreign
      ? { statement, foreign: true as const }
      : openings
        ? { statement, openings }
        : { statement };
    return this.append(item, [log]);
  }

  /** A receiver proof of a key of this server's ledger (public: docs/SERVER.md §Federation). */
  async receiverProof(keyHex: string): Promise<Uint8Array> {
    return (await this.request('GET', `v1/federation/receiver/${keyHex}`, { signed: false }))!;
  }

  /**
   * Appends one item, unauthenticated (a statement's signatures, or a foreign
   * statement's evidence, vouch for it), and returns what a local append
   * returns once the receipt verifies against one of the log keys given: the
   * genesis key a reader found, or the keys a peer's recorded policy names.
   */
  async append(item: AppendItem, logs: readonly NoteVerifier[]): Promise<Submitted> {
    const body = encodeAppendRequest([item], this.witnessed);
    const answer = await this.request('POST', 'v1/statements', { body, signed: false });
    const [r] = decodeAppendAnswer(answer!, 1);
    if (!r)
      throw new CustodyError('STORE_CORRUPT', "the server's answer to an append is malformed", 'unavailable');
    if ('error' in r) throw new CustodyError(r.error.code, r.error.message, r.error.category);
    let proof: VerifiedTlogProof | undefined;
    let failure: unknown;
    for (const log of logs) {
      try {
        proof = verifyTlogProof(r.receipt, { log, statement: item.statement });
        break;
      } catch (e) {
        failure = e;
      }
    }
    if (!proof)
      throw (
        failure ?? new CustodyError('RECEIPT_MISMATCH', 'no log key to check the receipt', 'verification')
      );
    if (proof.index !== r.index || toHex(proof.leafHash) !== toHex(r.leafHash))
      throw new CustodyError(
        'RECEIPT_MISMATCH',
        "the server's receipt is not for the entry it acknowledged",
        'verification',
      );
    return r.duplicate
      ? { index: r.index, id: r.id, leafHash: r.leafHash, time: r.time, duplicate: true }
      : { index: r.index, id: r.id, leafHash: r.leafHash, time: r.time };
  }
}

function serverError(status: number, body: Uint8Array): CustodyError {
  try {
    const e = (JSON.parse(new TextDecoder().decode(body)) as { error?: Record<string, unknown> }).error;
    const category = e?.['category'];
    if (e && typeof e['code'] === 'string' && typeof e['message'] === 'string' && isErrorCategory(category)) {
      // The server's code is narrowed, never cast: one this version does not know is SERVER_ERROR.
      const { code, message } = serverCodeOf(e['code'], e['message']);
      return new CustodyError(code, message, category);
    }
  } catch {
    // not one of our answers: said below
  }
  return new CustodyError('SERVER_ERROR', `the ledger server answered HTTP ${status}`, 'unavailable');
}
