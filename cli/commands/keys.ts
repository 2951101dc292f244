/** custody key new | show */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { randomSeed } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import {
  encryptKeyFile,
  KEY_FILE_TYPES,
  type KeyFileType,
  readKeyFileHeader,
} from '../../src/keys/keyfile.js';
import { b64, hex, type Output } from '../io.js';
import { readTextFile } from '../keys.js';
import { getPassphrase } from '../passphrase.js';
import type { Runner } from '../program.js';

export function keyCommands(program: Command, run: Runner) {
  const key = program
    .command('key')
    .description('create and inspect Ed25519 and ML-DSA-44 key files (encrypted at rest)');
  run(
    key
      .command('new')
      .description('create a new key pair in an encrypted key file (mode 0600)')
      .requiredOption(
        '--name <display name>',
        'who the key belongs to, e.g. "J. de Vries, Politie Amsterdam"',
      )
      .requiredOption('--out <file>', 'key file to create (never overwritten)')
      .option(
        '--type <type>',
        'ed25519 (any key; the only type that signs statements) or ml-dsa-44 (a witness key)',
        'ed25519',
      ),
    async (o: { name: string; out: string; type: string }, out: Output) => {
      if (!(KEY_FILE_TYPES as readonly string[]).includes(o.type))
        throw new CustodyError('USAGE', `--type must be one of ${KEY_FILE_TYPES.join(', ')}`, 'input');
      const type = o.type as KeyFileType;
      // Fail before asking for a passphrase (the write below refuses to overwrite too).
      if (existsSync(o.out))
        throw new CustodyError(
          'FILE_EXISTS',
          `${o.out} already exists; refusing to overwrite a key file`,
          'input',
        );
      const passphrase = await getPassphrase(`New passphrase for ${o.out}: `, out.opts.passphraseFile, true);
      const seed = randomSeed();
      const text = encryptKeyFile({ name: o.name, seed, passphrase, type });
      seed.fill(0);
      const { publicKey, keyId } = readKeyFileHeader(text);
      try {
        writeFileSync(o.out, text, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CustodyError(
          code === 'EEXIST' ? 'FILE_EXISTS' : 'FILE_UNWRITABLE',
          code === 'EEXIST'
            ? `${o.out} already exists; refusing to overwrite a key file`
            : `cannot write ${o.out}: ${code}`,
          'input',
        );
      }
      // Ed25519 results keep their fields; an ML-DSA-44 one names its type.
      const typed = type === 'ed25519' ? {} : { type };
      out.result({ keyId, publicKey: b64(publicKey), name: o.name, file: o.out, ...typed }, () => {
        if (type !== 'ed25519') out.line(`type:       ${type}`);
        out.line(`key id:     ${keyId}`);
        out.line(`public key: ${b64(publicKey)}`);
        out.note(
          type === 'ed25519'
            ? `wrote ${o.out} (encrypted, mode 0600). Give the public key to the ledger authority to be enrolled.`
            : `wrote ${o.out} (encrypted, mode 0600). A witness key: custody witness vkey prints what verifiers need.`,
        );
      });
    },
  );
  run(
    key
      .command('show')
      .description('show the key id and public key of a key file (never the private key)')
      .argument('<file>', 'key file'),
    async (file: string, _o: unknown, out: Output) => {
      const h = readKeyFileHeader(readTextFile(file, 'key file', 64 << 10));
      out.result(
        {
          type: h.type,
          keyId: h.keyId,
          publicKey: b64(h.publicKey),
          publicKeyHex: hex(h.publicKey),
          name: h.name,
        },
        () => {
          out.line(`name:       ${h.name}`);
          out.line(`type:       ${h.type}`);
          out.line(`key id:     ${h.keyId}`);
          out.line(`public key: ${b64(h.publicKey)}`);
          // 2,624 hex digits for ML-DSA-44: left to --json.
          if (h.type === 'ed25519') out.line(`       hex: ${hex(h.publicKey)}`);
        },
      );
    },
  );
}
