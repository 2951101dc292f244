/**
 * Cross-check with Go's reference signed-note implementation,
 * golang.org/x/mod/sumdb/note (Debian's golang-golang-x-mod-dev, built in
 * GOPATH mode from /usr/share/gocode with GO111MODULE=off: no module proxy,
 * no network), of a dual-signed checkpoint: a tlog-checkpoint note carrying
 *
 *   (a) the log's Ed25519 signed-note line (key name = origin, type 0x01), and
 *   (b) an ML-DSA-44 `subtree/v1` cosignature line by the log itself under the
 *       same name (c2sp.org/tlog-cosignature, type 0x06).
 *
 * Go's note.Open, given only the Ed25519 vkey, must accept the note and return
 * its text (the 0x06 line is a signature by an unknown key, which
 * signed-note §Signatures says to ignore), and must reject the note when one
 * byte of the Ed25519 signature is flipped. The Go side is
 * test/checkpoint/go-note/main.go, run with `go run` and a GOCACHE in a
 * temporary directory. With Debian's Go 1.19 (which ships a precompiled
 * standard library) a cold run takes about a second; a Go that builds the
 * standard library into the empty GOCACHE takes some 20 s, hence the timeouts.
 *
 * Go is a hard requirement, like the rest of `npm test`'s Debian packages:
 * .ci/run installs golang-go and golang-golang-x-mod-dev when missing, and
 * this file fails (it does not skip) without them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckpoint } from '../../src/checkpoint/checkpoint.js';
import {
  formatMlDsaCosignerVkey,
  mlDsaCosignatureVerifier,
  signMlDsaCosignature,
} from '../../src/checkpoint/cosignature-mldsa.js';
import {
  ed25519NoteVerifier,
  formatNote,
  formatSignatureLine,
  formatVkey,
  parseSignatureLine,
  signNoteLine,
  verifyNote,
} from '../../src/checkpoint/note.js';
import { mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { LOG_ORIGIN, leaves, logSigner, mth, seed } from './helpers.js';

const GOPATH = '/usr/share/gocode';
const NOTE_PKG = join(GOPATH, 'src/golang.org/x/mod/sumdb/note');
const MAIN_GO = fileURLToPath(new URL('./go-note/main.go', import.meta.url));
/** A cold `go run` that compiles the standard library into an empty GOCACHE takes ~20 s; room for a slow runner. */
const GO_TIMEOUT_MS = 240_000;

const logMlDsa = mlDsa44SignerFromSeed(seed(101));
const TIMESTAMP = 1_700_000_000;

const text = formatCheckpoint({ origin: LOG_ORIGIN, size: 7, root: mth(leaves.slice(0, 7)) });
const edLine = signNoteLine(text, LOG_ORIGIN, logSigner);
const mlLine = signMlDsaCosignature(text, LOG_ORIGIN, logMlDsa, TIMESTAMP, { mode: 'deterministic' });
const dualNote = formatNote(text, [edLine, mlLine]);

/** The Ed25519 line with one byte of the signature itself (not the key ID) flipped. */
function flipSignatureByte(line: string): string {
  const sig = parseSignatureLine(line);
  const bad = sig.signature.slice();
  bad[17] = bad[17]! ^ 0x01;
  return formatSignatureLine(sig.name, sig.keyId, bad);
}
const flippedNote = formatNote(text, [flipSignatureByte(edLine), mlLine]);

let dir = '';

interface GoResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `go run main.go <vkey file> <note file>` in GOPATH mode against Debian's x/mod. */
function goNote(vkey: string, note: string, label: string): GoResult {
  const vkeyFile = join(dir, `${label}.vkey`);
  const noteFile = join(dir, `${label}.note`);
  writeFileSync(vkeyFile, `${vkey}\n`);
  writeFileSync(noteFile, note);
  const r = spawnSync('go', ['run', MAIN_GO, vkeyFile, noteFile], {
    encoding: 'utf8',
    timeout: GO_TIMEOUT_MS,
    env: {
      ...process.env,
      GOPATH,
      GO111MODULE: 'off',
      GOCACHE: join(dir, 'gocache'),
      GOTMPDIR: dir,
      GOENV: 'off',
      GOFLAGS: '',
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
    },
  });
  if (r.error) throw new Error(`go run failed to start or timed out: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      'Go is required for this cross-check: apt-get install golang-go golang-golang-x-mod-dev (.ci/run does)',
    );
  }
  if (!existsSync(join(NOTE_PKG, 'note.go'))) {
    throw new Error(`${NOTE_PKG} is missing: apt-get install golang-golang-x-mod-dev (.ci/run does)`);
  }
  dir = mkdtempSync(join(tmpdir(), 'custody-go-note-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("dual-signed checkpoint against Go's golang.org/x/mod/sumdb/note", () => {
  it('the note is what it claims in TS: both lines verify under the same name', () => {
    expect(parseSignatureLine(edLine).name).toBe(LOG_ORIGIN);
    expect(parseSignatureLine(mlLine).name).toBe(LOG_ORIGIN);
    const { verified } = verifyNote(dualNote, [
      ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey),
      mlDsaCosignatureVerifier(LOG_ORIGIN, logMlDsa.publicKey),
    ]);
    expect(verified.map((v) => v.type)).toEqual([0x01, 0x06]);
  });

  it(
    'note.Open with the Ed25519 vkey accepts it, returns the text and ignores the 0x06 line',
    () => {
      const r = goNote(formatVkey(LOG_ORIGIN, logSigner.publicKey), dualNote, 'dual');
      expect(r.stderr).toContain('verified 1, unverified 1');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(text);
    },
    GO_TIMEOUT_MS,
  );

  it(
    'note.Open rejects the note with one byte of the Ed25519 signature flipped',
    () => {
      const r = goNote(formatVkey(LOG_ORIGIN, logSigner.publicKey), flippedNote, 'flipped');
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('note.Open: *note.InvalidSignatureError');
      expect(r.stderr).toContain('exit status 1');
      expect(r.stdout).toBe('');
    },
    GO_TIMEOUT_MS,
  );

  it(
    'Go has no 0x06 verifier: the ML-DSA-44 vkey is refused by note.NewVerifier',
    () => {
      const r = goNote(formatMlDsaCosignerVkey(LOG_ORIGIN, logMlDsa.publicKey), dualNote, 'mldsa-vkey');
      // `go run` exits 1 whatever the program's status, and reports that status on stderr.
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('vkey: ');
      expect(r.stderr).toContain('exit status 2');
      expect(r.stdout).toBe('');
    },
    GO_TIMEOUT_MS,
  );
});
