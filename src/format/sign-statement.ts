/**
 * Making and checking signed statements (docs/FORMAT.md §Signatures). Used by
 * every signer: a workstation online or offline, a server's tests, the vector
 * generator. Nothing here needs the ledger.
 */
import { ed25519, type Signer as KeySigner } from '../crypto/ed25519.js';
import { FormatError } from './format-error.js';
import { KEY_TYPES, type TypedKey } from './key-id.js';
import { checkKind, type KindSpec } from './kinds.js';
import {
  type DecodedStatement,
  decodeSignedStatement,
  encodeSignedStatement,
  encodeTbs,
  STATEMENT_LIMITS,
  type Statement,
  statementId,
  statementMessage,
} from './statement.js';

export interface SignedStatement {
  bytes: Uint8Array;
  tbs: Uint8Array;
  id: Uint8Array;
}

/** The Ed25519 statement key of a signer, as the envelope names it. */
export const ed25519Key = (publicKey: Uint8Array): TypedKey => ({ type: KEY_TYPES.ed25519, publicKey });

/**
 * Signs `statement` with the signer and then each co-signer the kind requires,
 * in order, after checking it against the kinds table and the size limit, so
 * an offline signer never produces a statement the ledger must refuse for its
 * shape. Throws FormatError.
 */
export function signStatement(
  statement: Statement,
  signer: KeySigner,
  cosigners: readonly KeySigner[] = [],
): SignedStatement {
  checkKind(statement);
  const tbs = encodeTbs(statement);
  const message = statementMessage(tbs);
  const signatures = [signer, ...cosigners].map((k) => k.sign(message));
  const bytes = encodeSignedStatement(tbs, signatures);
  if (bytes.length > STATEMENT_LIMITS.signed)
    throw new FormatError(
      'STATEMENT_TOO_LARGE',
      `signed statement of ${bytes.length} bytes exceeds ${STATEMENT_LIMITS.signed}`,
    );
  return { bytes, tbs, id: statementId(tbs) };
}

/** The keys whose signatures a statement must carry, in order: the signer, then the kind's co-signers. */
export function requiredSigners(spec: KindSpec, s: Statement): TypedKey[] {
  return [s.signer.key, ...(spec.cosigners?.(s.body) ?? [])];
}

/** One Ed25519 verification a statement needs (the shape of src/crypto/signature-checker.ts SignatureJob). */
export interface StatementSignatureJob {
  message: Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array;
}

/**
 * The verifications a decoded statement needs — one per required signer, over
 * the same message — or why it cannot have valid signatures at all (wrong
 * count, a key type that cannot sign statements). Callers verify the jobs
 * inline or in a worker batch. Never throws.
 */
export function signatureJobs(
  d: DecodedStatement,
  spec: KindSpec,
): { jobs: StatementSignatureJob[] } | { problem: string } {
  const keys = requiredSigners(spec, d.statement);
  if (d.signatures.length !== keys.length)
    return { problem: `${d.statement.kind} carries ${d.signatures.length} signatures, needs ${keys.length}` };
  const message = statementMessage(d.tbs);
  const jobs: StatementSignatureJob[] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    // Statement keys are Ed25519 (./key-id.ts TYPES_FOR_PURPOSE); anything else cannot sign a statement.
    if (k.type !== KEY_TYPES.ed25519)
      return { problem: `signature ${i} is by a key type that cannot sign statements` };
    jobs.push({ message, signature: d.signatures[i]!, publicKey: k.publicKey });
  }
  return { jobs };
}

/** Why a decoded statement's signatures fail, or undefined if all verify. Never throws. */
export function signatureProblem(d: DecodedStatement, spec: KindSpec): string | undefined {
  const j = signatureJobs(d, spec);
  if ('problem' in j) return j.problem;
  const bad = j.jobs.findIndex((x) => !ed25519.verify(x.signature, x.message, x.publicKey));
  return bad < 0 ? undefined : `signature ${bad} does not verify`;
}

/** Decodes, checks against the kinds table and verifies every signature. Throws FormatError. */
export function openSignedStatement(bytes: Uint8Array): DecodedStatement & { spec: KindSpec } {
  const d = decodeSignedStatement(bytes);
  const spec = checkKind(d.statement);
  const p = signatureProblem(d, spec);
  if (p) throw new FormatError('STATEMENT_SIGNATURE_INVALID', p);
  return { ...d, spec };
}
