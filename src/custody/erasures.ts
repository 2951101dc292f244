/**
 * The erasures recorded for an exhibit (docs/PRIVACY.md §Erasure): its
 * `erase` annotations in log order — what was erased, when, by whom and why.
 * Pure: statements in, data out.
 */
import { equalBytes } from '../bytes.js';
import { KEY_PURPOSES, keyIdOf } from '../format/key-id.js';
import type { ActorInfo } from './timeline.js';
import { type ActorDirectory, actorOf, type ShownStatement } from './timeline-v2.js';

export interface Erasure {
  seq: number;
  time: number;
  loggedAt: number;
  by: ActorInfo;
  fields: string[];
  ground: string;
}

export function erasuresOf(
  exhibit: Uint8Array,
  shown: readonly ShownStatement[],
  actors: ActorDirectory,
): Erasure[] {
  return shown
    .filter(
      (s) =>
        s.statement.kind === 'erase' &&
        s.statement.exhibit instanceof Uint8Array &&
        equalBytes(s.statement.exhibit, exhibit),
    )
    .map((s) => ({
      seq: s.index,
      time: s.statement.time,
      loggedAt: s.logTime,
      by: actorOf(actors, keyIdOf(s.statement.signer.key, KEY_PURPOSES.statement)),
      fields: [...(s.statement.body['fields'] as string[])],
      ground: s.statement.body['ground'] as string,
    }));
}
