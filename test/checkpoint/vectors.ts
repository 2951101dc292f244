/**
 * Known-answer vectors from public code, kept verbatim.
 *
 * Signed notes of Go's reference implementation: golang.org/x/mod
 * sumdb/note/note_test.go (TestSign, TestOpen, TestNewVerifier).
 *
 * Sigsum test log checkpoints (Ed25519 note signatures, type 0x01) and the
 * consistency proofs between them: FiloSottile/torchwood
 * internal/witness/witness_test.go (TestRace), whose Go witness accepts them;
 * and cmd/litewitness/testdata/multi-cosigs-ed25519.txt.
 * The tree's leaf hashes are 0x2a || i || 0^30 (i = 0, 1, 2, ...).
 */
import { fromBase64, fromHex } from '../../src/bytes.js';

// --- golang.org/x/mod/sumdb/note/note_test.go -------------------------------
export const PETER_SKEY_B64 = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz'; // from "PRIVATE+KEY+PeterNeumann+c74f20a3+..."
export const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
export const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
export const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
export const PETER_SIG =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
export const ENOCH_SIG =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

// --- FiloSottile/torchwood internal/witness/witness_test.go ---------------------
export const SIGSUM_PK = fromHex('ffdc2d4d98e4124d3feaf788c0c2f9abfd796083d1f0495437f302ec79cf100f')!;
export const SIGSUM_ORIGIN =
  'sigsum.org/v1/tree/4d6d8825a6bb689d459628312889dfbb0bcd41b5211d9e1ce768b0ff0309e562';
export const SIGSUM_CP1 = `${SIGSUM_ORIGIN}
1
KgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=

\u2014 ${SIGSUM_ORIGIN} UgIom7fPZTqpxWWhyjWduBvTvGVqsokMbqTArsQilegKoFBJQjUFAmQ0+YeSPM3wfUQMFSzVnnNuWRTYrajXpNUbIQY=
`;
export const SIGSUM_CP3 = `${SIGSUM_ORIGIN}
3
RcCI1Nk56ZcSmIEfIn0SleqtV7uvrlXNccFx595Iwl0=

\u2014 ${SIGSUM_ORIGIN} UgIom2VbtIcdFbwFAy1n7s6IkAxIY6J/GQOTuZF2ORV39d75cbAj2aQYwyJre36kezNobZs4SUUdrcawfAB8WVrx6go=
`;
export const SIGSUM_CP5 = `${SIGSUM_ORIGIN}
5
QrtXrQZCCvpIgsSmOsah7HdICzMLLyDfxToMql9WTjY=

\u2014 ${SIGSUM_ORIGIN} UgIomw/EOJmWi0i1FQsOj+etB7F8IccFam/jgd6wzRns4QPVmyEZtdvl1U2KEmLOZ/ASRcWJi0tW90dJWAShei7sDww=
`;

// --- FiloSottile/torchwood cmd/litewitness/testdata/multi-cosigs-ed25519.txt ----
export const LITE_PK = fromHex('52c05edad1bf5feffa81354faae59a655d9a9a1a793ed2f62c39c26c0be2aecd')!;
export const LITE_ORIGIN =
  'sigsum.org/v1/tree/985ea163f5af026723561354f51f2ebcdcf2af809ce254ccfb64aa9aadd80f90';
export const LITE_CP = `${LITE_ORIGIN}
1
KgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=

\u2014 ${LITE_ORIGIN} 7BKT0gOfNZ1J0So9unY3BZtm2YkPIoNYM/dce0Z2avJDs8dxN6ts9bOSwwrVrbjm6P9K3ZxpK6jJngOG6YvGGzV/lwo=
`;

/** Consistency proof 1 -> 3 sent with SIGSUM_CP3 in TestRace. */
export const SIGSUM_PROOF_1_3 = [
  'KgEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  'KgIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
].map((b) => fromBase64(b)!);

/** Consistency proof 1 -> 5 sent with SIGSUM_CP5 in TestRace. */
export const SIGSUM_PROOF_1_5 = [
  'KgEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  '+fUDV+k970B4I3uKrqJM4aP1lloPZP8mvr2Z4wRw2LI=',
  'KgQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
].map((b) => fromBase64(b)!);
