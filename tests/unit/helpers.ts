// Shared by the data-engine tests: temporary workspace files and reading a record back
// from its Y.Doc (the truth) rather than from the projection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import * as Y from 'yjs';
import type { AnyRecord, Author, RecordKind } from '../../shared/domain';
import { docKind, readData, readMeta } from '../../main/data-service/record-doc';
import { Workspace } from '../../main/data-service/workspace';

export const asha: Author = { id: 'worker-asha', name: 'Asha Patel' };
export const ben: Author = { id: 'worker-ben', name: 'Ben Okafor' };

/** A directory removed when the test ends. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'fieldbook-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A workspace in a fresh file, closed when the test ends. */
export function openTemp(t: TestContext, author: Author = asha): { ws: Workspace; path: string } {
  const path = join(tempDir(t), 'workspace.sqlite');
  const ws = Workspace.open({ path, author });
  t.after(() => ws.close());
  return { ws, path };
}

/** A record as its stored Y.Doc holds it, hydrated into a fresh doc. */
export function recordFromDoc(ws: Workspace, id: string): AnyRecord {
  const doc = new Y.Doc({ guid: id });
  Y.applyUpdate(doc, ws.docState(id));
  const kind = docKind(doc) as RecordKind;
  const record = { ...readMeta(id, doc), data: readData(kind, doc) } as AnyRecord;
  doc.destroy();
  return record;
}
