/**
 * The server's configuration file (`custody serve --config <file>`;
 * docs/SERVER.md §Configuration): JSON, every member optional, unknown
 * members refused (a misspelt limit must not silently fall back to the
 * default).
 *
 *   {
 *     "limits": {"bodyBytes", "headerBytes", "requestTimeoutMs", "idleTimeoutMs", "maxConnections", "manifestBytes"},
 *     "maxAgeSeconds": 30,          how long a signed read request stays valid
 *     "ratePerSecond": 1000,        reads per second per access key (bursts of twice that; one command makes many small reads)
 *     "requirePurpose": false,      every read must state its purpose
 *     "readers": [{"name": "…", "publicKey": "<base64 Ed25519>"}],   auditors and peers: statements only
 *     "assignments": {"<case reference>": ["<hex statement key id>", …]},  need-to-know beyond acting
 *     "witnesses": [{"url": "<submission prefix>", "vkey": "<witness vkey>"}],  submit our checkpoints
 *     "witnessIntervalMs": 1000,    at most one submission round per interval
 *     "witnessQuorum": <n>,         cosignatures an append asking to be witnessed waits for (default: all)
 *     "witnessWaitMs": 30000,       how long it waits
 *     "checkpointSources": ["<url of another server of this ledger>", …]
 *                                   asked for their checkpoint before this one signs (docs/SERVER.md §Never two histories)
 *     "witness": {"key": "<key file>", "name": "<witness name>", "logs": ["<log vkey>" | {"vkey", "url"}, …]}
 *                                   witness peers (with a url: keep their hash tiles too)
 *     "audit": {"key": "<key file>", "name": "<auditor name>",
 *               "logs": [{"vkey": "<log vkey>", "url": "<its server>", "accessKey": "<access key file>"}, …]}
 *                                   audit peers: replay their statements before cosigning
 *   }
 */
import { fromBase64 } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { readTextFile } from '../files.js';
import type { ConfiguredReader } from './auth.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';

export interface ServerConfig {
  limits: Limits;
  maxAgeSeconds: number;
  ratePerSecond: number;
  requirePurpose: boolean;
  readers: ConfiguredReader[];
  assignments: Map<string, Set<string>>;
  witnesses: { url: string; vkey: string }[];
  /** Other servers of this ledger, asked for their latest checkpoint before this one signs. */
  checkpointSources: string[];
  witnessIntervalMs: number;
  /** How many of `witnesses` must cosign for an append that asks to be witnessed (default: all). */
  witnessQuorum?: number;
  /** Milliseconds such an append waits (default 30 s). */
  witnessWaitMs: number;
  witness?: { key: string; name?: string; logs: string[]; tiles: Map<string, string> };
  audit?: { key: string; name?: string; logs: AuditedLog[] };
}

/** A peer log this server audits: its log key, its server, and the access key it reads with there. */
export interface AuditedLog {
  vkey: string;
  url: string;
  accessKey: string;
}

export const DEFAULT_CONFIG: ServerConfig = {
  limits: DEFAULT_LIMITS,
  maxAgeSeconds: 30,
  ratePerSecond: 1000,
  requirePurpose: false,
  readers: [],
  assignments: new Map(),
  witnesses: [],
  checkpointSources: [],
  witnessIntervalMs: 1000,
  witnessWaitMs: 30_000,
};

const TOP = [
  'limits',
  'maxAgeSeconds',
  'ratePerSecond',
  'requirePurpose',
  'readers',
  'assignments',
  'witnesses',
  'checkpointSources',
  'witnessIntervalMs',
  'witnessQuorum',
  'witnessWaitMs',
  'witness',
  'audit',
];

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
  const witnessesIn = o['witnesses'] ?? [];
  if (!Array.isArray(witnessesIn)) throw bad('witnesses must be a list');
  const witnesses = witnessesIn.map((x: unknown, i) => {
    const m = x as Record<string, unknown> | null;
    if (!m || typeof m['url'] !== 'string' || !/^https?:\/\//.test(m['url']) || typeof m['vkey'] !== 'string')
      throw bad(`witnesses[${i}] needs an http(s) url and a vkey`);
    return { url: m['url'], vkey: m['vkey'] };
  });
  const sourcesIn = o['checkpointSources'] ?? [];
  if (
    !Array.isArray(sourcesIn) ||
    !sourcesIn.every((u) => typeof u === 'string' && /^https?:\/\/[^\s]+$/.test(u))
  )
    throw bad('checkpointSources must be a list of http(s) URLs');
  const checkpointSources = sourcesIn as string[];
  const wIn = o['witness'] as Record<string, unknown> | undefined;
  const logEntry = (v: unknown) =>
    typeof v === 'string' ||
    (typeof v === 'object' &&
      v !== null &&
      typeof (v as Record<string, unknown>)['vkey'] === 'string' &&
      typeof (v as Record<string, unknown>)['url'] === 'string' &&
      /^https?:\/\//.test((v as Record<string, string>)['url']!));
  if (
    wIn !== undefined &&
    (typeof wIn !== 'object' ||
      wIn === null ||
      typeof wIn['key'] !== 'string' ||
      (wIn['name'] !== undefined && typeof wIn['name'] !== 'string') ||
      !Array.isArray(wIn['logs']) ||
      !wIn['logs'].every(logEntry))
  )
    throw bad('witness needs a key file, optionally a name, and a list of logs (a vkey, or {"vkey", "url"})');
  const witnessLogs = ((wIn?.['logs'] ?? []) as (string | { vkey: string; url: string })[]).map((l) =>
    typeof l === 'string' ? { vkey: l } : l,
  );
  const witness = wIn && {
    key: wIn['key'] as string,
    logs: witnessLogs.map((l) => l.vkey),
    // By the vkey for now; the origin is its name, read where the vkey is parsed (serve).
    tiles: new Map(witnessLogs.flatMap((l) => ('url' in l ? [[l.vkey, l.url] as [string, string]] : []))),
    ...(typeof wIn['name'] === 'string' ? { name: wIn['name'] } : {}),
  };
  const audit = o['audit'] === undefined ? undefined : auditOf(o['audit'], bad);
  return {
    ...(witness ? { witness } : {}),
    ...(audit ? { audit } : {}),
    witnesses,
    checkpointSources,
    witnessIntervalMs: posInt(o['witnessIntervalMs'], 'witnessIntervalMs', DEFAULT_CONFIG.witnessIntervalMs),
    witnessWaitMs: posInt(o['witnessWaitMs'], 'witnessWaitMs', DEFAULT_CONFIG.witnessWaitMs),
    ...(o['witnessQuorum'] === undefined
      ? {}
      : { witnessQuorum: posInt(o['witnessQuorum'], 'witnessQuorum', 1) }),
    limits,
    maxAgeSeconds: posInt(o['maxAgeSeconds'], 'maxAgeSeconds', DEFAULT_CONFIG.maxAgeSeconds),
    ratePerSecond: posInt(o['ratePerSecond'], 'ratePerSecond', DEFAULT_CONFIG.ratePerSecond),
    requirePurpose: o['requirePurpose'] === true,
    readers,
    assignments,
  };
}

function auditOf(v: unknown, bad: (why: string) => CustodyError): NonNullable<ServerConfig['audit']> {
  const m = v as Record<string, unknown> | null;
  const why =
    'audit needs a key file, optionally a name, and a list of logs, each with a vkey, an http(s) url and an accessKey file';
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m['key'] !== 'string' ||
    (m['name'] !== undefined && typeof m['name'] !== 'string') ||
    !Array.isArray(m['logs'])
  )
    throw bad(why);
  const logs = m['logs'].map((x: unknown) => {
    const l = x as Record<string, unknown> | null;
    if (
      typeof l !== 'object' ||
      l === null ||
      typeof l['vkey'] !== 'string' ||
      typeof l['url'] !== 'string' ||
      !/^https?:\/\//.test(l['url']) ||
      typeof l['accessKey'] !== 'string'
    )
      throw bad(why);
    return { vkey: l['vkey'], url: l['url'], accessKey: l['accessKey'] };
  });
  return { key: m['key'], logs, ...(typeof m['name'] === 'string' ? { name: m['name'] } : {}) };
}
