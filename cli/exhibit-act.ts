/**
 * The shared shape of the commands that act on an exhibit (transfer, accept,
 * reject, cancel, examine, dispose; register's offline path too): where they
 * read what they need — the ledger online, files offline (./offline.ts) —
 * and what they print.
 */
import type { Command } from 'commander';
import { equalBytes } from '../src/bytes.js';
import { checkReceiverProof, RECEIVER_PROOF_MAX_BYTES } from '../src/custody/receiver-proof.js';
import type { ExhibitRecord } from '../src/custody/records.js';
import { CustodyError } from '../src/errors.js';
import type { Canonical } from '../src/format/canonical.js';
import type { DigestAlgorithm } from '../src/format/vocabulary.js';
import { systemClock } from '../src/ledger/clock.js';
import { type Composed, compose } from '../src/ledger/compose.js';
import type { LedgerView } from '../src/ledger/ledger-view.js';
import type { Submitted } from '../src/ledger/log-ledger.js';
import {
  exhibitShort,
  keyShort,
  type Open,
  type ReceiptJson,
  resolveExhibit,
  resolveKey,
  statementKeyId,
  submit,
  withLedger,
} from './context.js';
import { hashFile } from './evidence-input.js';
import { type Rehashed as Recomputed, rehashEvidence } from './evidence-recheck.js';
import { hex, type Output } from './io.js';
import { loadSigner, readInputFile } from './keys.js';
import {
  checkOfflineFlags,
  type OfflineOptions,
  type OfflinePlace,
  offlineKeyId,
  offlinePlace,
  writeStatementFile,
} from './offline.js';
import { type Party, partyOf, partyText } from './party.js';
import { HttpLedger, isLedgerUrl } from './remote.js';

/**
 * Where a command acting on an exhibit reads what it needs: the ledger
 * (online), or the files named with --offline (./offline.ts).
 */
export interface ActContext {
  online?: Open;
  place?: OfflinePlace;
  /** The evidence file, already hashed before the ledger was opened for the append. */
  rehashed?: Rehashed;
}

interface Rehashed {
  path: string;
  exhibit: Uint8Array;
  registered: Record<string, Uint8Array>;
  digests: Record<string, Uint8Array>;
}

const matches = (digests: Record<string, Uint8Array>, reg: Record<string, Uint8Array>) =>
  Object.entries(digests).every(([k, v]) => reg[k] !== undefined && hex(v) === hex(reg[k]));

/**
 * Online, a file to re-hash (accept/examine --file) is hashed with the ledger
 * closed, so a large image does not lock others out: a short open reads the
 * exhibit's registered algorithms (the simplest correct way: hashing with
 * every algorithm could cost several times as long), the ledger is closed,
 * the file hashed, and the ledger opened again for the append only.
 */
async function rehashOnline(out: Output, exhibitInput: string, path: string): Promise<Rehashed> {
  const { exhibit, body } = await withLedger(out.opts, async (l) => {
    const x = await resolveExhibit(l.view, exhibitInput);
    return { exhibit: x, body: (await l.view.registration(x)).statement.body };
  });
  const registered = body['digests'] as Record<string, Uint8Array>;
  // The registration says what the evidence is (a file, a folder, a segment set, a device).
  const { digests, differences } = await rehashEvidence(path, body, out, {
    ledger: out.opts.ledger,
    exhibit,
  });
  if (differences) out.note(`the folder differs from the registered one: ${differences}`);
  return { path, exhibit, registered, digests: digests as Record<string, Uint8Array> };
}

/**
 * Re-hashes the evidence file with every algorithm the exhibit was registered
 * with, and says whether it matches. Offline the registered digests are
 * known only when --after is the registration itself; otherwise the file is
 * hashed with SHA-256 and compared when the statement is verified.
 */
export async function recheck(
  c: ActContext,
  exhibit: Uint8Array,
  path: string,
  out: Output,
): Promise<{ digests: Record<string, Uint8Array>; match: boolean | undefined }> {
  const done = c.rehashed;
  if (done && done.path === path && equalBytes(done.exhibit, exhibit))
    return { digests: done.digests, match: matches(done.digests, done.registered) };
  const prev = c.place?.previous?.decoded;
  const body = c.online
    ? (await c.online.view.registration(exhibit)).statement.body
    : prev?.statement.kind === 'register' && equalBytes(prev.id, exhibit)
      ? prev.statement.body
      : undefined;
  const reg = body?.['digests'] as Record<string, Uint8Array> | undefined;
  // The registration says what the evidence is (a file, a folder, a segment set, a device).
  const { digests, differences }: Recomputed = body
    ? await rehashEvidence(path, body, out, { ledger: out.opts.ledger, exhibit })
    : await hashFile(path, ['sha256'] as DigestAlgorithm[], out);
  if (differences) out.note(`the folder differs from the registered one: ${differences}`);
  const match = reg
    ? Object.entries(digests).every(([k, v]) => hex(v as Uint8Array) === hex(reg[k]!))
    : undefined;
  return { digests: digests as Record<string, Uint8Array>, match };
}

/**
 * A receiver: by id or name through the ledger online, by full key id or
 * public key offline. `text` names them in full (./party.ts), `party` is what
 * is known: for an actor here its name, organisation and jurisdiction; for a
 * peer's actor its key id, origin and the jurisdiction its receiver proof shows.
 */
export async function receiverOf(
  c: ActContext,
  input: string,
  receiverProof?: string,
): Promise<{ id: Uint8Array | [string, Uint8Array]; text: string; party: Party }> {
  const found = (id: Uint8Array | [string, Uint8Array], party: Party) => ({
    id,
    text: partyText(party),
    party,
  });
  // An actor of a peer ledger: <origin>/<64-hex key id> (docs/FEDERATION.md §The protocol).
  const peer = /^(.+)\/([0-9a-f]{64})$/.exec(input);
  if (peer) {
    const [origin, keyHex] = [peer[1]!, peer[2]!];
    const key = Uint8Array.from(Buffer.from(keyHex, 'hex'));
    if (!c.online) return found([origin, key], { id: key, origin });
    const jurisdiction = await activeAtPeer(c.online.view, origin, keyHex, receiverProof);
    return found([origin, key], { id: key, origin, jurisdiction });
  }
  if (/^.+\/K-[0-9A-Z]{5}-[0-9A-Z]{5}$/i.test(input))
    throw new CustodyError(
      'USAGE',
      "name an actor of a peer ledger by its full key id: <origin>/<64 hex digits> (that ledger's `custody actor list --json` prints it as keyId)",
      'input',
    );
  if (!c.online) {
    const id = offlineKeyId(input, statementKeyId);
    return { id, text: keyShort(id), party: { id } };
  }
  const id = await resolveKey(c.online.view, input);
  return found(id, await partyOf(c.online.view, id));
}

/**
 * Before a hand-over to a peer's actor is signed: the peer's receiver proof (from its server, or
 * a file it handed over) shows the key active there, with a role that may hold, at a checkpoint
 * its recorded policy accepts. Returns the receiver's jurisdiction.
 */
async function activeAtPeer(
  view: LedgerView,
  origin: string,
  keyHex: string,
  file?: string,
): Promise<string> {
  const rec = await view.peer(origin);
  if (!rec)
    throw new CustodyError(
      'RECEIVER_FOREIGN',
      `${origin} is not a peer of this ledger (custody peer add)`,
      'custody',
    );
  let bytes: Uint8Array;
  if (file !== undefined) bytes = readInputFile(file, 'receiver proof', RECEIVER_PROOF_MAX_BYTES);
  else if (rec.url && isLedgerUrl(rec.url))
    bytes = await new HttpLedger(rec.url, undefined, undefined).receiverProof(keyHex);
  else
    throw new CustodyError(
      'RECEIVER_UNCHECKED',
      `no server URL is recorded for ${origin}: ask it for a receiver proof (custody peer receiver-proof) and give --receiver-proof`,
      'input',
    );
  const r = checkReceiverProof(bytes, rec.policy, origin, Uint8Array.from(Buffer.from(keyHex, 'hex')));
  if (!r.ok) throw new CustodyError(r.code, r.message, 'custody');
  return r.record.jurisdiction;
}

/** What an offline command prints: the file written, and how to append it. */
export function reportOffline(out: Output, file: string, c: Composed, exhibit: Uint8Array, kind: string) {
  out.result(
    {
      offline: file,
      id: hex(c.id),
      kind,
      origin: c.statement.origin,
      exhibit: exhibitShort(exhibit),
      exhibitId: hex(exhibit),
      time: new Date(c.statement.time).toISOString(),
    },
    () => {
      out.line(file);
      out.note(
        `signed ${kind} of ${exhibitShort(exhibit)} for ${c.statement.origin} into ${file}; nothing is recorded until: custody submit ${file}`,
      );
    },
  );
}

export function report(
  out: Output,
  s: Submitted,
  receipt: ReceiptJson,
  exhibit: Uint8Array,
  kind: string,
  what: string,
  extra: Record<string, unknown> = {},
) {
  out.result(
    {
      index: s.index,
      id: hex(s.id),
      exhibit: exhibitShort(exhibit),
      exhibitId: hex(exhibit),
      kind,
      receipt,
      ...extra,
    },
    () => out.line(`${what} (entry ${s.index})`),
  );
}

/**
 * Shared shape of commands acting on an existing exhibit: the statement is
 * linked to the exhibit's last chain statement (`after`, docs/FORMAT.md
 * §Identity and links), signed here and submitted with its openings, or
 * with --offline written to a statement file instead.
 */
export async function act(
  out: Output,
  o: ActOptions,
  exhibitInput: string,
  kind: string,
  fields: (c: ActContext, exhibit: Uint8Array) => Promise<Record<string, Canonical | undefined>>,
  say: (exhibit: string, before?: ExhibitRecord) => string,
  extra: (before?: ExhibitRecord) => Record<string, unknown> = () => ({}),
) {
  checkOfflineFlags(o);
  if (o.offline !== undefined) {
    // Files and names are read before the passphrase is asked for: a wrong --after or --to fails first.
    const place = offlinePlace(o, exhibitInput);
    const body = await fields({ place }, place.exhibit);
    const signer = await loadSigner(o.key, out);
    const composed = compose({
      kind,
      signer,
      origin: place.origin,
      clock: systemClock,
      fields: body,
      exhibit: place.exhibit,
      after: place.after,
    });
    writeStatementFile(o.offline, composed);
    reportOffline(out, o.offline, composed, place.exhibit, kind);
    return;
  }
  const signer = await loadSigner(o.key, out);
  const rehashed = o.file === undefined ? undefined : await rehashOnline(out, exhibitInput, o.file);
  await withLedger(out.opts, async (l) => {
    const exhibit = await resolveExhibit(l.view, exhibitInput);
    const rec = (await l.view.exhibit(exhibit))!;
    const { submitted, receipt } = await submit(l, {
      kind,
      signer,
      fields: await fields({ online: l, ...(rehashed ? { rehashed } : {}) }, exhibit),
      exhibit,
      after: rec.head,
    });
    report(out, submitted, receipt, exhibit, kind, say(exhibitShort(exhibit), rec), extra(rec));
  });
}

export interface ActOptions extends OfflineOptions {
  key: string;
  /** accept/examine: the evidence file to re-hash (hashed before the ledger is opened to append). */
  file?: string;
}

/** The options every appending command on an exhibit takes to sign offline. */
export function offlineOptions(c: Command): Command {
  return c
    .option(
      '--offline <file>',
      'sign without the ledger: write the statement to this file for custody submit',
    )
    .option('--after <statement file | id>', "with --offline: the exhibit's previous statement")
    .option('--origin <origin>', 'with --offline: the ledger the statement is for (when --after is an id)');
}
