/**
 * The access log's file beside the ledger (src/ledger/access-log.ts holds its
 * format). Records are appended in order and synced before the read they
 * record is answered, several at a time when requests arrive together. A line
 * torn by a crash (no final newline) belongs to a read that was never
 * answered, so it is cut off when the file is opened; a chain broken anywhere
 * else stops the server from starting (ACCESS_LOG_BROKEN), for a person to
 * look at.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import {
  type AccessFields,
  type AccessRecord,
  nextAccessLine,
  verifyAccessLog,
} from '../../src/ledger/access-log.js';

export class AccessLogFile {
  #last: AccessRecord | undefined;
  #pending: { line: string; done: () => void; fail: (e: unknown) => void }[] = [];
  #flushing = false;

  private constructor(
    readonly path: string,
    last: AccessRecord | undefined,
  ) {
    this.#last = last;
  }

  static open(path: string): AccessLogFile {
    if (!existsSync(path)) return new AccessLogFile(path, undefined);
    let text = readFileSync(path, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) {
      const keep = text.lastIndexOf('\n') + 1;
      truncateSync(path, Buffer.byteLength(text.slice(0, keep)));
      text = text.slice(0, keep);
    }
    const records = verifyAccessLog(text);
    return new AccessLogFile(path, records[records.length - 1]);
  }

  /** Appends a record; resolves once it is on disk. */
  append(f: AccessFields): Promise<void> {
    const { record, line } = nextAccessLine(this.#last, f);
    this.#last = record;
    return new Promise((done, fail) => {
      this.#pending.push({ line, done, fail });
      if (!this.#flushing) setImmediate(() => this.#flush());
      this.#flushing = true;
    });
  }

  #flush(): void {
    const batch = this.#pending;
    this.#pending = [];
    try {
      const fd = openSync(this.path, 'a', 0o600);
      try {
        writeSync(fd, batch.map((b) => `${b.line}\n`).join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      for (const b of batch) b.done();
    } catch (e) {
      for (const b of batch) b.fail(e);
    }
    if (this.#pending.length > 0) setImmediate(() => this.#flush());
    else this.#flushing = false;
  }
}
