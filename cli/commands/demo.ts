/**
 * custody demo — the main job a newcomer runs. A realistic cross-border case in
 * a fresh directory: seizure in the Netherlands, examination and a derived
 * working copy, hand-over to Germany under a European Investigation Order and
 * to a French court under a Joint Investigation Team agreement, a refused
 * hand-over, verification against the pinned authority key; then an insider
 * changes one byte of the stored ledger and verification says exactly where.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { randomSeed, type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { digestFile } from '../../src/files/digest-file.js';
import type { Role } from '../../src/format/events.js';
import { keyId } from '../../src/format/ids.js';
import { encryptKeyFile } from '../../src/keys/keyfile.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { verifyStore } from '../../src/ledger/verify.js';
import { buildTimeline } from '../../src/report/timeline.js';
import { LevelStore, tamperWithEntry } from '../../src/store/level.js';
import { b64, hex, type Output } from '../io.js';
import type { Runner } from '../program.js';
import { renderTimeline } from './queries.js';
import { renderReport } from './verify.js';

const HOUR = 3_600_000;
const DEMO_PASSPHRASE = 'demo';

interface Person {
  file: string;
  name: string;
  roles: Role[];
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
      const mk = (file: string, name: string, roles: Role[], jurisdiction: string, org: string): Person => {
        const seed = randomSeed();
        writeFileSync(
          join(dir, file),
          encryptKeyFile({ name, seed, passphrase: DEMO_PASSPHRASE, kdf: { N: 16384, r: 8, p: 1 } }),
          { mode: 0o600 },
        );
        const signer = signerFromSeed(seed);
        return { file, name, roles, jurisdiction, org, signer, id: keyId(signer.publicKey) };
      };
      const authority = mk(
        'authority.key',
        'NFI ledger authority',
        ['log'],
        'NL',
        'Netherlands Forensic Institute',
      );
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
      const store = await LevelStore.open(ledgerDir, 'create');
      let t = Date.now() - 20 * 24 * HOUR;
      const at = (hours: number) => {
        t += hours * HOUR;
        return { time: t, tz: 'Europe/Amsterdam' };
      };
      const ledger = await Ledger.create(store, authority.signer, {
        origin: 'demo.custody.example/jit-2026-017',
        name: authority.name,
        jurisdiction: 'NL',
        org: authority.org,
        ...at(0),
      });
      step(`Ledger created in ${ledgerDir}`);
      say(`origin demo.custody.example/jit-2026-017, authority ${authority.name} (${authority.id})`);
      say(`authority public key (a court pins this): ${b64(authority.signer.publicKey)}`);

      step('Enrolment: four people in three jurisdictions, each with their own key');
      for (const p of [agent, nfi, bka, court]) {
        const a = await ledger.append(
          {
            kind: 'enrol',
            body: {
              publicKey: p.signer.publicKey,
              name: p.name,
              roles: p.roles,
              jurisdiction: p.jurisdiction,
              org: p.org,
            },
          },
          authority.signer,
          at(0.1),
        );
        say(`#${a.seq} ${p.name}, ${p.org} (${p.jurisdiction}) — ${p.roles.join(', ')} — ${p.id}`);
      }

      // The evidence: a (small) disk image and, later, a working copy of it.
      const image = join(dir, 'HDD-01.dd');
      const content = new Uint8Array(8 << 20);
      for (let i = 0; i < content.length; i += 65536) content.set(randomSeed(), i);
      writeFileSync(image, content);
      const { digests, size } = await digestFile(image, ['sha256', 'sha1', 'md5']);

      step('Seizure in Amsterdam');
      const reg = await ledger.append(
        {
          kind: 'register',
          body: {
            label: 'HDD-01',
            caseRef: 'JIT-2026-017 / NL-AMS-4471',
            description: 'Image of the 2 TB disk of the seized laptop (suspect 1)',
            digests: digests as { sha256: Uint8Array },
            size,
            seal: 'NL-0041187',
            location: 'Damrak 70, Amsterdam',
            seizedAt: t - 2 * HOUR,
          },
        },
        agent.signer,
        at(3),
      );
      const ex = reg.exhibit!;
      say(
        `#${reg.seq} ${agent.name} registers HDD-01 as exhibit ${ex}: ${size} bytes, sha256 ${hex(digests.sha256!).slice(0, 16)}…, seal NL-0041187`,
      );

      const tr1 = await ledger.append(
        {
          kind: 'transfer',
          body: { exhibit: ex, to: nfi.id, reason: 'forensic examination', method: 'in person, sealed bag' },
        },
        agent.signer,
        at(20),
      );
      const re1 = await digestFile(image, ['sha256', 'sha1', 'md5']);
      const ac1 = await ledger.append(
        { kind: 'accept', body: { exhibit: ex, digests: re1.digests, seal: 'intact' } },
        nfi.signer,
        at(2),
      );
      say(
        `#${tr1.seq}-${ac1.seq} handed to ${nfi.name} (NFI); she re-hashes on receipt: digests match, seal intact`,
      );

      const exam = await ledger.append(
        {
          kind: 'examine',
          body: {
            exhibit: ex,
            action: 'verified image and extracted mailbox artefacts',
            tool: 'Hansken 2026.3',
            digests: { sha256: digests.sha256! },
            seal: 'NL-0041203',
          },
        },
        nfi.signer,
        at(30),
      );
      const copy = join(dir, 'HDD-01-WC1.dd');
      writeFileSync(copy, content);
      const wc = await digestFile(copy, ['sha256']);
      const der = await ledger.append(
        {
          kind: 'register',
          body: {
            label: 'HDD-01-WC1',
            caseRef: 'JIT-2026-017 / NL-AMS-4471',
            description: 'Working copy of HDD-01 for analysis',
            digests: wc.digests as { sha256: Uint8Array },
            size: wc.size,
            parent: ex,
          },
        },
        nfi.signer,
        at(1),
      );
      say(
        `#${exam.seq} examined with Hansken 2026.3 and resealed; #${der.seq} working copy ${der.exhibit} derived from ${ex}`,
      );

      step('Cross-border: Netherlands → Germany under a European Investigation Order');
      const tr2 = await ledger.append(
        {
          kind: 'transfer',
          body: {
            exhibit: ex,
            to: bka.id,
            reason: 'execution of EIO for joint analysis',
            legalBasis: 'EIO DE-2026-0042 (Directive 2014/41/EU)',
            method: 'diplomatic courier',
            seal: 'NL-0041203',
          },
        },
        nfi.signer,
        at(48),
      );
      const re2 = await digestFile(image, ['sha256', 'sha1', 'md5']);
      const ac2 = await ledger.append(
        { kind: 'accept', body: { exhibit: ex, digests: re2.digests, seal: 'intact' } },
        bka.signer,
        at(26),
      );
      say(
        `#${tr2.seq} transfer under EIO DE-2026-0042; #${ac2.seq} accepted by ${bka.name}, BKA: digests match`,
      );

      step('Germany → France: to the court, under the JIT agreement');
      const tr3 = await ledger.append(
        {
          kind: 'transfer',
          body: {
            exhibit: ex,
            to: court.id,
            reason: 'production at trial',
            legalBasis: 'JIT agreement NL-DE-FR 2026/01, art. 13 CISA',
            method: 'courier',
            seal: 'DE-77120',
          },
        },
        bka.signer,
        at(120),
      );
      const re3 = await digestFile(image, ['sha256']);
      const ac3 = await ledger.append(
        { kind: 'accept', body: { exhibit: ex, digests: re3.digests, seal: 'intact' } },
        court.signer,
        at(30),
      );
      say(`#${tr3.seq}-${ac3.seq} now held by ${court.name}, ${court.org}`);

      step('A hand-over by someone who no longer holds the exhibit is refused');
      try {
        await ledger.append(
          {
            kind: 'transfer',
            body: { exhibit: ex, to: nfi.id, reason: 'return', legalBasis: 'EIO DE-2026-0042' },
          },
          bka.signer,
          at(1),
        );
        say('UNEXPECTED: the transfer was accepted');
      } catch (e) {
        say(
          `refused: ${(e as Error).message} [${(e as CustodyError).code}] — nothing was written (still ${ledger.size} entries)`,
        );
      }

      step(`Custody timeline of ${ex} (custody show)`);
      const actors = new Map((await ledger.actors()).map((a) => [a.id, a]));
      const history = await ledger.history(ex);
      renderTimeline(
        buildTimeline(
          ex,
          history.map((h) => h.payload),
          actors,
        ),
        out,
        [],
      );
      const tamperSeq = tr2.seq;
      await ledger.close();

      step('Verification, trusting only the authority public key');
      const v1 = await verifyDir(ledgerDir, authority.signer.publicKey);
      renderReport(v1.report, out);

      step(`An insider edits one byte of entry #${tamperSeq} on disk (the EIO reference 0042 → 0043)`);
      await tamperWithEntry(ledgerDir, tamperSeq, (rec) => {
        const s = Buffer.from(rec);
        const i = s.indexOf('DE-2026-0042');
        s[i + 11] = '3'.charCodeAt(0);
        return new Uint8Array(s);
      });
      const v2 = await verifyDir(ledgerDir, authority.signer.publicKey);
      renderReport(v2.report, out);

      step('Try it yourself');
      say(`key files (passphrase "${DEMO_PASSPHRASE}") and the evidence files are in ${dir}`);
      say(`  export CUSTODY_LEDGER=${ledgerDir} CUSTODY_PASSPHRASE=${DEMO_PASSPHRASE}`);
      say(`  custody show ${ex}`);
      say(`  custody verify --trust ${b64(authority.signer.publicKey)} --exhibit ${ex} --file ${image}`);
      out.result(
        {
          dir,
          ledger: ledgerDir,
          exhibit: ex,
          derived: der.exhibit,
          entries: v1.report.entries,
          verifiedBeforeTamper: v1.report.ok && v1.report.anchored,
          verifiedAfterTamper: v2.report.ok,
          tamperedEntry: tamperSeq,
          problemsAfterTamper: v2.report.problems,
        },
        () => {},
      );
      if (!v1.report.ok || v2.report.ok)
        throw new CustodyError('DEMO_FAILED', 'the demo did not behave as expected', 'internal');
    },
  );
}

async function verifyDir(dir: string, trusted: Uint8Array) {
  const store = await LevelStore.open(dir, 'open');
  try {
    return await verifyStore(store, { trustedKeys: [trusted] });
  } finally {
    await store.close();
  }
}
