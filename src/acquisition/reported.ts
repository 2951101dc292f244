/**
 * What an acquisition tool's log reports (docs/ACQUISITION-LOGS.md): the tool, its version
 * and the digests it printed, for `custody register --import-log`. The parsers only read;
 * nothing here is trusted as proof: a log is the tool's claim, recorded as "digests reported
 * by <tool> <version>", which the caller may check by hashing the evidence again.
 */
import { CustodyError } from '../errors.js';

export type AcquisitionTool = 'ewfacquire' | 'ewfverify' | 'ftk-imager' | 'guymager' | 'hashdeep';

/** The digests a log may report and the record keeps. */
export type DigestName = 'md5' | 'sha1' | 'sha256' | 'sha512';

export type Digests = Partial<Record<DigestName, Uint8Array>>;

/** Bytes of each digest: a value of another length is refused, never truncated or padded. */
export const DIGEST_BYTES: Readonly<Record<DigestName, number>> = Object.freeze({
  md5: 16,
  sha1: 20,
  sha256: 32,
  sha512: 64,
});

/** One file a hashdeep file lists: its path exactly as written, its size and its digests. */
export interface ReportedFile {
  path: string;
  size: number;
  digests: Digests;
}

/**
 * Device facts a log states. The serial number is a personal-data identifier (it ties the
 * evidence to a person's device): the caller commits to it, never stores it in clear.
 */
export interface ReportedDevice {
  model?: string;
  serial?: string;
  /** Bytes. */
  size?: number;
}

export interface ReportedDigests {
  tool: AcquisitionTool;
  /** The version as the log states it; never empty (a log without one is refused). */
  version: string;
  /** Digests of the acquired media as the tool reported them; empty only for hashdeep. */
  media: Digests;
  /** The tool's own verification outcome where the log states one. */
  verification?: 'verified' | 'failed';
  /** Segment (image) file names as the log lists them (FTK Imager, Guymager). */
  segments?: string[];
  /** hashdeep: every listed file, in the file's order. */
  files?: ReportedFile[];
  /** Device facts the log states (ewfacquire, FTK Imager, Guymager). */
  device?: ReportedDevice;
}

/**
 * A version as a log may state it: a short token of letters, digits and . + ~ _ -, so that it
 * can be shown and recorded as written ("20140608", "4.7.1.2", "0.8.13-1", "HASHDEEP-1.0").
 */
export const VERSION_TOKEN = /^[0-9A-Za-z][0-9A-Za-z.+~_-]{0,63}$/;

/** How each format is named in messages. */
export type LogFormat =
  | 'acquisition log'
  | 'ewfacquire output'
  | 'ewfverify output'
  | 'FTK Imager report'
  | 'Guymager .info file'
  | 'hashdeep file';

/**
 * The one error every refusal raises: one line naming the format, the line (1-based, counting
 * every line of the file) when there is one, and what is wrong. Nothing of the input is quoted
 * but short, already-checked tokens, so the message stays one line whatever the file holds.
 */
export function logInvalid(format: LogFormat, line: number | undefined, what: string): CustodyError {
  const where = line === undefined ? format : `${format}, line ${line}`;
  return new CustodyError('ACQUISITION_LOG_INVALID', `${where}: ${what}`, 'input', {
    format,
    ...(line === undefined ? {} : { line }),
  });
}
