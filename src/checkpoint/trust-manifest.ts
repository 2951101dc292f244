/**
 * The relying party's trust manifest (docs/FEDERATION.md §The trust
 * manifest): for each ledger a court relies on, the fingerprints of its
 * authority keys, the unmodified C2SP tlog-policy its checkpoints must meet
 * (log keys, witnesses, quorum), its URL and the credential its auditors
 * read with. What a court obtains from an official list, once, for every
 * ledger of a journey:
 *
 *   {"custody": "trust", "v": 1,
 *    "ledgers": [{"origin": "<log origin>",
 *                 "authority": ["<SHA-256 of the authority public key, hex>", …],
 *                 "policy": "<tlog-policy file text>",
 *                 "url": "<https URL>",            optional
 *                 "credential": "<access key id>"}  optional: for auditors' reads; not used to verify
 *               , …]}
 *
 * Strict: an unknown field, a duplicate origin, a fingerprint that is not 64
 * hex digits, a policy that does not parse or names no log key for its
 * origin is POLICY_INVALID. Security assumption: the file came through a
 * channel the court trusts; nothing in a bundle can add to it.
 */
import { CustodyError } from '../errors.js';
import { parseTlogPolicy, type TlogPolicy } from './tlog-policy.js';

export interface TrustedLedger {
  origin: string;
  /** SHA-256 fingerprints of its authority public keys, lower-case hex. */
  authority: string[];
  policy: TlogPolicy;
  url?: string;
  credential?: string;
}

export interface TrustManifest {
  ledgers: TrustedLedger[];
}

/** A manifest is small; anything larger is not one. */
export const TRUST_MANIFEST_MAX_BYTES = 1 << 20;
const MAX_LEDGERS = 64;

const invalid = (message: string) =>
  new CustodyError('POLICY_INVALID', `trust manifest: ${message}`, 'input');
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function only(o: Record<string, unknown>, fields: readonly string[], what: string): void {
  for (const k of Object.keys(o))
    if (!fields.includes(k)) throw invalid(`${what}: unknown field ${JSON.stringify(k)}`);
}

function ledgerOf(v: unknown, i: number): TrustedLedger {
  const what = `ledgers[${i}]`;
  if (!isObj(v)) throw invalid(`${what} must be an object`);
  only(v, ['origin', 'authority', 'policy', 'url', 'credential'], what);
  const { origin, authority, policy, url, credential } = v;
  if (typeof origin !== 'string' || origin.length === 0 || origin.length > 500)
    throw invalid(`${what}.origin must be the ledger's log origin`);
  if (!Array.isArray(authority) || authority.length === 0 || authority.length > 16)
    throw invalid(`${what}.authority must list 1 to 16 authority key fingerprints`);
  const fingerprints = authority.map((f) => {
    const hex = typeof f === 'string' ? f.replace(/[\s:]/g, '').toLowerCase() : '';
    if (!/^[0-9a-f]{64}$/.test(hex))
      throw invalid(`${what}.authority: a fingerprint is the SHA-256 of the public key, 64 hex digits`);
    return hex;
  });
  if (typeof policy !== 'string') throw invalid(`${what}.policy must be the text of a C2SP tlog-policy file`);
  let parsed: TlogPolicy;
  try {
    parsed = parseTlogPolicy(policy.endsWith('\n') ? policy : `${policy}\n`);
  } catch (e) {
    throw invalid(`${what}.policy: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!parsed.logs.some((l) => l.verifier.name === origin))
    throw invalid(`${what}.policy names no log key for ${origin}`);
  if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)))
    throw invalid(`${what}.url must be an http(s) URL`);
  if (credential !== undefined && typeof credential !== 'string')
    throw invalid(`${what}.credential must be a string`);
  return {
    origin,
    authority: fingerprints,
    policy: parsed,
    ...(url === undefined ? {} : { url }),
    ...(credential === undefined ? {} : { credential }),
  };
}

/** Parses a trust manifest's text; throws POLICY_INVALID. */
export function parseTrustManifest(text: string): TrustManifest {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid('not JSON');
  }
  if (!isObj(v) || v['custody'] !== 'trust' || v['v'] !== 1)
    throw invalid('not a custody trust manifest ({"custody": "trust", "v": 1, "ledgers": […]})');
  only(v, ['custody', 'v', 'ledgers'], 'the manifest');
  const list = v['ledgers'];
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_LEDGERS)
    throw invalid(`ledgers must list 1 to ${MAX_LEDGERS} ledgers`);
  const ledgers = list.map(ledgerOf);
  const seen = new Set<string>();
  for (const l of ledgers) {
    if (seen.has(l.origin)) throw invalid(`${l.origin} is listed twice`);
    seen.add(l.origin);
  }
  return { ledgers };
}
