/** Where the ledger gets "now" and the signer's zone; injectable for tests and vectors. */
import { isTimeZoneName } from '../format/text.js';

export interface Clock {
  now(): number;
  zone(): string;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  zone: () => {
    const z = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return z && isTimeZoneName(z) ? z : 'UTC';
  },
};
