// A peer's doc that is new to this device, read from the update that creates it: its kind
// and its record as the projection holds it (sanitized, sanitize.ts). A pure function
// of the update, so the sync client can read a pull's new docs on a second thread while
// this one writes (new-doc-reader.ts) and get exactly what reading them here gives.
import * as Y from 'yjs';
import type { AnyRecord, RecordKind } from '../../../shared/domain';
import { docKind, readData, readMeta } from '../record-doc';
import { isRecordKind, sanitizeRecord } from './sanitize';

export type NewDocRead =
  /** `kind` null: the update does not say what the doc is (it arrived before the doc's creation). */
  | { ok: true; kind: RecordKind; record: AnyRecord }
  | { ok: true; kind: null; record: null }
  /** The update could not be decoded: why. */
  | { ok: false; error: string };

export function readNewDoc(id: string, update: Uint8Array): NewDocRead {
  const doc = new Y.Doc({ guid: id });
  try {
    Y.applyUpdate(doc, update, 'remote');
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  // Only a doc's creation says what kind it is.
  const kind = docKind(doc);
  if (!isRecordKind(kind)) return { ok: true, kind: null, record: null };
  return { ok: true, kind, record: sanitizeRecord(kind, readMeta(id, doc), readData(kind, doc) as Record<string, unknown>) };
}
