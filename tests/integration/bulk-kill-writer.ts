// Child process of bulk-kill.test.ts: writes a generated workspace (contacts, assets,
// sessions, connections) through the bulk write path, in small batches, and prints the ids
// of each batch as one JSON line only AFTER it committed. The parent kills it with SIGKILL
// at random moments and checks that every committed batch is whole and nothing else is.
//
//   node --import tsx tests/integration/bulk-kill-writer.ts <dbpath> <seed>
import type { CreateInput, RecordKind } from '../../shared/domain';
import { Workspace } from '../../main/data-service/workspace';
import { bulkKillDrafts, BULK_KILL_BATCH } from './bulk-kill-drafts';

const [path, seed] = process.argv.slice(2);
if (!path || !seed) {
  console.error('usage: bulk-kill-writer.ts <dbpath> <seed>');
  process.exit(2);
}
const ws = Workspace.open({ path, author: { id: 'importer', name: 'Bulk Writer' } });
process.stdout.write('ready\n');
for (const { kind, inputs } of bulkKillDrafts(Number(seed))) {
  let acknowledged = 0;
  ws.createMany(kind as RecordKind, inputs as { id: string; data: CreateInput<RecordKind> }[], {
    batchSize: BULK_KILL_BATCH,
    onProgress: ({ done }) => {
      process.stdout.write(`${JSON.stringify(inputs.slice(acknowledged, done).map((d) => d.id))}\n`);
      acknowledged = done;
    },
  });
}
process.stdout.write('done\n');
ws.close();
