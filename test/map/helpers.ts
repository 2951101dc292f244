/** Shared fixtures of the state-map tests: a key pool with shared path prefixes, proof comparison. */
import type { MapProof } from '../../src/map/index.js';
import { keysSharingPrefix, type RefProof, refPath } from './reference.js';

export interface PoolKey {
  readonly ns: string;
  readonly key: string;
  readonly path: Uint8Array;
}

/**
 * Keys for random histories: unrelated keys in two namespaces, five whose
 * paths share their first 3 nibbles (deep branches), and a pair sharing 6
 * (a chain of one-child branches above the branch that splits them).
 */
export function keyPool(): PoolKey[] {
  const keys: [string, string][] = [];
  for (let i = 0; i < 14; i++) keys.push(['exhibit', `r${i}`]);
  for (let i = 0; i < 4; i++) keys.push(['actor', `r${i}`]);
  for (const k of keysSharingPrefix('exhibit', 's', 3, 5)) keys.push(['exhibit', k]);
  for (const k of keysSharingPrefix('exhibit', 'q', 6, 2)) keys.push(['exhibit', k]);
  return keys.map(([ns, key]) => ({ ns, key, path: refPath(ns, key) }));
}

/** A proof as plain data, for deep comparison with the reference. */
export const plainProof = (p: MapProof | RefProof): unknown => ({
  levels: p.levels.map((l) => ({ bitmap: l.bitmap, siblings: Buffer.from(l.siblings).toString('hex') })),
  terminal:
    p.terminal.kind === 'member'
      ? { kind: 'member', value: Buffer.from(p.terminal.value).toString('hex') }
      : p.terminal.kind === 'absent-empty'
        ? { kind: 'absent-empty' }
        : {
            kind: 'absent-leaf',
            path: Buffer.from(p.terminal.path).toString('hex'),
            value: Buffer.from(p.terminal.value).toString('hex'),
          },
});
