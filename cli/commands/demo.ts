/**
 * custody demo — the main job a newcomer runs. A realistic cross-border case in
 * a fresh directory: seizure in the Netherlands, examination and a derived
 * working copy, hand-over to Germany under a European Investigation Order and
 * to a French court under a Joint Investigation Team agreement, a refused
 * hand-over, a checkpoint signed by the log key, verification against the
 * pinned authority key; then an insider changes one byte of a stored
 * statement and verification says exactly where. Then the same across
 * sovereign ledgers (./demo-federation.ts): the BKA's own ledger, a hand-over
 * between the two, one journey file verified against a trust manifest.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { randomSeed, type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { CustodyError } from '../../src/errors.js';
import { digestFile } from '../../src/files/digest-file.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES, statementKeyShort } from '../../src/format/key-id.js';
import type { RoleV2 } from '../../src/format/kinds.js';
import { encryptKeyFile } from '../../src/keys/keyfile.js';
import type { Clock } from '../../src/ledger/clock.js';
import { compose } from '../../src/ledger/compose.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { LevelLogStore, tamperWithPayload } from '../../src/store/log-level.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { exhibitShort, statementKeyId } from '../context.js';
import { b64, hex, type Output } from '../io.js';
import type { Runner } from '../program.js';
import { demoCheckpoints } from './demo-checkpoints.js';
import { federationDemo } from './demo-federation.js';
import { exhibitTimeline, renderTimeline } from './queries.js';
import { renderReport } from './verify.js';

const HOUR = 3_600_000;
const DEMO_PASSPHRASE = 'demo';

interface Person {
  file: string;
  name: string;
  roles: RoleV2[];
  jurisdiction: string;
  org: string;
  signer: Signer;
  id: string;
}

export function demoCommand(program: Command, run: Runner) {
  run(
    program
      .command('demo')
      .description(
        'run a realistic cross-border custody case in a fresh directory, then tamper with it and catch it',
      )
      .option(
        '--dir <dir>',
        'directory to create it in (must not exist or be empty; default: a new temporary directory)',
      ),
    async (o: { dir?: string }, out: Output) => {
      const dir = resolve(o.dir ?? mkdtempSync(join(tmpdir(), 'custody-demo-')));
      mkdirSync(dir, { recursive: true });
      if (readdirSync(dir).length > 0)
        throw new CustodyError('DEMO_DIR_NOT_EMPTY', `${dir} is not empty`, 'input');
      const say = (s = '') => out.line(s);
      const step = (s: string) => say(`\n== ${s}`);

      // The people in this case. Key files are written (passphrase "demo") so you can continue by hand.
      const mk = (file: string, name: string, roles: RoleV2[], jurisdiction: string, org: string): Person => {
        const seed = randomSeed();
        writeFileSync(
          join(dir, file),
          encryptKeyFile({ name, seed, passphrase: DEMO_PASSPHRASE, kdf: { N: 16384, r: 8, p: 1 } }),
          { mode: 0o600 },
        );
        const signer = signerFromSeed(seed);
        return { file, name, roles, jurisdiction, org, signer, id: statementKeyShort(signer.publicKey) };
      };
      const authority = mk(
        'authority.key',
        'NFI ledger authority',
        [],
        'NL',
        'Netherlands Forensic Institute',
      );
      const logKey = mk('log.key', 'NFI log key', [], 'NL', 'Netherlands Forensic Institute');
      const agent = mk(
        'devries.key',
        'Insp. J. de Vries',
        ['collector', 'custodian'],
        'NL',
        'Politie Amsterdam',
      );
      const nfi = mk(
        'bakker.key',
        'Dr. A. Bakker',
        ['custodian', 'examiner'],
        'NL',
        'Netherlands Forensic Institute',
      );
      const bka = mk(
        'mueller.key',
        'KHK K. Müller',
        ['custodian', 'examiner'],
        'DE',
        'Bundeskriminalamt, Wiesbaden',
      );
      const court = mk('greffe.key', 'Greffier P. Martin', ['court'], 'FR', 'Tribunal judiciaire de Paris');

      const ledgerDir = join(dir, 'ledger');
      const origin = 'demo.custody.example/jit-2026-017';
      let t = Date.now() - 20 * 24 * HOUR;
      // Everyone signs "now" in the story, and the log records it as it arrives.
      const clock: Clock = { now: () => t, zone: () => 'Europe/Amsterdam' };
      const store = await LevelLogStore.open(ledgerDir, 'create');
      const ledger = await LogLedger.open(store, { clock });
      const view = new LedgerView(store);
      const append = async (
        hours: number,
        kind: string,
        signer: Signer,
        fields: Record<string, Canonical | undefined>,
        links: { exhibit?: Uint8Array; after?: Uint8Array; seen?: boolean } = {},
        cosigners: Signer[] = [],
      ) => {
        t += hours * HOUR;
        const seen = links.seen ? await view.seen() : undefined;
        const c = compose({
          kind,
          origin,
          signer,
          cosigners,
          fields,
          ...(links.exhibit ? { exhibit: links.exhibit } : {}),
          ...(links.after ? { after: links.after } : {}),
          ...(seen ? { seen } : {}),
          clock,
        });
        const r = await ledger.submit(c.bytes, c.openingBytes);
        return { ...r, id: c.id };
      };
      const headOf = async (x: Uint8Array) => (await view.exhibit(x))!.head;

      const genesis = await append(0, 'genesis', authority.signer, {
        name: 'JIT 2026-017 evidence ledger',
        jurisdiction: 'NL',
        org: authority.org,
        logKey: [KEY_TYPES.ed25519, logKey.signer.publicKey],
      });
      step(`Ledger created in ${ledgerDir}`);
      say(`origin ${origin}, authority ${authority.name} (${authority.id})`);
      say(`authority public key (a court pins this): ${b64(authority.signer.publicKey)}`);
      say(
        `log key (signs checkpoints; its private key is not kept in the ledger): ${b64(logKey.signer.publicKey)}`,
      );

      step('Enrolment: four people in three jurisdictions, each with their own key');
      let ledgerHead = genesis.id;
      for (const p of [agent, nfi, bka, court]) {
        const a = await append(
          0.1,
          'enrol',
          authority.signer,
          {
            key: [KEY_TYPES.ed25519, p.signer.publicKey],
            purpose: KEY_PURPOSES.statement,
            roles: p.roles,
            jurisdiction: p.jurisdiction,
            name: p.name,
            org: p.org,
          },
          { after: ledgerHead, seen: true },
        );
        ledgerHead = a.id;
        say(`#${a.index} ${p.name}, ${p.org} (${p.jurisdiction}) — ${p.roles.join(', ')} — ${p.id}`);
      }
      // The log's second, post-quantum key (docs/LONG-TERM.md), enrolled by the authority: kept in memory only.
      const logPq = mlDsa44SignerFromSeed(randomSeed());
      const pqEnrol = await append(
        0.1,
        'enrol',
        authority.signer,
        {
          key: [KEY_TYPES.mldsa44, logPq.publicKey],
          purpose: KEY_PURPOSES.log,
          roles: [],
          jurisdiction: 'NL',
          name: 'log key (ML-DSA-44)',
          org: authority.org,
        },
        { after: ledgerHead, seen: true },
      );
      ledgerHead = pqEnrol.id;
      say(`#${pqEnrol.index} the log's ML-DSA-44 key (post-quantum, FIPS 204): it dual-signs checkpoints`);

      // The evidence: a (small) disk image and, later, a working copy of it.
      const image = join(dir, 'HDD-01.dd');
      const content = new Uint8Array(8 << 20);
      for (let i = 0; i < content.length; i += 65536) content.set(randomSeed(), i);
      writeFileSync(image, content);
      const { digests, size } = await digestFile(image, ['sha256', 'sha1', 'md5']);

      step('Seizure in Amsterdam');
      const seizedAt = t + HOUR;
      const reg = await append(3, 'register', agent.signer, {
        label: 'HDD-01',
        caseRef: 'JIT-2026-017 / NL-AMS-4471',
        description: 'Image of the 2 TB disk of the seized laptop (suspect 1)',
        digests: digests as Record<string, Uint8Array>,
        size,
        seal: 'NL-0041187',
        location: 'Damrak 70, Amsterdam',
        seizedAt,
      });
      const ex = reg.id;
      const exShort = exhibitShort(ex);
      say(
        `#${reg.index} ${agent.name} registers HDD-01 as exhibit ${exShort}: ${size} bytes, sha256 ${hex(digests.sha256!).slice(0, 16)}…, seal NL-0041187`,
      );
      const chain = async (
        hours: number,
        kind: string,
        signer: Signer,
        fields: Record<string, Canonical | undefined>,
        exhibit = ex,
      ) => append(hours, kind, signer, fields, { exhibit, after: await headOf(exhibit) });

      const tr1 = await chain(20, 'transfer', agent.signer, {
        to: statementKeyId(nfi.signer.publicKey),
        reason: 'forensic examination',
        method: 'in person, sealed bag',
      });
      const re1 = await digestFile(image, ['sha256', 'sha1', 'md5']);
      const ac1 = await chain(2, 'accept', nfi.signer, {
        digests: re1.digests as Record<string, Uint8Array>,
        seal: 'intact',
      });
      say(
        `#${tr1.index}-${ac1.index} handed to ${nfi.name} (NFI); she re-hashes on receipt: digests match, seal intact`,
      );

      const exam = await chain(30, 'examine', nfi.signer, {
        action: 'verified image and extracted mailbox artefacts',
        tool: 'Hansken 2026.3',
        digests: { sha256: digests.sha256! },
        seal: 'NL-0041203',
      });
      const copy = join(dir, 'HDD-01-WC1.dd');
      writeFileSync(copy, content);
      const wc = await digestFile(copy, ['sha256']);
      const der = await append(
        1,
        'register',
        nfi.signer,
        {
          label: 'HDD-01-WC1',
          caseRef: 'JIT-2026-017 / NL-AMS-4471',
          description: 'Working copy of HDD-01 for analysis',
          digests: wc.digests as Record<string, Uint8Array>,
          size: wc.size,
          duplicate: true,
        },
        { exhibit: ex, after: await headOf(ex) },
      );
      say(
        `#${exam.index} examined with Hansken 2026.3 and resealed; #${der.index} working copy ${exhibitShort(der.id)} derived from ${exShort}`,
      );

      step('Cross-border: Netherlands → Germany under a European Investigation Order');
      const tr2 = await chain(48, 'transfer', nfi.signer, {
        to: statementKeyId(bka.signer.publicKey),
        reason: 'execution of EIO for joint analysis',
        legalBasis: 'EIO DE-2026-0042 (Directive 2014/41/EU)',
        method: 'diplomatic courier',
        seal: 'NL-0041203',
      });
      const re2 = await digestFile(image, ['sha256', 'sha1', 'md5']);
      const ac2 = await chain(26, 'accept', bka.signer, {
        digests: re2.digests as Record<string, Uint8Array>,
        seal: 'intact',
      });
      say(
        `#${tr2.index} transfer under EIO DE-2026-0042; #${ac2.index} accepted by ${bka.name}, BKA: digests match`,
      );

      step('Germany → France: to the court, under the JIT agreement');
      const tr3 = await chain(120, 'transfer', bka.signer, {
        to: statementKeyId(court.signer.publicKey),
        reason: 'production at trial',
        legalBasis: 'JIT agreement NL-DE-FR 2026/01, art. 13 CISA',
        method: 'courier',
        seal: 'DE-77120',
      });
      const re3 = await digestFile(image, ['sha256']);
      const ac3 = await chain(30, 'accept', court.signer, {
        digests: re3.digests as Record<string, Uint8Array>,
        seal: 'intact',
      });
      say(`#${tr3.index}-${ac3.index} now held by ${court.name}, ${court.org}`);

      step('A hand-over by someone who no longer holds the exhibit is refused');
      try {
        await chain(1, 'transfer', bka.signer, {
          to: statementKeyId(nfi.signer.publicKey),
          reason: 'return',
          legalBasis: 'EIO DE-2026-0042',
        });
        say('UNEXPECTED: the transfer was accepted');
      } catch (e) {
        say(
          `refused: ${(e as Error).message} [${(e as CustodyError).code}] — nothing was written (still ${ledger.size} entries)`,
        );
      }

      step(`Custody timeline of ${exShort} (custody show)`);
      renderTimeline(await exhibitTimeline(view, ex), out, []);

      const { tsa } = await demoCheckpoints({
        ledger,
        view,
        origin,
        logKey: logKey.signer,
        logPq,
        dir,
        out,
        step,
        say,
      });
      const tamperIndex = tr2.index;
      await ledger.close();

      step(
        `Verification, trusting only the authority public key${tsa ? ' (and the TSA root, for the time stamp)' : ''}`,
      );
      const v1 = await verifyDir(ledgerDir, authority.signer.publicKey, tsa?.chain.slice(1));
      renderReport({ ...v1.report, archived: v1.archived, timestamps: v1.timestamps }, out);

      // The insider works on a copy, so that "Try it yourself" starts from the intact ledger.
      const tamperedDir = join(dir, 'ledger-tampered');
      cpSync(ledgerDir, tamperedDir, { recursive: true });
      step(
        `An insider edits one byte of entry #${tamperIndex} on disk, in a copy of the ledger (the EIO reference 0042 → 0043)`,
      );
      await tamperWithPayload(tamperedDir, tamperIndex, (p) => {
        const s = Buffer.from(p);
        const i = s.indexOf('DE-2026-0042');
        s[i + 11] = '3'.charCodeAt(0);
        return new Uint8Array(s);
      });
      const v2 = await verifyDir(tamperedDir, authority.signer.publicKey, tsa?.chain.slice(1));
      renderReport(v2.report, out);

      const bkaAuthority = mk(
        'bka-authority.key',
        'BKA ledger authority',
        [],
        'DE',
        'Bundeskriminalamt, Wiesbaden',
      );
      const bkaLog = mk('bka-log.key', 'BKA log key', [], 'DE', 'Bundeskriminalamt, Wiesbaden');
      const frAuthority = mk(
        'tj-paris-authority.key',
        'Greffe ledger authority',
        [],
        'FR',
        'Tribunal judiciaire de Paris',
      );
      const frLog = mk('tj-paris-log.key', 'Greffe log key', [], 'FR', 'Tribunal judiciaire de Paris');
      const fed = await federationDemo(
        dir,
        ledgerDir,
        origin,
        {
          nlAuthority: authority.signer,
          nlLog: logKey.signer,
          nlLogPq: logPq,
          bkaAuthority: bkaAuthority.signer,
          bkaLog: bkaLog.signer,
          agent: agent.signer,
          bka: bka.signer,
          bkaName: bka.name,
          frAuthority: frAuthority.signer,
          frLog: frLog.signer,
          court: court.signer,
          courtName: court.name,
        },
        {
          ...clock,
          advance: (hours: number) => {
            t += hours * HOUR;
          },
        },
        say,
        step,
      );

      step('Try it yourself');
      say(`key files (passphrase "${DEMO_PASSPHRASE}") and the evidence files are in ${dir}`);
      say(`  export CUSTODY_LEDGER=${ledgerDir} CUSTODY_PASSPHRASE=${DEMO_PASSPHRASE}`);
      say(`  custody show ${exShort}`);
      say(
        `  custody verify --trust ${b64(authority.signer.publicKey)}${tsa ? ` --tsa-root ${tsa.rootCert}` : ''}`,
      );
      say(
        `  custody verify --ledger ${tamperedDir} --trust ${b64(authority.signer.publicKey)}   (the tampered copy)`,
      );
      say(`  custody verify-bundle ${fed.journey} --trust-policy ${fed.manifest} --segment 2`);
      out.result(
        {
          dir,
          ledger: ledgerDir,
          exhibit: exShort,
          derived: exhibitShort(der.id),
          entries: v1.report.entries,
          verifiedBeforeTamper: v1.report.ok && v1.report.anchored,
          verifiedAfterTamper: v2.report.ok,
          tamperedLedger: tamperedDir,
          tamperedEntry: tamperIndex,
          problemsAfterTamper: v2.report.problems,
          federation: fed,
        },
        () => {},
      );
      if (!v1.report.ok || !v1.report.anchored || v2.report.ok || !fed.verified || fed.verifiedAfterTamper)
        throw new CustodyError('DEMO_FAILED', 'the demo did not behave as expected', 'internal');
    },
  );
}

async function verifyDir(dir: string, trusted: Uint8Array, tsaRoots: Uint8Array[] = []) {
  const store = await LevelLogStore.open(dir, 'open');
  try {
    return await verifyLogStore(store, { trustedKeys: [trusted], tsaRoots });
  } finally {
    await store.close();
  }
}
