import { describe, expect, it } from 'vitest';
import { concat, utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf, shortKeyId } from '../../src/format/key-id.js';
import { parse45 } from '../../src/format/short-id.js';
import { keys } from './v2-fixtures.js';

describe('v2 key ids', () => {
  const key = { type: KEY_TYPES.ed25519, publicKey: keys.collector.publicKey };

  it('are SHA-256 of the domain, type, purpose and public key', () => {
    expect(keyIdOf(key, KEY_PURPOSES.statement)).toEqual(
      sha256(concat(utf8('custody/key/v2\n'), new Uint8Array([0x01, 0x01]), keys.collector.publicKey)),
    );
  });

  it('bind the purpose: the same public key has another id as an access or log key', () => {
    const ids = Object.values(KEY_PURPOSES).map((p) => keyIdOf(key, p));
    expect(new Set(ids.map((i) => i.join())).size).toBe(ids.length);
  });

  it('bind the type', () => {
    expect(keyIdOf({ type: KEY_TYPES.mldsa44, publicKey: key.publicKey }, 1)).not.toEqual(keyIdOf(key, 1));
  });

  it('have a short display form that parses back and carries a check symbol', () => {
    const short = shortKeyId(keyIdOf(key, KEY_PURPOSES.statement));
    expect(short).toMatch(/^K-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(parse45('K', short.toLowerCase())).toBe(short);
    const typo = short.slice(0, -1) + (short.endsWith('0') ? '1' : '0');
    expect(parse45('K', typo)).toBeUndefined();
  });
});
