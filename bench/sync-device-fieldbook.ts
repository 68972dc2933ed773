// One device of `bench:sync` running Fieldbook: its own workspace file and sync client,
// in its own process, driven by the coordinator (bench/sync.ts) over IPC.
import { join } from 'node:path';
import * as Y from 'yjs';
import { SyncClient } from '../main/data-service/sync/sync-client';
import { richTextOf } from '../main/data-service/record-doc';
import { Workspace } from '../main/data-service/workspace';
import { crdtState } from '../tests/integration/sync-helpers';
import { projectionRows } from '../tests/unit/helpers';
import { digest, serveDevice, type JoinParams } from './sync-device';
import { lostEdits, teamBase, teamEdits, type Edit } from './sync-workload';

let ws: Workspace;
let client: SyncClient;
let joined: JoinParams;

/** The outbox holds exactly the Yjs updates the device's edits made, each as written. */
const outboxBytes = () => ws.outbox.next(Number.MAX_SAFE_INTEGER).reduce((bytes, row) => bytes + row.data.byteLength, 0);

/** Type a new last line into a session's notes as the rich-text editor does: on a replica of the doc, sent as its update. */
function typeLine(id: string, text: string): void {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, ws.docState(id));
  const before = Y.encodeStateVector(replica);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  const notes = richTextOf(replica, 'notes');
  notes.insert(notes.length, [paragraph]);
  ws.applyUpdate(id, Y.encodeStateAsUpdate(replica, before), 'editor');
  replica.destroy();
}

function apply(edit: Edit): void {
  switch (edit.type) {
    case 'value':
      ws.update('contact', edit.id, { [edit.field]: edit.value });
      return;
    case 'set': {
      const members = ws.get('contact', edit.id).data[edit.field] as string[];
      const next = edit.present ? [...members, edit.member] : members.filter((m) => m !== edit.member);
      ws.update('contact', edit.id, { [edit.field]: next });
      return;
    }
    case 'item': {
      const items = ws.get('contact', edit.id).data[edit.field];
      ws.update('contact', edit.id, { [edit.field]: items.map((i) => (i.id === edit.item ? { ...i, [edit.property]: edit.value } : i)) });
      return;
    }
    case 'line':
      return typeLine(edit.id, edit.text);
  }
}

serveDevice({
  async join(params) {
    joined = params;
    ws = Workspace.open({ path: join(params.dir, `${params.device}.sqlite`), author: { id: `worker-${params.device}`, name: `Worker ${params.device}` } });
    client = new SyncClient(ws, { retryMs: { first: 50, max: 500 } });
    if (params.device === 'a') {
      const base = teamBase(params.size);
      ws.createMany('contact', base.contacts);
      ws.createMany('session', base.sessions);
    }
    await client.connect(params.url, params.inviteCode!);
    await client.syncNow();
  },
  async edit() {
    client.cancel();
    for (const edit of teamEdits(joined.size, teamBase(joined.size))[joined.device]) apply(edit);
    return { updateBytes: outboxBytes() };
  },
  async sync() {
    await client.syncNow();
  },
  async verify() {
    const edits = teamEdits(joined.size, teamBase(joined.size));
    const { oneSided, lost } = await lostEdits(edits, async (id) => ws.get(ws.docKind(id)!, id).data);
    return { records: digest(projectionRows(ws)), docs: digest(crdtState(ws)), oneSided, lost };
  },
});
