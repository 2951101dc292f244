/**
 * Where the server keeps the last checkpoint it signed, outside the ledger
 * directory (docs/SERVER.md §Never two histories): two slot files, `<path>`
 * and `<path>.alt`, written in turn, each in place and synced (fdatasync)
 * before any append the checkpoint covers is acknowledged. A write torn by a
 * power cut spoils one slot at most; the other still holds the checkpoint
 * signed just before. On start, the newer of the slots that parse is the last
 * signed checkpoint; the ledger host then checks its signature and that the
 * store extends it (src/ledger/signing-guard.ts).
 *
 * One sync per signing, no new file, no rename: signing happens once per
 * group-committed batch, so this is on the append path.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { parseNote } from '../../src/checkpoint/note.js';
import { CustodyError } from '../../src/errors.js';

export class SignedCheckpointFile {
  readonly #fds: [number, number];
  /** The slot the next write goes to. */
  #next: 0 | 1;

  private constructor(fds: [number, number], next: 0 | 1) {
    this.#fds = fds;
    this.#next = next;
  }

  /** The slot files of `path`. */
  static slots(path: string): [string, string] {
    return [path, `${path}.alt`];
  }

  /** The newest checkpoint note kept in either slot (undefined when none parses). */
  static read(path: string): string | undefined {
    return newest(path)?.note;
  }

  static open(path: string): SignedCheckpointFile {
    const slots = SignedCheckpointFile.slots(path);
    const n = newest(path);
    const fds = slots.map((p) => openSync(p, existsSync(p) ? 'r+' : 'w+', 0o600)) as [number, number];
    // Write over the older slot first: the newest stays until the next one is synced.
    return new SignedCheckpointFile(fds, n?.slot === 0 ? 1 : 0);
  }

  write(note: string): void {
    const fd = this.#fds[this.#next];
    const bytes = Buffer.from(note, 'utf8');
    writeSync(fd, bytes, 0, bytes.length, 0);
    ftruncateSync(fd, bytes.length);
    fdatasyncSync(fd);
    this.#next = this.#next === 0 ? 1 : 0;
  }

  close(): void {
    for (const fd of this.#fds) closeSync(fd);
  }
}

/**
 * The newer slot that parses. Slots that hold something but none that parses
 * is SIGNED_STATE_INVALID: without it the server could not tell a restored
 * store, so it does not start (a person moves the files aside on purpose).
 */
function newest(path: string): { note: string; slot: 0 | 1 } | undefined {
  let best: { note: string; slot: 0 | 1; size: number } | undefined;
  let damaged = false;
  SignedCheckpointFile.slots(path).forEach((p, i) => {
    if (!existsSync(p)) return;
    const note = readFileSync(p, 'utf8');
    if (note === '') return;
    try {
      const size = parseCheckpoint(parseNote(note).text).size;
      if (!best || size > best.size) best = { note, slot: i as 0 | 1, size };
    } catch {
      damaged = true; // torn: the other slot counts
    }
  });
  if (!best && damaged)
    throw new CustodyError(
      'SIGNED_STATE_INVALID',
      `${path}: the last signed checkpoint cannot be read; see docs/SERVER.md §Never two histories`,
      'unavailable',
    );
  return best && { note: best.note, slot: best.slot };
}
