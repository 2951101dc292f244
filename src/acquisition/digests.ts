/**
 * Reading hexadecimal digests out of a log and gathering them, so that every parser refuses
 * the same things the same way (docs/ACQUISITION-LOGS.md §Digests): a value that is not hex
 * or has the wrong length, and two different values for one digest.
 */
import { equalBytes } from '../bytes.js';
import { DIGEST_BYTES, type DigestName, type Digests, type LogFormat, logInvalid } from './reported.js';

/** How a digest is named in messages: as the tools print it. */
export const DIGEST_LABEL: Readonly<Record<DigestName, string>> = Object.freeze({
  md5: 'MD5',
  sha1: 'SHA1',
  sha256: 'SHA256',
  sha512: 'SHA512',
});

/** The bytes of a hex digest of `bytes` bytes (either case), or a refusal naming the line. */
export function hexDigest(
  format: LogFormat,
  line: number,
  label: string,
  hex: string,
  bytes: number,
): Uint8Array {
  if (hex.length !== 2 * bytes) {
    if (hex.length === 0 || !/^[0-9A-Fa-f]*$/.test(hex))
      throw logInvalid(format, line, `the ${label} value is not hexadecimal`);
    throw logInvalid(format, line, `the ${label} value has ${hex.length} hex digits, expected ${2 * bytes}`);
  }
  const out = take(bytes);
  for (let i = 0; i < bytes; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw logInvalid(format, line, `the ${label} value is not hexadecimal`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** The value of a hex digit's char code, or -1. */
function nibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * Digests are cut from shared 64 KiB blocks: a hashdeep file of 64 MiB lists about half a
 * million files, and one ArrayBuffer per digest made parsing it mostly garbage collection.
 * Each digest is its own disjoint view; a block lives as long as any digest cut from it.
 */
const BLOCK = 65_536;
let block = new Uint8Array(0);
let used = 0;

function take(n: number): Uint8Array {
  if (used + n > block.length) {
    block = new Uint8Array(BLOCK);
    used = 0;
  }
  const out = block.subarray(used, used + n);
  used += n;
  return out;
}

/**
 * The digests of one thing (the media, or what a verification computed), each kept with the
 * line it came from. A repeated digest with the same value is accepted (some logs print a
 * value twice); with another value the log contradicts itself and is refused.
 */
export class DigestCollector {
  private readonly found = new Map<DigestName, { value: Uint8Array; line: number }>();

  constructor(
    private readonly format: LogFormat,
    /** What the digests are of, for messages ("media", "verification"). */
    private readonly what: string,
  ) {}

  add(name: DigestName, hex: string, line: number): void {
    const value = hexDigest(this.format, line, DIGEST_LABEL[name], hex, DIGEST_BYTES[name]);
    const before = this.found.get(name);
    if (before === undefined) this.found.set(name, { value, line });
    else if (!equalBytes(before.value, value))
      throw logInvalid(
        this.format,
        line,
        `a second ${this.what} ${DIGEST_LABEL[name]} value differs from the one on line ${before.line}`,
      );
  }

  get(name: DigestName): Uint8Array | undefined {
    return this.found.get(name)?.value;
  }

  get size(): number {
    return this.found.size;
  }

  digests(): Digests {
    const out: Digests = {};
    for (const [name, { value }] of this.found) out[name] = value;
    return out;
  }
}
