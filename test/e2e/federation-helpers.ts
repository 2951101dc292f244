/**
 * Sovereign ledgers for end-to-end federation tests (docs/FEDERATION.md):
 * each with its own authority, log key, one actor with an access key, and
 * (once started) its own server; and a peer recorded as its authority would.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enrol, fixturePeople, json, type Person } from './helpers.js';
import type { Server } from './server-helpers.js';

export interface Side {
  origin: string;
  ledger: string;
  authority: Person;
  log: Person;
  actor: Person;
  access: string;
  server?: Server;
}

/** A new ledger `origin` in `dir`, for `jurisdiction`, with one enrolled actor ([name, roles]). */
export async function side(
  dir: string,
  origin: string,
  jurisdiction: string,
  org: string,
  actor: [string, string],
): Promise<Side> {
  const tag = jurisdiction.toLowerCase();
  const p = fixturePeople(dir, {
    [`${tag}-authority`]: [`${org} authority`, jurisdiction, org, ''],
    [`${tag}-log`]: [`${org} log key`, jurisdiction, org, ''],
    [`${tag}-actor`]: [actor[0], jurisdiction, org, actor[1]],
  } as Record<string, readonly [string, string, string, string]>);
  const [authority, log, person] = [p[`${tag}-authority`]!, p[`${tag}-log`]!, p[`${tag}-actor`]!];
  const ledger = join(dir, tag);
  await json(
    [
      'init',
      '--origin',
      origin,
      '--jurisdiction',
      jurisdiction,
      '--org',
      org,
      '--key',
      authority.key,
      '--log-key',
      log.key,
    ],
    { ledger },
  );
  await enrol(ledger, authority, person);
  const access = join(dir, `${tag}.access`);
  await json(['key', 'new-access', '--name', `${tag} workstation`, '--out', access]);
  await json(['actor', 'add-access-key', person.id, '--key', authority.key, '--public-key', access], {
    ledger,
  });
  return { origin, ledger, authority, log, actor: person, access };
}

/** How a command reaches `s`: its server, with its actor's access key and a purpose. */
export const at = (s: Side) => ({
  ledger: s.server!.url,
  env: { CUSTODY_ACCESS_KEY: s.access, CUSTODY_PURPOSE: 'EIO 2026/117' },
});

/** Records `peer` in `s`, through `s`'s server, with its server's URL and the tlog-policy naming its log key. */
export async function recordPeer(dir: string, s: Side, peer: Side, policyText = 'quorum none\n') {
  const { vkey } = await json<{ vkey: string }>(['checkpoint', '--vkey'], at(peer));
  const policy = join(dir, `${s.origin.split('.')[1]}-knows-${peer.origin.split('.')[1]}.policy`);
  writeFileSync(policy, `log ${vkey}\n${policyText}`);
  await json(
    ['peer', 'add', peer.origin, '--policy', policy, '--key', s.authority.key, '--url', peer.server!.url],
    at(s),
  );
}

/**
 * Writes a court's trust manifest (docs/FEDERATION.md §The trust manifest) for `sides`: each
 * ledger's origin, its authority key's SHA-256 fingerprint, and a tlog-policy naming its log key
 * with no witness required. Returns the file.
 */
export async function writeTrustManifest(file: string, sides: readonly Side[]): Promise<string> {
  const ledgers = [];
  for (const s of sides) {
    const pub = (await json<{ publicKey: string }>(['key', 'show', s.authority.key])).publicKey;
    const vkey = (await json<{ vkey: string }>(['checkpoint', '--vkey'], at(s))).vkey;
    ledgers.push({
      origin: s.origin,
      authority: [createHash('sha256').update(Buffer.from(pub, 'base64')).digest('hex')],
      policy: `log ${vkey}\nquorum none\n`,
    });
  }
  writeFileSync(file, JSON.stringify({ custody: 'trust', v: 1, ledgers }));
  return file;
}
