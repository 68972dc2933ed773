// Shared by the data-engine tests: temporary workspace files and reading a record back
// from its Y.Doc (the truth) rather than from the projection.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import * as Y from 'yjs';
import type { Author, RecordKind, RecordOf } from '../../shared/domain';
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
export function recordFromDoc<K extends RecordKind>(ws: Workspace, kind: K, id: string): RecordOf<K> {
  const doc = new Y.Doc({ guid: id });
  Y.applyUpdate(doc, ws.docState(id));
  assert.equal(docKind(doc), kind, `doc ${id} holds a ${kind}`);
  const record = { ...readMeta(id, doc), data: readData(kind, doc) } as RecordOf<K>;
  doc.destroy();
  return record;
}
