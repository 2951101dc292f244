/**
 * The relying party's trust manifest (src/checkpoint/trust-manifest.ts,
 * docs/FEDERATION.md §The trust manifest): what parses, and each way a
 * manifest is refused with POLICY_INVALID.
 */
import { describe, expect, it } from 'vitest';
import { formatVkey } from '../../src/checkpoint/note.js';
import { parseTrustManifest } from '../../src/checkpoint/trust-manifest.js';
import { CustodyError } from '../../src/errors.js';
import { seededSigner } from '../helpers/world.js';

const ORIGIN = 'ledger.nfi.example/2026';
const policy = `log ${formatVkey(ORIGIN, seededSigner('manifest log').publicKey)}\nquorum none\n`;
const ledger = { origin: ORIGIN, authority: ['ab'.repeat(32)], policy };
const text = (ledgers: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ custody: 'trust', v: 1, ledgers, ...extra });

const refused = (t: string) => {
  try {
    parseTrustManifest(t);
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    return (e as CustodyError).code;
  }
  return 'accepted';
};

describe('trust manifest', () => {
  it('parses a ledger: fingerprints (spaces and colons allowed), its tlog-policy, URL and credential', () => {
    const m = parseTrustManifest(
      text([
        { ...ledger, authority: ['AB:'.repeat(31) + 'AB'], url: 'https://nfi.example', credential: 'K-1' },
      ]),
    );
    expect(m.ledgers[0]).toMatchObject({
      origin: ORIGIN,
      authority: ['ab'.repeat(32)],
      url: 'https://nfi.example',
    });
    expect(m.ledgers[0]!.policy.logs[0]!.verifier.name).toBe(ORIGIN);
  });

  it.each([
    ['not JSON', '{'],
    ['another kind of file', JSON.stringify({ custody: 'policy', v: 1 })],
    ['an unknown field', text([ledger], { extra: 1 })],
    ['an unknown ledger field', text([{ ...ledger, name: 'x' }])],
    ['no ledgers', text([])],
    ['a short fingerprint', text([{ ...ledger, authority: ['ab'] }])],
    ['no fingerprint', text([{ ...ledger, authority: [] }])],
    ['a policy that does not parse', text([{ ...ledger, policy: 'hello' }])],
    ['a policy with no log key for the origin', text([{ ...ledger, origin: 'other.example/1' }])],
    ['a ledger listed twice', text([ledger, ledger])],
    ['a URL that is not one', text([{ ...ledger, url: 'ftp://x' }])],
  ])('refuses %s', (_what, t) => {
    expect(refused(t)).toBe('POLICY_INVALID');
  });
});
