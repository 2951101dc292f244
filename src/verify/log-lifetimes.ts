/**
 * Key lifetimes over the whole ledger (CUSTODY-RULES.md §Key lifetimes): the
 * rules judge each statement as the log stood when it was appended, but a
 * theft revocation appended later can end a key's life before statements
 * already in the log (its `revokedAt`, `compromisedSince`). Bundles apply the
 * key records proven at their checkpoint to the statements they show; this
 * applies the replay's final key records to every accepted statement, so the
 * whole-ledger verdict is never milder than a bundle's.
 *
 * Memory: one number per accepted statement and one small integer for its
 * exhibit (an index into the exhibits seen), kept per signer.
 */
import { toHex } from '../bytes.js';
import type { CustodyState } from '../custody/custody-state.js';
import { lifetimeBreaches, retiresItsSigner } from '../custody/key-lifetime.js';
import { type KeyRecord, NS } from '../custody/records.js';
import type { Problem } from '../findings.js';
import type { Statement } from '../format/statement.js';

interface Signed {
  id: Uint8Array;
  at: number[];
  /** Index into `exhibits`, or -1 for a statement about no exhibit. */
  exhibit: number[];
  /** Positions of the statements that retire the key itself. */
  self: Set<number>;
}

export class SignerPositions {
  readonly #signers = new Map<string, Signed>();
  readonly #exhibits: string[] = [];
  readonly #exhibitIndex = new Map<string, number>();

  /** An accepted statement at `index`, signed by `signerId`, about `exhibit` (its short id) if any. */
  add(index: number, signerId: Uint8Array, statement: Statement, exhibit: string | null): void {
    const k = toHex(signerId);
    let s = this.#signers.get(k);
    if (!s) {
      s = { id: signerId, at: [], exhibit: [], self: new Set() };
      this.#signers.set(k, s);
    }
    s.at.push(index);
    let x = -1;
    if (exhibit !== null) {
      x = this.#exhibitIndex.get(exhibit) ?? this.#exhibits.length;
      if (x === this.#exhibits.length) {
        this.#exhibits.push(exhibit);
        this.#exhibitIndex.set(exhibit, x);
      }
    }
    s.exhibit.push(x);
    if (retiresItsSigner(statement, signerId)) s.self.add(index);
  }

  /** SIGNER_REVOKED / SIGNER_COMPROMISED for every statement outside its signer's life as `state` ends. */
  async problems(state: CustodyState): Promise<Problem[]> {
    const signers = [...this.#signers.values()];
    await state.prefetch({ keys: signers.map((s) => [NS.key, s.id] as const), indexes: [] });
    const out: Problem[] = [];
    for (const s of signers) {
      const rec = state.get<KeyRecord>(NS.key, s.id);
      if (!rec || (rec.revokedAt === undefined && rec.compromisedSince === undefined)) continue;
      s.at.forEach((index, i) => {
        const x = s.exhibit[i]!;
        for (const b of lifetimeBreaches(rec, index, s.self.has(index)))
          out.push({
            code: b.code,
            severity: 'error',
            seq: index,
            exhibit: x < 0 ? null : this.#exhibits[x]!,
            message: b.message,
          });
      });
    }
    return out;
  }
}
