/**
 * The server's configuration file (`custody serve --config <file>`;
 * docs/SERVER.md §Configuration): JSON, every member optional, unknown
 * members refused (a misspelt limit must not silently fall back to the
 * default).
 *
 *   {
 *     "limits": {"bodyBytes", "headerBytes", "requestTimeoutMs", "idleTimeoutMs", "maxConnections"},
 *     "maxAgeSeconds": 30,          how long a signed read request stays valid
 *     "ratePerSecond": 100,         reads per second per access key (bursts of twice that)
 *     "requirePurpose": false,      every read must state its purpose
 *     "readers": [{"name": "…", "publicKey": "<base64 Ed25519>"}],   auditors and peers: statements only
 *     "assignments": {"<case reference>": ["<hex statement key id>", …]}   need-to-know beyond acting
 *   }
 */
import { fromBase64 } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { readTextFile } from '../files.js';
import { DEFAULT_LIMITS, type Limits } from './app.js';
import type { ConfiguredReader } from './auth.js';

export interface ServerConfig {
  limits: Limits;
  maxAgeSeconds: number;
  ratePerSecond: number;
  requirePurpose: boolean;
  readers: ConfiguredReader[];
  assignments: Map<string, Set<string>>;
}

export const DEFAULT_CONFIG: ServerConfig = {
  limits: DEFAULT_LIMITS,
  maxAgeSeconds: 30,
  ratePerSecond: 100,
  requirePurpose: false,
  readers: [],
  assignments: new Map(),
};

const TOP = ['limits', 'maxAgeSeconds', 'ratePerSecond', 'requirePurpose', 'readers', 'assignments'];

export function readServerConfig(path: string): ServerConfig {
  const bad = (why: string) => new CustodyError('CONFIG_INVALID', `${path}: ${why}`, 'input');
  let v: unknown;
  try {
    v = JSON.parse(readTextFile(path, 'server configuration', 1 << 20));
  } catch (e) {
    if (e instanceof CustodyError) throw e;
    throw bad('not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('not a JSON object');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!TOP.includes(k)) throw bad(`unknown member "${k}"`);
  const posInt = (x: unknown, name: string, fallback: number): number => {
    if (x === undefined) return fallback;
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x <= 0)
      throw bad(`${name} must be a positive integer`);
    return x;
  };
  const limitsIn = (o['limits'] ?? {}) as Record<string, unknown>;
  if (typeof limitsIn !== 'object' || Array.isArray(limitsIn)) throw bad('limits must be an object');
  for (const k of Object.keys(limitsIn)) if (!(k in DEFAULT_LIMITS)) throw bad(`unknown limit "${k}"`);
  const limits = Object.fromEntries(
    Object.entries(DEFAULT_LIMITS).map(([k, d]) => [k, posInt(limitsIn[k], `limits.${k}`, d)]),
  ) as unknown as Limits;
  const readersIn = o['readers'] ?? [];
  if (!Array.isArray(readersIn)) throw bad('readers must be a list');
  const readers = readersIn.map((r: unknown, i) => {
    const m = r as Record<string, unknown> | null;
    const pk = typeof m?.['publicKey'] === 'string' ? fromBase64(m['publicKey']) : undefined;
    if (!m || typeof m['name'] !== 'string' || m['name'] === '' || pk?.length !== 32)
      throw bad(`readers[${i}] needs a name and a base64 Ed25519 publicKey`);
    return { name: m['name'], publicKey: pk };
  });
  const asgIn = o['assignments'] ?? {};
  if (typeof asgIn !== 'object' || asgIn === null || Array.isArray(asgIn))
    throw bad('assignments must be an object');
  const assignments = new Map<string, Set<string>>();
  for (const [caseRef, ids] of Object.entries(asgIn)) {
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string' && /^[0-9a-f]{64}$/.test(x)))
      throw bad(`assignments["${caseRef}"] must list hex statement key ids`);
    assignments.set(caseRef, new Set(ids as string[]));
  }
  if (o['requirePurpose'] !== undefined && typeof o['requirePurpose'] !== 'boolean')
    throw bad('requirePurpose must be true or false');
  return {
    limits,
    maxAgeSeconds: posInt(o['maxAgeSeconds'], 'maxAgeSeconds', DEFAULT_CONFIG.maxAgeSeconds),
    ratePerSecond: posInt(o['ratePerSecond'], 'ratePerSecond', DEFAULT_CONFIG.ratePerSecond),
    requirePurpose: o['requirePurpose'] === true,
    readers,
    assignments,
  };
}
