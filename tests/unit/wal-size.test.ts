// Bulk work (an import, a first sync) lets the WAL grow to hundreds of megabytes between
// checkpoints (db/workspace-db.ts): once a checkpoint has copied it into the file, the WAL
// is cut back, so a worker's disk does not keep those megabytes after the import.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import type { CreateInput } from '../../shared/domain';
import { generateBatches } from '../../bench/generate';
import { openTemp } from './helpers';

const MB = 1024 * 1024;

test('a bulk write leaves no more than 40 MB of WAL on disk once it has been checkpointed', (t) => {
  const { ws, path } = openTemp(t);
  const walBytes = () => statSync(`${path}-wal`).size;
  for (const batch of generateBatches({ scale: 1, seed: 3, batchSize: 2_000 })) {
    if (batch.kind !== 'contact' || walBytes() > 60 * MB) break;
    ws.createMany('contact', batch.inputs as { id: string; data: CreateInput<'contact'> }[]);
  }
  assert.ok(walBytes() > 60 * MB, `the import's WAL grew to ${(walBytes() / MB).toFixed(0)} MB without a checkpoint`);

  // What the data service does once writes pause, then the next edit.
  ws.db.pragma('wal_checkpoint(PASSIVE)');
  ws.create('contact', { name: 'Ruth Okafor' });
  assert.ok(walBytes() <= 40 * MB, `the WAL kept ${(walBytes() / MB).toFixed(0)} MB on disk after its checkpoint`);
});
