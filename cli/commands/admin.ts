/** custody init | actor add/revoke/list | authority rotate */
import type { Command } from 'commander';
import { CustodyError } from '../../src/errors.js';
import { ROLES, type Role } from '../../src/format/events.js';
import { keyId } from '../../src/format/ids.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { LevelStore } from '../../src/store/level.js';
import { resolveActor, withLedger } from '../context.js';
import { b64, hex, type Output } from '../io.js';
import { loadSigner, parsePublicKey } from '../keys.js';
import type { Runner } from '../program.js';

export function parseRoles(input: string): Role[] {
  const roles = [
    ...new Set(
      input
        .split(',')
        .map((r) => r.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  for (const r of roles)
    if (!ROLES.includes(r as Role) || r === 'authority')
      throw new CustodyError(
        'ROLE_UNKNOWN',
        `unknown role ${r}; roles are ${ROLES.filter((x) => x !== 'authority').join(', ')}`,
        'input',
      );
  if (roles.length === 0) throw new CustodyError('ROLE_UNKNOWN', 'give at least one role', 'input');
  return (roles as Role[]).sort();
}

/**
 * Upper-cases ASCII letters only: toUpperCase would turn 'ﬁ' into FI (Finland),
 * 'ſe' into SE and 'ıe' into IE, signing a jurisdiction the user never typed.
 * Anything non-ASCII is left for the schema check to refuse.
 */
export const jurisdictionArg = (v: string) =>
  v.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x20));

export function adminCommands(program: Command, run: Runner) {
  run(
    program
      .command('init')
      .description('create a new ledger (its genesis entry, signed by the authority key)')
      .requiredOption(
        '--origin <name>',
        'ledger origin, unique and stable, e.g. ledger.nfi.nl/2026 (checkpoint origin line)',
      )
      .requiredOption('--jurisdiction <CC>', 'home jurisdiction, ISO 3166-1 alpha-2', jurisdictionArg)
      .requiredOption('--org <organisation>', 'organisation running the ledger')
      .requiredOption('--key <authority key>', 'key file of the ledger authority')
      .option('--name <name>', 'display name of the authority (default: the key file name)'),
    async (
      o: { origin: string; jurisdiction: string; org: string; key: string; name?: string },
      out: Output,
    ) => {
      const signer = await loadSigner(o.key, out);
      const store = await LevelStore.open(out.opts.ledger, 'create');
      try {
        const ledger = await Ledger.create(store, signer, {
          origin: o.origin,
          name: o.name ?? signer.name,
          jurisdiction: o.jurisdiction,
          org: o.org,
        });
        const leafHash = hex(ledger.head.head);
        out.result(
          { seq: 0, leafHash, origin: o.origin, authority: keyId(signer.publicKey), ledger: out.opts.ledger },
          () => {
            out.line(`created ledger ${o.origin} in ${out.opts.ledger}`);
            out.line(
              `authority: ${o.name ?? signer.name} (${keyId(signer.publicKey)}), ${o.org}, ${o.jurisdiction}`,
            );
            out.note('next: enrol the people who will handle evidence with `custody actor add`');
          },
        );
      } finally {
        await store.close();
      }
    },
  );

  const actor = program
    .command('actor')
    .description('enrol, revoke and list actors (people and bodies who hold or act on evidence)');
  run(
    actor
      .command('add')
      .description('enrol an actor (signed by the authority)')
      .requiredOption('--key <authority key>', 'key file of the ledger authority')
      .requiredOption('--public-key <base64 | hex | key file>', "the actor's public key")
      .requiredOption('--name <name>', "the actor's name")
      .requiredOption(
        '--role <role[,role...]>',
        `roles: ${ROLES.filter((r) => r !== 'authority').join(', ')}`,
      )
      .requiredOption('--jurisdiction <CC>', 'ISO 3166-1 alpha-2 code (EU for EU bodies)', jurisdictionArg)
      .requiredOption('--org <organisation>', "the actor's organisation"),
    async (
      o: { key: string; publicKey: string; name: string; role: string; jurisdiction: string; org: string },
      out: Output,
    ) => {
      const publicKey = parsePublicKey(o.publicKey);
      const roles = parseRoles(o.role);
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (ledger) => {
        const a = await ledger.append(
          {
            kind: 'enrol',
            body: { publicKey, name: o.name, roles, jurisdiction: o.jurisdiction, org: o.org },
          },
          signer,
        );
        const id = keyId(publicKey);
        out.result({ actor: id, seq: a.seq, leafHash: hex(a.leafHash) }, () => {
          out.line(
            `enrolled ${o.name} as ${id} (${roles.join(', ')}; ${o.org}, ${o.jurisdiction}) at entry ${a.seq}`,
          );
        });
      });
    },
  );
  run(
    actor
      .command('revoke')
      .description('revoke an actor: nothing it signs after this entry is valid')
      .argument('<actor>', 'actor id or unique name')
      .requiredOption('--key <authority key>', 'key file of the ledger authority')
      .requiredOption('--reason <text>', 'why (e.g. key compromised, left the service)'),
    async (who: string, o: { key: string; reason: string }, out: Output) => {
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (ledger) => {
        const id = await resolveActor(ledger, who);
        const a = await ledger.append({ kind: 'revoke', body: { actor: id, reason: o.reason } }, signer);
        out.result({ actor: id, seq: a.seq, leafHash: hex(a.leafHash) }, () =>
          out.line(`revoked ${id} at entry ${a.seq}`),
        );
      });
    },
  );
  run(actor.command('list').description('list enrolled actors'), async (_o: unknown, out: Output) => {
    await withLedger(out.opts, async (ledger) => {
      const actors = await ledger.actors();
      const rows = actors.map((a) => ({
        actor: a.id,
        name: a.name,
        roles: a.roles,
        jurisdiction: a.jurisdiction,
        org: a.org,
        publicKey: b64(a.publicKey),
        enrolledSeq: a.enrolledSeq,
        status: a.revokedSeq !== undefined ? 'revoked' : a.retiredSeq !== undefined ? 'retired' : 'active',
        ...(a.revokedSeq !== undefined ? { revokedSeq: a.revokedSeq } : {}),
        ...(a.retiredSeq !== undefined ? { retiredSeq: a.retiredSeq } : {}),
      }));
      out.result({ actors: rows }, () => {
        for (const r of rows)
          out.line(
            `${r.actor}  ${r.status.padEnd(7)}  ${r.jurisdiction}  ${r.name} — ${r.org} [${r.roles.join(', ')}]`,
          );
      });
    });
  });

  const authority = program.command('authority').description('manage the ledger authority key');
  run(
    authority
      .command('rotate')
      .description('hand the authority over to a new key (both keys sign)')
      .requiredOption('--key <authority key>', 'current authority key file')
      .requiredOption('--new-key <key file>', 'the new authority key file'),
    async (o: { key: string; newKey: string }, out: Output) => {
      const current = await loadSigner(o.key, out);
      const next = await loadSigner(o.newKey, out);
      await withLedger(out.opts, async (ledger) => {
        const a = await ledger.append({ kind: 'rotate', newAuthority: next }, current);
        out.result({ actor: keyId(next.publicKey), seq: a.seq, leafHash: hex(a.leafHash) }, () =>
          out.line(
            `authority is now ${keyId(next.publicKey)} (entry ${a.seq}); ${keyId(current.publicKey)} is retired`,
          ),
        );
      });
    },
  );
}
