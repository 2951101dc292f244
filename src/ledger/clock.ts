/** Where the ledger gets "now" and the signer's zone; injectable for tests and vectors. */
import { isTimeZoneName } from '../format/text.js';

export interface Clock {
  now(): number;
  zone(): string;
}

// Resolving the zone costs ~0.2 ms (it builds an Intl formatter): once per process.
let zone: string | undefined;

export const systemClock: Clock = {
  now: () => Date.now(),
  zone: () => {
    if (zone === undefined) {
      const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
      zone = z && isTimeZoneName(z) ? z : 'UTC';
    }
    return zone;
  },
};
