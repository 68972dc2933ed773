// One device of `bench:sync` running the baseline, PouchDB: one document per record (its
// fields as JSON, session notes as lines of text) in an in-memory database, replicated
// with the server over HTTP, in its own process, driven by the coordinator over IPC.
import type { PouchDatabase, PouchDoc } from 'pouchdb-core';
import { digest, serveDevice, type JoinParams } from './sync-device';
import { lostEdits, teamBase, teamEdits, type Edit } from './sync-workload';
import { BenchPouchDB } from './pouchdb';

let db: PouchDatabase;
let joined: JoinParams;

async function apply(edit: Edit): Promise<void> {
  const doc = await db.get(edit.id);
  switch (edit.type) {
    case 'value':
      doc[edit.field] = edit.value;
      break;
    case 'set': {
      const members = doc[edit.field] as string[];
      doc[edit.field] = edit.present ? [...members, edit.member].sort() : members.filter((m) => m !== edit.member);
      break;
    }
    case 'item':
      doc[edit.field] = (doc[edit.field] as Record<string, unknown>[]).map((i) => (i.id === edit.item ? { ...i, [edit.property]: edit.value } : i));
      break;
    case 'line':
      doc.notes = `${doc.notes as string}\n${edit.text}`;
      break;
  }
  await db.put(doc);
}

serveDevice({
  async join(params) {
    joined = params;
    db = new BenchPouchDB(params.device, { adapter: 'memory' });
    if (params.device === 'a') {
      const base = teamBase(params.size);
      await db.bulkDocs([
        ...base.contacts.map((c) => ({ _id: c.id, kind: 'contact', ...c.data })),
        ...base.sessions.map((s) => ({ _id: s.id, kind: 'session', ...s.data })),
      ]);
      await db.replicate.to(params.url);
    } else await db.replicate.from(params.url);
  },
  async edit() {
    for (const edit of teamEdits(joined.size, teamBase(joined.size))[joined.device]) await apply(edit);
    return { updateBytes: null };
  },
  async sync() {
    await db.sync(joined.url);
  },
  async verify() {
    const { rows } = await db.allDocs({ include_docs: true, conflicts: true });
    const docs = rows.map((r) => r.doc!);
    // The record is what the app shows: the winning revision, without revision bookkeeping.
    const records = docs.map(({ _rev, _conflicts, ...record }: PouchDoc) => record);
    const byId = new Map(docs.map((d) => [d._id, d]));
    const { oneSided, lost } = await lostEdits(teamEdits(joined.size, teamBase(joined.size)), async (id) => byId.get(id) as Record<string, unknown>);
    return { records: digest(records), docs: digest(docs), oneSided, lost };
  },
});
