/** custody repair (docs/CLI.md §custody repair, docs/STORAGE.md §Repairing a damaged entry). */
import { realpathSync } from 'node:fs';
import type { Command } from 'commander';
import { CustodyError } from '../../src/errors.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { repairFromBackup } from '../../src/ledger/repair.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { requireLocalLedger } from '../context.js';
import type { Output } from '../io.js';
import { readTextFile } from '../keys.js';
import type { Runner } from '../program.js';

const same = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

export function repairCommand(program: Command, run: Runner) {
  run(
    program
      .command('repair')
      .description(
        'put back damaged entries and payloads from a backup copy of the ledger, checked against a signed checkpoint',
      )
      .requiredOption('--from <backup dir>', 'a backup copy of this ledger (a directory)')
      .option(
        '--checkpoint <file>',
        "the signed checkpoint to check against (default: the ledger's latest stored one)",
      )
      .option('--dry-run', 'say what would be put back, write nothing'),
    async (o: { from: string; checkpoint?: string; dryRun?: boolean }, out: Output) => {
      requireLocalLedger(out.opts, 'custody repair');
      if (same(o.from, out.opts.ledger))
        throw new CustodyError('USAGE', '--from must be a backup copy, not the ledger itself', 'input');
      const store = await LevelLogStore.open(out.opts.ledger, 'open');
      try {
        const backup = await LevelLogStore.open(o.from, 'open');
        try {
          const note = o.checkpoint
            ? readTextFile(o.checkpoint, 'checkpoint')
            : (await new LedgerView(store).latestCheckpoint())?.note;
          if (note === undefined)
            throw new CustodyError(
              'CHECKPOINT_UNKNOWN',
              'the ledger has no stored checkpoint: give --checkpoint <file> (one you kept, or a bundle’s)',
              'input',
            );
          const r = await repairFromBackup(store, backup, note, { dryRun: o.dryRun === true });
          out.result(r, () => {
            for (const x of r.restored)
              out.line(
                `${r.written ? 'restored' : 'would restore'} entry ${x.index}: ${[x.entry ? 'entry' : '', x.payload ? 'payload' : ''].filter(Boolean).join(' and ')}`,
              );
            out.note(
              r.restored.length === 0
                ? `nothing to repair: the first ${r.size} entries and payloads are those the checkpoint of size ${r.size} commits to`
                : `${r.restored.length} entr${r.restored.length === 1 ? 'y' : 'ies'} ${r.written ? 'put back' : 'to put back'} from ${o.from}, checked against the checkpoint of size ${r.size}; run custody verify`,
            );
          });
        } finally {
          await backup.close();
        }
      } finally {
        await store.close();
      }
    },
  );
}
