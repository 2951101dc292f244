/**
 * What an exhibit's own chain records about its integrity (docs/CUSTODY-RULES.md):
 * a statement whose re-computed digests differ from the registered ones, and
 * one that found the seal broken (the kinds whose view in src/format/kinds.ts
 * says `recomputes` and `sealState`: accept and examine, accept). Only algorithms both sides
 * recorded are compared. Pure; shared by the bundle verifier, `verify
 * --exhibit` and `show`, so all three judge the same statements alike.
 */
import { equalBytes } from '../bytes.js';
import { chainView, isChainKind } from '../format/kinds.js';
import type { Statement } from '../format/statement.js';

export interface RecordedIntegrity {
  /** Positions of the re-checks that recorded other digests. */
  mismatches: number[];
  /** Positions of the accepts that recorded a broken seal. */
  brokenSeals: number[];
}

export function recordedIntegrity(
  exhibit: Uint8Array,
  registered: Readonly<Record<string, Uint8Array>>,
  chain: Iterable<{ index: number; statement: Statement }>,
): RecordedIntegrity {
  const out: RecordedIntegrity = { mismatches: [], brokenSeals: [] };
  for (const { index, statement: st } of chain) {
    if (!(st.exhibit instanceof Uint8Array) || !equalBytes(st.exhibit, exhibit)) continue;
    const view = isChainKind(st.kind) ? chainView(st.kind) : undefined;
    if (!view?.recomputes) continue;
    const got = (st.body['digests'] ?? {}) as Record<string, Uint8Array>;
    if (
      Object.entries(got).some(([alg, d]) => registered[alg] !== undefined && !equalBytes(registered[alg], d))
    )
      out.mismatches.push(index);
    if (view.sealState && st.body['seal'] === 'broken') out.brokenSeals.push(index);
  }
  return out;
}
