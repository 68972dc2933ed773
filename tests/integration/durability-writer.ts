// Child process of durability.test.ts: writes to a workspace file as fast as it can and
// prints one JSON line per write only AFTER the call returned (the write was acknowledged).
// The parent kills it with SIGKILL at random moments and checks every acknowledged write.
//
//   node --import tsx tests/integration/durability-writer.ts <dbpath> <first-seq>
import { Workspace } from '../../main/data-service/workspace';

/** One acknowledged write: `field` of record `id` now holds `value` (w<seq>), perhaps followed by `|` and padding. */
export interface Ack {
  seq: number;
  kind: 'contact' | 'session';
  id: string;
  field: string;
  value: string;
}

const [path, firstSeq, keyHex] = process.argv.slice(2);
if (!path || !firstSeq || !keyHex) {
  console.error('usage: durability-writer.ts <dbpath> <first-seq> <key-hex>');
  process.exit(2);
}
writeForever(path, Number(firstSeq), Buffer.from(keyHex, 'hex'));

function writeForever(path: string, firstSeq: number, key: Buffer): never {
  const ws = Workspace.open({ path, author: { id: 'durability', name: 'Durability Writer' }, key });
  const ack = (a: Ack) => process.stdout.write(`${JSON.stringify(a)}\n`);
  process.stdout.write('ready\n');
  const some = (kind: 'contact' | 'session'): string | null => {
    const { total } = ws.list({ kind, limit: 1 });
    return total ? ws.list({ kind, limit: 1, offset: Math.floor(Math.random() * total) }).rows[0]!.id : null;
  };
  for (let seq = firstSeq; ; seq++) {
    const value = `w${seq}`;
    const choice = Math.random();
    const kind = choice < 0.6 ? 'contact' : 'session';
    const id = choice < 0.15 || choice > 0.9 ? null : some(kind);
    if (!id) {
      const record =
        kind === 'contact'
          ? ws.create('contact', { name: value, notes: `${value}|created` })
          : ws.create('session', { title: value, type: 'drop-in', startsAt: '2026-05-01T10:00', notes: `${value}|created` });
      ack({ seq, kind, id: record.id, field: kind === 'contact' ? 'name' : 'title', value });
    } else if (Math.random() < 0.3) {
      const field = kind === 'contact' ? 'name' : 'title';
      ws.update(kind, id, { [field]: value });
      ack({ seq, kind, id, field, value });
    } else {
      // Notes of varying size; a session's are rich text. Enough edits reach compaction.
      ws.update(kind, id, { notes: `${value}|${'x'.repeat(Math.floor(Math.random() * 4000))}` });
      ack({ seq, kind, id, field: 'notes', value });
    }
  }
}
