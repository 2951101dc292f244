/** Reading files named on the command line: bounded, regular files only. */
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { CustodyError, type CustodyErrorCode } from '../src/errors.js';
import { openRegularFileSync } from '../src/files/open-regular.js';

/**
 * Reads a file given on the command line, refusing anything larger than
 * `maxBytes`: a regular file only (src/files/open-regular.ts: no FIFO,
 * device, socket or symbolic link), its size checked before it is read, and
 * the read itself capped in case it grows. `/dev/stdin` is read as a stream,
 * capped the same way (a pipe has no size to check first).
 */
export function readInputFile(
  path: string,
  what: string,
  maxBytes: number,
  code: CustodyErrorCode = 'FILE_TOO_LARGE',
): Buffer {
  const tooLarge = () => new CustodyError(code, `${what} ${path} is larger than ${maxBytes} bytes`, 'input');
  let fd: number;
  // Standard input may be a pipe, a file or a socket (Node's child processes): read fd 0 itself.
  const stdin = path === '/dev/stdin';
  if (stdin) {
    fd = 0;
  } else {
    const f = openRegularFileSync(path, `${what} `);
    fd = f.fd;
    if (f.size > maxBytes) {
      closeSync(fd);
      throw tooLarge();
    }
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(64 << 10);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A non-blocking stdin with nothing yet: wait a little, synchronously, and read again.
        if (stdin && code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
          continue;
        }
        if (stdin && code === 'EOF') n = 0;
        else
          throw new CustodyError(
            'FILE_UNREADABLE',
            `reading ${what} ${path} failed: ${code ?? 'error'}`,
            'input',
          );
      }
      if (n === 0) return Buffer.concat(chunks, total);
      total += n;
      if (total > maxBytes) throw tooLarge();
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
  } finally {
    if (!stdin) closeSync(fd);
  }
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
  existsCode: CustodyErrorCode = 'FILE_EXISTS',
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

/** Writes a whole file or nothing (temporary file, fsync, rename), mode 0600: a witness's, auditor's or client's state. */
export function writeAtomically(path: string, text: string) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode: 0o600 });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}
