// Shared by the network and export tests.
import * as Y from 'yjs';
import { writeMeta } from '../../main/data-service/record-doc';
import type { Workspace } from '../../main/data-service/workspace';

/** Mark `id` merged into `survivorId`, as a lead's merge arrives from a peer. */
export function markMerged(ws: Workspace, id: string, survivorId: string): void {
  const doc = new Y.Doc({ guid: id });
  Y.applyUpdate(doc, ws.docState(id));
  const before = Y.encodeStateVector(doc);
  writeMeta(doc, { mergedInto: survivorId });
  ws.applyUpdate(id, Y.encodeStateAsUpdate(doc, before), 'remote');
  doc.destroy();
}
