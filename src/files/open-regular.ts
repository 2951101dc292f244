/**
 * Opening a file named by a user, safely (Node only; docs/THREAT-MODEL.md,
 * hostile input). A name can point at a FIFO (a read blocks for ever), a
 * device, a socket, or a symbolic link swapped between a check and the open.
 * So: lstat the name and refuse anything but a regular file (a symbolic link
 * too: name the file it points to); open it with O_NOFOLLOW (a link put there
 * since fails), O_NONBLOCK (a FIFO put there does not block the open) and
 * O_NOCTTY; fstat the open file and check it is the same regular file (device
 * and inode) that lstat saw. The size comes from that fstat, so callers can
 * compare it before reading a byte.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { CustodyError } from '../errors.js';

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

const unreadable = (message: string) => new CustodyError('FILE_UNREADABLE', message, 'input');

function kindOf(st: {
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isDirectory(): boolean;
}) {
  if (st.isSymbolicLink()) return 'a symbolic link (give the file it points to)';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

function checkBefore(path: string, what: string) {
  let l: ReturnType<typeof lstatSync>;
  try {
    l = lstatSync(path);
  } catch (e) {
    throw unreadable(`cannot read ${what}${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!l.isFile()) throw unreadable(`${what}${path} is ${kindOf(l)}`);
  return l;
}

function sameFile(
  path: string,
  what: string,
  l: { dev: number; ino: number },
  st: { dev: number; ino: number; isFile(): boolean },
) {
  if (!st.isFile() || st.dev !== l.dev || st.ino !== l.ino)
    throw new CustodyError('FILE_CHANGED', `${what}${path} changed while it was being opened`, 'input');
}

/** Opens a regular file for reading (promises API), with its size. `what` prefixes messages ("bundle "). */
export async function openRegularFile(path: string, what = '') {
  const l = checkBefore(path, what);
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, FLAGS);
  } catch (e) {
    throw unreadable(`cannot read ${what}${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const st = await fh.stat();
    sameFile(path, what, l, st);
    return { fh, size: st.size };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** The synchronous twin: a file descriptor and the size (the caller closes it). */
export function openRegularFileSync(path: string, what = ''): { fd: number; size: number } {
  const l = checkBefore(path, what);
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (e) {
    throw unreadable(`cannot read ${what}${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const st = fstatSync(fd);
    sameFile(path, what, l, st);
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
