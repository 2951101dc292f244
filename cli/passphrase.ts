/**
 * Where a key file's passphrase comes from, in this order:
 *   1. --passphrase-file <file> (first line, without its line break),
 *   2. $CUSTODY_PASSPHRASE,
 *   3. an interactive prompt on the terminal (not echoed).
 * The passphrase is never printed, logged or put into an error message.
 */

import { CustodyError } from '../src/errors.js';
import { readTextFile } from './files.js';

export async function getPassphrase(
  prompt: string,
  passphraseFile: string | undefined,
  confirm = false,
): Promise<string> {
  if (passphraseFile) {
    let text: string;
    try {
      text = readTextFile(passphraseFile, 'passphrase file', 64 << 10);
    } catch (e) {
      const why = e instanceof CustodyError ? e.message : 'error';
      throw new CustodyError('PASSPHRASE_FILE_UNREADABLE', why, 'input');
    }
    const first = text.split(/\r?\n/, 1)[0] ?? '';
    if (!first)
      throw new CustodyError('PASSPHRASE_EMPTY', `passphrase file ${passphraseFile} is empty`, 'input');
    return first;
  }
  const env = process.env['CUSTODY_PASSPHRASE'];
  if (env !== undefined) {
    if (!env) throw new CustodyError('PASSPHRASE_EMPTY', 'CUSTODY_PASSPHRASE is set but empty', 'input');
    return env;
  }
  if (!process.stdin.isTTY || !process.stderr.isTTY)
    throw new CustodyError(
      'PASSPHRASE_MISSING',
      'no passphrase: set CUSTODY_PASSPHRASE, use --passphrase-file, or run in a terminal',
      'input',
    );
  const first = await promptHidden(prompt);
  if (!first) throw new CustodyError('PASSPHRASE_EMPTY', 'the passphrase must not be empty', 'input');
  if (confirm && (await promptHidden('Repeat passphrase: ')) !== first)
    throw new CustodyError('PASSPHRASE_MISMATCH', 'the two passphrases differ', 'input');
  return first;
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CustodyError('PASSPHRASE_ABORTED', 'interrupted', 'input'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
