/** Seeded keys of the v2 vectors, described so that anyone can re-derive them. */
import { toHex, utf8 } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { KEY_PURPOSES, type KeyPurpose, keyIdOf } from '../../src/format/key-id.js';
import { ed25519Key } from '../../src/format/sign-statement.js';
import { seededSigner } from '../helpers/world.js';
import type { Json } from './json.js';

/** The seed seededSigner (test/helpers/world.ts) derives from a label. */
export const seedOf = (label: string): Uint8Array => sha256(utf8(`custody test key ${label}`));

export interface NamedKey {
  /** What the vectors call the key. */
  name: string;
  /** The seededSigner label. */
  label: string;
  purpose: KeyPurpose;
  signer: Signer;
}

export const namedKey = (name: string, label: string, purpose: KeyPurpose = KEY_PURPOSES.statement) => ({
  name,
  label,
  purpose,
  signer: seededSigner(label),
});

export const keyIdHex = (k: NamedKey): string => toHex(keyIdOf(ed25519Key(k.signer.publicKey), k.purpose));

/** { name, seed, public key, purpose, key id } of each key, for the files. */
export function describeKeys(keys: readonly NamedKey[]): Json {
  return keys.map((k) => ({
    name: k.name,
    seedLabel: `custody test key ${k.label}`,
    seedHex: toHex(seedOf(k.label)),
    type: 1,
    publicKeyHex: toHex(k.signer.publicKey),
    purpose: k.purpose,
    keyIdHex: keyIdHex(k),
  }));
}
