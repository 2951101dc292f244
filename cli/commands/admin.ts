/** custody init | actor add/revoke/list | authority rotate */
import type { Command } from 'commander';
import { equalBytes } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { ROLES_V2, type RoleV2 } from '../../src/format/kinds.js';
import { isOrigin } from '../../src/format/text.js';
import { systemClock } from '../../src/ledger/clock.js';
import { compose } from '../../src/ledger/compose.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { readAccessKey } from '../access-key.js';
import {
  keyShort,
  receiptJson,
  requireLocalLedger,
  resolveKey,
  statementKeyId,
  submit,
  withLedger,
} from '../context.js';
import { refuseSimilarName } from '../enrol-checks.js';
import { parseTime } from '../evidence-input.js';
import { b64, hex, type Output } from '../io.js';
import { loadSigner, mlDsaPublicKeyOf, parsePublicKey } from '../keys.js';
import { type OfflineOptions, offlineGovernance, offlineKeyId, writeStatementFile } from '../offline.js';
import { partyJson, partyText } from '../party.js';
import {
  databaseOf,
  enrolAuthorityAccess,
  isPostgresUrl,
  openPostgres,
  seenFileOfDatabase,
} from '../pg-ledger.js';
import type { Runner } from '../program.js';
import { seenFile, writeSeen } from '../seen.js';

export function parseRoles(input: string): RoleV2[] {
  const roles = [
    ...new Set(
      input
        .split(',')
        .map((r) => r.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  for (const r of roles)
    if (!ROLES_V2.includes(r as RoleV2))
      throw new CustodyError('ROLE_UNKNOWN', `unknown role ${r}; roles are ${ROLES_V2.join(', ')}`, 'input');
  if (roles.length === 0) throw new CustodyError('ROLE_UNKNOWN', 'give at least one role', 'input');
  return (roles as RoleV2[]).sort();
}

/**
 * Upper-cases ASCII letters only: toUpperCase would turn 'ﬁ' into FI (Finland),
 * 'ſe' into SE and 'ıe' into IE, signing a jurisdiction the user never typed.
 * Anything non-ASCII is left for the schema check to refuse.
 */
export const jurisdictionArg = (v: string) =>
  v.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x20));

type GovernanceOffline = OfflineOptions & { checkpoint?: string };

/** --after, --origin and --checkpoint go with --offline: online, the ledger gives them. */
function checkGovernanceFlags(o: GovernanceOffline) {
  if (
    o.offline === undefined &&
    (o.after !== undefined || o.origin !== undefined || o.checkpoint !== undefined)
  )
    throw new CustodyError(
      'USAGE',
      '--after, --origin and --checkpoint go with --offline (online, the ledger gives them)',
      'input',
    );
}

/**
 * Signs a governance statement without the ledger (docs/CLI.md §Offline
 * signing): linked to --after, made against --checkpoint, written to the
 * --offline file for custody submit.
 */
async function signOffline(
  out: Output,
  o: GovernanceOffline & { offline: string },
  kind: 'enrol' | 'revoke' | 'rotate',
  signers: () => Promise<{ signer: Signer; cosigners?: Signer[] }>,
  fields: Record<string, Canonical | undefined>,
) {
  const g = offlineGovernance(o);
  const { signer, cosigners } = await signers();
  const c = compose({
    kind,
    signer,
    cosigners: cosigners ?? [],
    fields,
    origin: g.origin,
    after: g.after,
    seen: g.seen,
    clock: systemClock,
  });
  writeStatementFile(o.offline, c);
  out.result(
    {
      offline: o.offline,
      id: hex(c.id),
      kind,
      origin: g.origin,
      time: new Date(c.statement.time).toISOString(),
    },
    () => {
      out.line(o.offline);
      out.note(
        `signed ${kind} for ${g.origin} into ${o.offline}; nothing is recorded until: custody submit ${o.offline}`,
      );
    },
  );
}

/** Adds the offline options of a governance command. */
const governanceOffline = (c: Command) =>
  c
    .option(
      '--offline <file>',
      'sign without the ledger: write the statement to this file for custody submit',
    )
    .option('--after <statement file | id>', "with --offline: the ledger's last governance statement")
    .option(
      '--checkpoint <file>',
      'with --offline: a checkpoint of the ledger (custody checkpoint prints one)',
    )
    .option('--origin <origin>', "with --offline: the ledger's origin (default: the checkpoint's)");

/** Every ledger statement after genesis: linked to the ledger's head, made against the log as it is now. */
export async function governance(o: Parameters<typeof submit>[0]) {
  const rec = await o.view.ledger();
  return { after: rec.head, seen: await o.view.seen() };
}

export function adminCommands(program: Command, run: Runner) {
  run(
    program
      .command('init')
      .description('create a new ledger: its genesis statement, signed by the authority key')
      .requiredOption(
        '--origin <name>',
        'ledger origin, unique and stable, e.g. ledger.nfi.nl/2026 (checkpoint origin line)',
      )
      .requiredOption('--jurisdiction <CC>', 'home jurisdiction, ISO 3166-1 alpha-2', jurisdictionArg)
      .requiredOption('--org <organisation>', 'organisation running the ledger')
      .requiredOption('--key <authority key>', 'key file of the ledger authority')
      .requiredOption(
        '--log-key <public key | key file>',
        'public key that will sign checkpoints (not the authority key; its private key is never stored)',
      )
      .option('--name <name>', "the ledger's name (default: the origin)"),
    async (
      o: { origin: string; jurisdiction: string; org: string; key: string; logKey: string; name?: string },
      out: Output,
    ) => {
      // Checked before any passphrase or directory: a bad origin never leaves a ledger behind.
      if (!isOrigin(o.origin))
        throw new CustodyError(
          'ORIGIN_INVALID',
          `--origin ${o.origin} is not a valid origin (printable ASCII without spaces, e.g. ledger.nfi.nl/2026)`,
          'input',
        );
      const logKey = parsePublicKey(o.logKey);
      const signer = await loadSigner(o.key, out);
      if (equalBytes(logKey, signer.publicKey))
        throw new CustodyError(
          'LOG_KEY_IS_AUTHORITY',
          'the log key must not be the authority key: use a separate key for checkpoints',
          'input',
        );
      const composed = compose({
        kind: 'genesis',
        origin: o.origin,
        signer,
        fields: {
          name: o.name ?? o.origin,
          jurisdiction: o.jurisdiction,
          org: o.org,
          logKey: [KEY_TYPES.ed25519, logKey],
        },
        clock: systemClock,
      });
      // A PostgreSQL ledger is created here too: creating refuses a database that already has
      // one, so this never writes beside a server (a server needs the ledger to exist).
      const pg = isPostgresUrl(out.opts.ledger);
      if (!pg) requireLocalLedger(out.opts, 'custody init');
      const name = pg ? databaseOf(out.opts.ledger) : out.opts.ledger;
      const store = pg
        ? await openPostgres(out.opts.ledger, 'create')
        : await LevelLogStore.open(out.opts.ledger, 'create');
      const ledger = await LogLedger.open(store);
      try {
        const s = await ledger.submit(composed.bytes, composed.openingBytes);
        const authority = keyShort(statementKeyId(signer.publicKey));
        const view = new LedgerView(store);
        const receipt = receiptJson(await view.receipt(s.index));
        // The authority's way in through the server: no access key is enrolled yet to read with.
        if (pg && out.opts.accessKey)
          await enrolAuthorityAccess(ledger, view, signer, readAccessKey(out.opts.accessKey).publicKey);
        // A new ledger at this path: what this client remembered of an earlier one there is
        // replaced (STORAGE.md §What the client remembers), by the user's own act.
        const forgotten = writeSeen(
          pg ? seenFileOfDatabase(out.opts.ledger) : seenFile(out.opts.ledger),
          name,
          o.origin,
          await view.seen(),
          true,
        );
        if (forgotten)
          out.note(
            `this client forgets the earlier ledger at ${name} (${forgotten.size} ${forgotten.size === 1 ? 'entry' : 'entries'})`,
          );
        out.result(
          { index: s.index, id: hex(s.id), origin: o.origin, authority, ledger: name, receipt },
          () => {
            out.line(`created ledger ${o.origin} in ${name}`);
            out.line(`authority: ${authority}, ${o.org}, ${o.jurisdiction}`);
            out.note('next: enrol the people who will handle evidence with `custody actor add`');
          },
        );
      } finally {
        await ledger.close();
      }
    },
  );

  const actor = program
    .command('actor')
    .description('enrol, revoke and list actors (people and bodies who hold or act on evidence)');
  run(
    actor
      .command('add')
      .description('enrol an actor (signed by the authority or a registrar)')
      .requiredOption('--key <key file>', 'key file of the authority or a registrar')
      .requiredOption('--public-key <base64 | hex | key file>', "the actor's public key")
      .requiredOption('--name <name>', "the actor's name")
      .requiredOption('--role <role[,role...]>', `roles: ${ROLES_V2.join(', ')}`)
      .requiredOption('--jurisdiction <CC>', 'ISO 3166-1 alpha-2 code (EU for EU bodies)', jurisdictionArg)
      .requiredOption('--org <organisation>', "the actor's organisation")
      .option('--valid-until <ISO time>', 'end of the enrolment (ISO 8601 with zone)')
      .option(
        '--identity-check <text>',
        'how the identity was checked, e.g. "passport NL checked by J. Jansen, registrar" (signed, as a commitment)',
      )
      .option(
        '--allow-similar-name',
        'enrol a name that reads the same as, or is confusable with, an active actor of the same organisation (signed into the statement)',
      ),
    async (
      o: {
        key: string;
        publicKey: string;
        name: string;
        role: string;
        jurisdiction: string;
        org: string;
        validUntil?: string;
        identityCheck?: string;
        allowSimilarName?: boolean;
      } & GovernanceOffline,
      out: Output,
    ) => {
      const publicKey = parsePublicKey(o.publicKey);
      const roles = parseRoles(o.role);
      const validUntil = o.validUntil === undefined ? undefined : parseTime(o.validUntil, '--valid-until');
      checkGovernanceFlags(o);
      const fields = {
        key: [KEY_TYPES.ed25519, publicKey],
        purpose: KEY_PURPOSES.statement,
        roles,
        jurisdiction: o.jurisdiction,
        name: o.name,
        org: o.org,
        validUntil,
        // Body version 2 (docs/FORMAT.md §enrol) only when one of them is given.
        similarName: o.allowSimilarName ? true : undefined,
        identityCheck: o.identityCheck,
      };
      if (o.offline !== undefined)
        return signOffline(
          out,
          { ...o, offline: o.offline },
          'enrol',
          async () => ({ signer: await loadSigner(o.key, out) }),
          fields,
        );
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (l) => {
        if (!o.allowSimilarName) await refuseSimilarName(l.view, o.name, o.org, Date.now());
        const { submitted, receipt } = await submit(l, {
          kind: 'enrol',
          signer,
          fields,
          ...(await governance(l)),
        });
        const party = {
          id: statementKeyId(publicKey),
          name: o.name,
          org: o.org,
          jurisdiction: o.jurisdiction,
        };
        out.result(
          {
            actor: keyShort(party.id),
            index: submitted.index,
            id: hex(submitted.id),
            receipt,
            enrolled: partyJson(party),
            ...(o.allowSimilarName ? { similarName: true } : {}),
          },
          () =>
            out.line(
              `enrolled ${partyText(party)} as ${roles.join(', ')} at entry ${submitted.index}${o.allowSimilarName ? ' (a name similar to another, knowingly: signed)' : ''}`,
            ),
        );
      });
    },
  );
  run(
    actor
      .command('revoke')
      .description('revoke an actor: nothing it signs from this entry on is accepted')
      .argument('<actor>', 'key id (K-…) or unique name')
      .requiredOption('--key <key file>', 'key file of the authority or a registrar')
      .requiredOption('--reason <text>', 'why (e.g. key compromised, left the service)')
      .option(
        '--compromised-since <entry>',
        'the log position from which its statements are reported as signed by a compromised key',
      ),
    async (
      who: string,
      o: { key: string; reason: string; compromisedSince?: string } & GovernanceOffline,
      out: Output,
    ) => {
      const since = o.compromisedSince === undefined ? undefined : Number(o.compromisedSince);
      if (since !== undefined && !(Number.isSafeInteger(since) && since >= 0))
        throw new CustodyError(
          'USAGE',
          '--compromised-since must be a log position (a whole number)',
          'input',
        );
      checkGovernanceFlags(o);
      if (o.offline !== undefined)
        return signOffline(
          out,
          { ...o, offline: o.offline },
          'revoke',
          async () => ({ signer: await loadSigner(o.key, out) }),
          { key: offlineKeyId(who, statementKeyId), reason: o.reason, compromisedSince: since },
        );
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (l) => {
        const id = await resolveKey(l.view, who);
        const { submitted, receipt } = await submit(l, {
          kind: 'revoke',
          signer,
          fields: { key: id, reason: o.reason, compromisedSince: since },
          ...(await governance(l)),
        });
        out.result({ actor: keyShort(id), index: submitted.index, id: hex(submitted.id), receipt }, () =>
          out.line(`revoked ${keyShort(id)} at entry ${submitted.index}`),
        );
      });
    },
  );
  run(actor.command('list').description('list enrolled actors'), async (_o: unknown, out: Output) => {
    await withLedger(out.opts, async (l) => {
      const rows = (await l.view.actors()).map((a) => ({
        actor: keyShort(a.id),
        keyId: hex(a.id),
        name: a.name,
        org: a.org,
        roles: a.record.roles,
        jurisdiction: a.record.jurisdiction,
        publicKey: b64(a.record.publicKey),
        enrolledAt: a.record.enrolledAt,
        status:
          a.record.revokedAt !== undefined
            ? 'revoked'
            : a.record.validUntil !== undefined && a.record.validUntil < Date.now()
              ? 'expired'
              : 'active',
        ...(a.record.revokedAt !== undefined ? { revokedAt: a.record.revokedAt } : {}),
        ...(a.record.validUntil !== undefined ? { validUntil: a.record.validUntil } : {}),
      }));
      out.result({ actors: rows }, () => {
        for (const r of rows)
          out.line(
            `${r.actor}  ${r.status.padEnd(7)}  ${r.jurisdiction}  ${r.name} — ${r.org} [${r.roles.join(', ') || 'authority'}]`,
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
    async (o: { key: string; newKey: string } & GovernanceOffline, out: Output) => {
      checkGovernanceFlags(o);
      if (o.offline !== undefined) {
        const keys = { signer: await loadSigner(o.key, out), cosigners: [await loadSigner(o.newKey, out)] };
        return signOffline(out, { ...o, offline: o.offline }, 'rotate', async () => keys, {
          key: [KEY_TYPES.ed25519, keys.cosigners[0]!.publicKey],
        });
      }
      const current = await loadSigner(o.key, out);
      const next = await loadSigner(o.newKey, out);
      await withLedger(out.opts, async (l) => {
        const { submitted, receipt } = await submit(l, {
          kind: 'rotate',
          signer: current,
          cosigners: [next],
          fields: { key: [KEY_TYPES.ed25519, next.publicKey] },
          ...(await governance(l)),
        });
        const [was, now] = [
          keyShort(statementKeyId(current.publicKey)),
          keyShort(statementKeyId(next.publicKey)),
        ];
        out.result({ actor: now, retired: was, index: submitted.index, id: hex(submitted.id), receipt }, () =>
          out.line(`authority is now ${now} (entry ${submitted.index}); ${was} is retired`),
        );
      });
    },
  );

  run(
    authority
      .command('add-log-key')
      .description(
        "enrol the log's ML-DSA-44 key, so that checkpoints can be dual-signed (custody checkpoint --mldsa-key)",
      )
      .requiredOption('--key <authority key>', 'the authority key file')
      .requiredOption(
        '--log-key <ML-DSA-44 key file>',
        'the ML-DSA-44 key file (custody key new --type ml-dsa-44); only its public key is read',
      ),
    async (o: { key: string; logKey: string }, out: Output) => {
      const publicKey = mlDsaPublicKeyOf(o.logKey, out);
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (l) => {
        // The log key belongs to the ledger's own organisation and jurisdiction, as genesis states them.
        const genesis = (await l.view.statementAt(0)).statement.body;
        const [org, jurisdiction] = [genesis['org'] as string, genesis['jurisdiction'] as string];
        const fields = {
          key: [KEY_TYPES.mldsa44, publicKey],
          purpose: KEY_PURPOSES.log,
          roles: [],
          jurisdiction,
          name: 'log key (ML-DSA-44)',
          org,
        };
        const { submitted, receipt } = await submit(l, {
          kind: 'enrol',
          signer,
          fields,
          ...(await governance(l)),
        });
        const id = keyShort(keyIdOf({ type: KEY_TYPES.mldsa44, publicKey }, KEY_PURPOSES.log));
        out.result({ logKey: id, index: submitted.index, id: hex(submitted.id), receipt }, () =>
          out.line(`enrolled the ML-DSA-44 log key ${id} at entry ${submitted.index}`),
        );
      });
    },
  );

  // Governance can be signed without the ledger too (docs/CLI.md §Offline signing); init cannot.
  for (const c of [
    actor.commands.find((x) => x.name() === 'add')!,
    actor.commands.find((x) => x.name() === 'revoke')!,
    authority.commands.find((x) => x.name() === 'rotate')!,
  ])
    governanceOffline(c);
}
