// The drafts bulk-kill-writer.ts writes and bulk-kill.test.ts expects, from one seed, and
// the batches they are written in.
import { generateBatches, type Batch } from '../../bench/generate';

/** Records per createMany batch (one transaction each). */
export const BULK_KILL_BATCH = 40;

/** About 400 contacts and the other kinds in the reference proportions, one createMany call per kind. */
export function bulkKillDrafts(seed: number): Batch[] {
  return [...generateBatches({ scale: 400 / 50_000, seed, batchSize: 1_000 })];
}

/** The ids of each batch the writer commits, in order. */
export function bulkKillBatches(seed: number): string[][] {
  return bulkKillDrafts(seed).flatMap(({ inputs }) =>
    Array.from({ length: Math.ceil(inputs.length / BULK_KILL_BATCH) }, (_, i) =>
      inputs.slice(i * BULK_KILL_BATCH, (i + 1) * BULK_KILL_BATCH).map((d) => d.id),
    ),
  );
}
