/** Reading files named on the command line: bounded, regular files only. */
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { CustodyError } from '../src/errors.js';

/** Reads a file given on the command line, refusing anything larger than `maxBytes`. */
export function readInputFile(path: string, what: string, maxBytes: number, code = 'FILE_TOO_LARGE'): Buffer {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new CustodyError(
      'FILE_UNREADABLE',
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      'input',
    );
  }
  // A FIFO or device would block or never end; only regular files are read (stdin is '-' where allowed).
  if (!st.isFile() && path !== '/dev/stdin')
    throw new CustodyError('FILE_UNREADABLE', `${what} ${path} is not a regular file`, 'input');
  if (st.size > maxBytes)
    throw new CustodyError(code, `${what} ${path} is larger than ${maxBytes} bytes`, 'input');
  return readFileSync(path);
}

export const readTextFile = (path: string, what: string, maxBytes = 1 << 20): string =>
  readInputFile(path, what, maxBytes).toString('utf8');

/** Standard input as text, up to `maxBytes` (for '-' arguments); works for pipes, files and sockets. */
export async function readStdinText(what: string, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    total += b.length;
    if (total > maxBytes)
      throw new CustodyError(
        'FILE_TOO_LARGE',
        `${what} on standard input is larger than ${maxBytes} bytes`,
        'input',
      );
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A new file staged beside its name: written to a temporary file and synced,
 * then `commit()` links it to its name (whole or not at all, never over an
 * existing file: EEXIST is `existsCode`) and `abort()` removes it. For outputs
 * that must not appear before something else succeeded (an export appears
 * only once its disclosure is recorded).
 */
export function stageNewFile(
  path: string,
  bytes: Uint8Array,
  existsCode = 'FILE_EXISTS',
): { commit(): void; abort(): void } {
  const unwritable = (e: unknown) =>
    new CustodyError(
      'FILE_UNWRITABLE',
      `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      'input',
    );
  if (existsSync(path))
    throw new CustodyError(
      existsCode,
      `${path} exists; choose another name (it is never overwritten)`,
      'input',
    );
  const tmp = `${path}.${process.pid}.tmp`;
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', 0o600);
  } catch (e) {
    throw unwritable(e);
  }
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw unwritable(e);
  }
  closeSync(fd);
  return {
    commit() {
      try {
        linkSync(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST')
          throw new CustodyError(
            existsCode,
            `${path} exists; choose another name (it is never overwritten)`,
            'input',
          );
        throw unwritable(e);
      } finally {
        rmSync(tmp, { force: true });
      }
    },
    abort() {
      rmSync(tmp, { force: true });
    },
  };
}
