/**
 * Access to a ledger server (docs/SERVER.md §Authentication, §The access log):
 *   custody key new-access --name … --out <file>     an access key file (unencrypted, mode 0600)
 *   custody actor add-access-key <actor> --key … --public-key …   enrols it for an actor
 *   custody access-log [--file <file>]               the access log, its chain checked
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { toHex } from '../../src/bytes.js';
import { randomSeed, signerFromSeed } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { verifyAccessLog } from '../../src/ledger/access-log.js';
import { ACCESS_KEY_FORMAT, formatAccessKey, readAccessKey, writeAccessKey } from '../access-key.js';
import { keyShort, resolveKey, submit, withLedger } from '../context.js';
import { readTextFile } from '../files.js';
import { b64, hex, type Output } from '../io.js';
import { loadSigner, parsePublicKey } from '../keys.js';
import { isPostgresUrl, sharedLedgerRefused } from '../pg-ledger.js';
import type { Runner } from '../program.js';
import { HttpLedger, isLedgerUrl } from '../remote.js';
import { governance } from './admin.js';

export function accessCommands(program: Command, run: Runner) {
  const key = program.commands.find((c) => c.name() === 'key')!;
  run(
    key
      .command('new-access')
      .description('create an access key file: it signs reads from a ledger server (unencrypted, mode 0600)')
      .requiredOption('--name <display name>', 'whose workstation it is')
      .requiredOption('--out <file>', 'access key file to create (never overwritten)'),
    async (o: { name: string; out: string }, out: Output) => {
      if (!/^[^\n\r]{1,200}$/.test(o.name))
        throw new CustodyError('USAGE', '--name must be one line of 1 to 200 characters', 'input');
      const seed = randomSeed();
      const text = formatAccessKey(o.name, seed);
      const { publicKey } = signerFromSeed(seed);
      seed.fill(0);
      writeAccessKey(o.out, text);
      const keyId = toHex(keyIdOf({ type: KEY_TYPES.ed25519, publicKey }, KEY_PURPOSES.access));
      out.result({ keyId, publicKey: b64(publicKey), file: o.out }, () => {
        out.line(`access key id: ${keyId}`);
        out.line(`public key:    ${b64(publicKey)}`);
        out.note(
          `wrote ${o.out} (mode 0600). A registrar enrols it: custody actor add-access-key <you> --public-key …`,
        );
      });
    },
  );

  const actor = program.commands.find((c) => c.name() === 'actor')!;
  run(
    actor
      .command('add-access-key')
      .description("enrol an access key for an actor: it signs the actor's reads from a ledger server")
      .argument('<actor>', 'key id (K-…) or unique name of the actor')
      .requiredOption('--key <key file>', 'key file of the authority or a registrar')
      .requiredOption('--public-key <base64 | hex | access key file>', 'the access key'),
    async (who: string, o: { key: string; publicKey: string }, out: Output) => {
      const publicKey = isAccessKeyFile(o.publicKey)
        ? readAccessKey(o.publicKey).publicKey
        : parsePublicKey(o.publicKey);
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (l) => {
        const actorId = await resolveKey(l.view, who);
        const rec = await l.view.key(actorId);
        const named = (await l.view.actors()).find((a) => toHex(a.id) === toHex(actorId));
        if (!rec || !named)
          throw new CustodyError('ACTOR_UNKNOWN', `${who} is not an enrolled actor`, 'input');
        const { submitted, receipt } = await submit(l, {
          kind: 'enrol',
          signer,
          fields: {
            key: [KEY_TYPES.ed25519, publicKey],
            purpose: KEY_PURPOSES.access,
            roles: [],
            jurisdiction: rec.jurisdiction,
            name: named.name,
            org: named.org,
            actor: actorId,
          },
          ...(await governance(l)),
        });
        const keyId = toHex(keyIdOf({ type: KEY_TYPES.ed25519, publicKey }, KEY_PURPOSES.access));
        out.result(
          {
            accessKey: keyId,
            actor: keyShort(actorId),
            index: submitted.index,
            id: hex(submitted.id),
            receipt,
          },
          () =>
            out.line(
              `enrolled access key ${keyId.slice(0, 16)}… for ${named.name} (${keyShort(actorId)}) at entry ${submitted.index}`,
            ),
        );
      });
    },
  );

  run(
    program
      .command('access-log')
      .description("read a ledger server's access log, its hash chain checked (data-protection role)")
      .option('--file <file>', 'the access log file (on the server: <ledger>.access-log)'),
    async (o: { file?: string }, out: Output) => {
      let text: string;
      if (o.file) text = readTextFile(o.file, 'access log', 1 << 30);
      else if (isLedgerUrl(out.opts.ledger)) {
        if (!out.opts.accessKey)
          throw new CustodyError('USAGE', 'reading the access log of a server needs --access-key', 'input');
        const server = new HttpLedger(
          out.opts.ledger,
          { signer: readAccessKey(out.opts.accessKey) },
          out.opts.purpose,
        );
        text = new TextDecoder().decode(await server.request('GET', 'v1/access-log', { signed: true }));
      } else if (isPostgresUrl(out.opts.ledger))
        throw sharedLedgerRefused(out.opts.ledger, 'custody access-log');
      else text = readTextFile(`${out.opts.ledger.replace(/\/+$/, '')}.access-log`, 'access log', 1 << 30);
      const records = verifyAccessLog(text);
      const head = records[records.length - 1]?.hash ?? null;
      out.result({ records, head }, () => {
        for (const r of records)
          out.line(
            `${r.time}  ${r.actor ? `actor ${r.actor.slice(0, 16)}…` : `reader ${r.name ?? '?'}`}  ${r.what}${r.purpose ? `  purpose: ${r.purpose}` : ''}`,
          );
        out.note(`${records.length} reads; chain intact; head ${head ?? '(empty)'}`);
      });
    },
  );
}

function isAccessKeyFile(arg: string): boolean {
  try {
    return existsSync(arg) && readFileSync(arg, 'utf8').startsWith(ACCESS_KEY_FORMAT);
  } catch {
    return false;
  }
}
