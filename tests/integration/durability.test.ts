// Kill a writing process with SIGKILL at random moments, many times over, and check after
// each kill that the workspace file is intact and holds every write the process had
// acknowledged (printed after the call returned), whatever it was doing when killed.
// A killed process leaves its writes in the kernel's page cache, so that test would pass
// with no fsync at all; what survives the power failing is a commit fsynced before the
// call returns, which the second test checks the app asks SQLite for.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { DataService } from '../../main/data-service/data-service';
import { Workspace } from '../../main/data-service/workspace';
import { recordFromDoc, tempDir } from '../unit/helpers';
import type { Ack } from './durability-writer';
import { linesUntilKilled } from './kill-writer';

const ROUNDS = 25;
/** Milliseconds of writing before each kill, drawn from a fixed seed. */
const KILL_AFTER_MS = fc.sample(fc.integer({ min: 0, max: 400 }), { seed: 4471, numRuns: ROUNDS });

const seqOf = (stored: unknown): number => Number(/^w(\d+)/.exec(String(stored))?.[1] ?? -1);

/** Run the writer until it is killed; returns the writes it acknowledged. */
async function writeUntilKilled(path: string, firstSeq: number, killAfterMs: number): Promise<Ack[]> {
  const lines = await linesUntilKilled(join(import.meta.dirname, 'durability-writer.ts'), [path, String(firstSeq)], killAfterMs);
  return lines.map((line) => JSON.parse(line) as Ack);
}

/** The sequence numbers of every value stored (names, titles and notes all start w<seq>). */
function storedSeqs(ws: Workspace): number[] {
  const rows = ws.db.prepare('SELECT data FROM records').all() as { data: string }[];
  return rows.flatMap((r) => [...r.data.matchAll(/"w(\d+)/g)].map((m) => Number(m[1])));
}

test('every acknowledged write survives the writer being killed at random moments', { timeout: 120_000 }, async (t) => {
  const path = join(tempDir(t), 'workspace.sqlite');
  /** The latest value of each field written: `${id} ${field}` -> its write. */
  const expected = new Map<string, Ack>();
  let nextSeq = 1;
  let acknowledged = 0;

  for (const [round, killAfterMs] of KILL_AFTER_MS.entries()) {
    const acks = await writeUntilKilled(path, nextSeq, killAfterMs);
    acknowledged += acks.length;
    for (const ack of acks) expected.set(`${ack.id} ${ack.field}`, ack);
    const lastAcked = acks.at(-1)?.seq ?? nextSeq - 1;

    const ws = Workspace.open({ path, author: { id: 'checker', name: 'Checker' } });
    try {
      assert.equal(ws.db.pragma('integrity_check', { simple: true }), 'ok', `round ${round}`);
      const { docs } = ws.db.prepare('SELECT count(*) AS docs FROM docs').get() as { docs: number };
      const { records } = ws.db.prepare('SELECT count(*) AS records FROM records').get() as { records: number };
      assert.equal(records, docs, `round ${round}: every stored doc has its projection and no more`);

      for (const write of expected.values()) {
        const stored = (ws.get(write.kind, write.id).data as Record<string, unknown>)[write.field];
        const truth = (recordFromDoc(ws, write.kind, write.id).data as Record<string, unknown>)[write.field];
        assert.equal(stored, truth, `round ${round}: ${write.kind} ${write.id} ${write.field} reads as its doc holds it`);
        // The value last written, or one written just before the kill and never acknowledged.
        const seq = seqOf(stored);
        assert.ok(seq === write.seq || seq > lastAcked, `round ${round}: ${write.kind}.${write.field} holds w${seq}, not w${write.seq}`);
        write.seq = seq;
      }
      // The writer does one thing at a time: at most one unacknowledged write can have landed.
      const seqs = storedSeqs(ws);
      assert.ok(new Set(seqs.filter((seq) => seq > lastAcked)).size <= 1, `round ${round}: more than one unacknowledged write stored`);
      nextSeq = Math.max(lastAcked, ...seqs) + 1;
    } finally {
      ws.close();
    }
  }
  assert.ok(acknowledged > ROUNDS, `the writer got work done (${acknowledged} acknowledged writes)`);
});

/** SQLite's PRAGMA synchronous levels: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
const SYNCHRONOUS_FULL = 2;

test('the workspace the app opens fsyncs every commit before answering: WAL with synchronous=FULL', (t) => {
  const dir = tempDir(t);
  const assertFsyncsEachCommit = (service: DataService, when: string) => {
    const db = service.workspace.db;
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal', `${when}: the workspace is in WAL mode`);
    // NORMAL in WAL mode fsyncs only at checkpoints: a crash of the machine loses the last commits.
    const level = Number(db.pragma('synchronous', { simple: true }));
    assert.ok(level >= SYNCHRONOUS_FULL, `${when}: synchronous is ${level}; a commit survives power loss only at FULL (2) or EXTRA (3)`);
  };
  const first = new DataService(dir);
  first.setup('Asha Patel', 'Durability');
  assertFsyncsEachCommit(first, 'on first-run setup');
  first.close();
  const reopened = new DataService(dir);
  t.after(() => reopened.close());
  assertFsyncsEachCommit(reopened, 'when the app starts again');
});
