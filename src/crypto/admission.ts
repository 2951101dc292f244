/**
 * Key admission: a public key may be enrolled, and is trusted by the verifier,
 * only if it decodes to a curve point (RFC 8032 §5.1.3, canonical y), is not of
 * small order and is torsion-free (lies in the prime-order subgroup).
 *
 * Why: with small-order or mixed-order keys Ed25519 verifiers disagree (ZIP-215
 * versus RFC 8032 versus OpenSSL), and an identity key lets anyone "sign" any
 * message for some verifiers. Admitted keys make every strict verifier agree.
 * The check costs ~0.7 ms, so results are cached.
 */
import * as ed from '@noble/ed25519';
import { toHex } from '../bytes.js';

const cache = new Map<string, boolean>();

export function isAdmissibleKey(publicKey: Uint8Array): boolean {
  if (publicKey.length !== 32) return false;
  const id = toHex(publicKey);
  const hit = cache.get(id);
  if (hit !== undefined) return hit;
  let ok = false;
  try {
    const p = ed.Point.fromBytes(publicKey, false);
    ok = !p.isSmallOrder() && p.isTorsionFree();
  } catch {
    ok = false;
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(id, ok);
  return ok;
}
