// Merging duplicate records into one survivor, and undoing it.
//
// A merge never rewrites references and never deletes data: the merged-away records keep
// their docs and data and gain `mergedInto` (every read resolves references through
// Workspace.resolveId), and the survivor takes the chosen values as ordinary stamped
// writes, remembering in its `merges` map what each field held before. So an unmerge only
// clears `mergedInto` and puts back the survivor's fields the merge changed and nobody has
// changed since; edits made meanwhile to any of the records stay. Every step is a CRDT
// write, so merges and unmerges sync like any other edit.
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { FIELD_STORAGE, type AnyRecord, type Author, type FieldStorage } from '../../../shared/domain';
import { applyDifference, splitKey } from '../../../shared/field-items';
import { RpcError } from '../../../shared/rpc';
import type { MergeEntry, MergeKind, MergeParams, MergeResult, UnmergeResult } from '../../../shared/rpc-team';
import { toBase64 } from '../../../shared/base64';
import { MERGE_META, MERGES_MAP } from '../../../shared/merge-layout';
import { readStamp, writeMeta, writePatch, type FieldChange } from '../record-doc';
import type { Workspace } from '../workspace';

/** What the survivor's `merges` map holds per merge (key: mergeId). */
interface StoredMerge {
  mergedIds: string[];
  at: string;
  by: Author;
  /** The merge's stamp: a field still stamped with it has not been changed since. */
  hlc: string;
  /** Each survivor field (or collection item, `field.itemId`) the merge changed, and its value before. */
  changes: { field: string; before: unknown }[];
  undoneAt: string | null;
  undoneBy: Author | null;
}

const mergesOf = (doc: Y.Doc) => doc.getMap<StoredMerge>(MERGES_MAP);

const isEmptyValue = (value: unknown) =>
  value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

type Row = Record<string, unknown> & { id: string };

/** The survivor's new data: chosen values, lists and collections joined unless a choice names one record. */
export function mergedData(kind: MergeKind, records: AnyRecord[], choices: Record<string, string>): Record<string, unknown> {
  const [survivor, ...others] = records as [AnyRecord, ...AnyRecord[]];
  const dataOf = (r: AnyRecord) => r.data as Record<string, unknown>;
  const byId = new Map(records.map((r) => [r.id, dataOf(r)]));
  const merged: Record<string, unknown> = {};
  for (const [field, storage] of Object.entries(FIELD_STORAGE[kind])) {
    const chosen = choices[field];
    if (chosen) {
      merged[field] = byId.get(chosen)![field];
      continue;
    }
    const values = [dataOf(survivor)[field], ...others.map((o) => dataOf(o)[field])];
    if (storage === 'set') merged[field] = [...new Set((values as string[][]).flat())].sort();
    else if (storage === 'collection') {
      const items = new Map<string, Row>();
      for (const list of values as Row[][]) for (const item of list) if (!items.has(item.id)) items.set(item.id, item);
      merged[field] = [...items.values()];
    } else merged[field] = isEmptyValue(values[0]) ? (values.find((v) => !isEmptyValue(v)) ?? values[0]) : values[0];
  }
  return merged;
}

function checkChoices(kind: MergeKind, ids: string[], choices: Record<string, string>): void {
  const fields = FIELD_STORAGE[kind] as Record<string, string>;
  const issues = Object.entries(choices).flatMap(([field, id]) => {
    if (!Object.hasOwn(fields, field)) return [{ field: `choices.${field}`, message: `a ${kind} has no field ${field}` }];
    if (!ids.includes(id)) return [{ field: `choices.${field}`, message: 'must name one of the records being merged' }];
    return [];
  });
  if (issues.length) throw RpcError.invalid(issues);
}

function activeRecord(ws: Workspace, kind: MergeKind, id: string, field: string): AnyRecord {
  let record: AnyRecord;
  try {
    record = ws.get(kind, id);
  } catch {
    throw RpcError.invalid([{ field, message: `no ${kind} with id ${id}` }]);
  }
  if (record.mergedInto) throw RpcError.invalid([{ field, message: `${ws.titleOf(id)} was already merged into another record` }]);
  if (record.deletedAt) throw RpcError.invalid([{ field, message: `${ws.titleOf(id)} is deleted; restore it first` }]);
  return record;
}

export function mergeRecords(ws: Workspace, params: Required<MergeParams>): MergeResult {
  const { kind, survivorId, mergedIds, choices } = params;
  const ids = [survivorId, ...mergedIds];
  if (new Set(ids).size !== ids.length) throw RpcError.invalid([{ field: 'mergedIds', message: 'a record cannot be merged with itself' }]);
  checkChoices(kind, ids, choices);
  const records = [
    activeRecord(ws, kind, survivorId, 'survivorId'),
    ...mergedIds.map((id, i) => activeRecord(ws, kind, id, `mergedIds.${i}`)),
  ];
  const patch = mergedData(kind, records, choices);
  const mergeId = randomUUID();
  let entry!: StoredMerge;
  const survivor = ws.transaction(() => {
    const result = ws.changeRecord(kind, survivorId, (doc, current, _meta, stamp) => {
      const changes = writePatch(kind, doc, current as Record<string, unknown>, patch, stamp);
      entry = {
        mergedIds,
        at: stamp.at,
        by: stamp.author,
        hlc: stamp.hlc,
        changes: changes.map((c) => ({ field: c.field, before: c.before ?? null })),
        undoneAt: null,
        undoneBy: null,
      };
      mergesOf(doc).set(mergeId, entry);
      return [...changes, { field: '(merged)', before: null, after: mergedIds }];
    });
    for (const id of mergedIds) {
      ws.changeRecord(kind, id, (doc) => {
        const seen = toBase64(Y.encodeStateVector(doc));
        writeMeta(doc, { mergedInto: survivorId });
        doc.getMap('meta').set(MERGE_META.mergeId, mergeId);
        doc.getMap('meta').set(MERGE_META.seen, seen);
        return [{ field: '(merged into)', before: null, after: survivorId }];
      });
    }
    return result;
  });
  return { survivor, merge: toEntry(ws, survivorId, mergeId, entry) };
}

export function unmergeRecords(ws: Workspace, survivorId: string, mergeId: string): UnmergeResult {
  const kind = ws.docKind(survivorId);
  if (kind !== 'contact' && kind !== 'asset') throw RpcError.invalid([{ field: 'survivorId', message: `no merged contact or asset with id ${survivorId}` }]);
  const entry = mergesOf(ws.recordDoc(kind, survivorId)).get(mergeId);
  if (!entry) throw RpcError.invalid([{ field: 'mergeId', message: 'this record has no such merge' }]);
  if (entry.undoneAt) throw new RpcError('conflict', `this merge was already undone on ${entry.undoneAt.slice(0, 10)} by ${entry.undoneBy?.name}`);
  const survivorNow = ws.get(kind, survivorId);
  // Merged away since, it must come back first — unless that merge closed a cycle (two
  // leads merging these records into each other offline): undoing either merge breaks it.
  if (survivorNow.mergedInto && !inMergeCycle(ws, kind, survivorId)) {
    throw new RpcError('conflict', `this record was itself merged into ${ws.resolveId(survivorId)} since; undo that merge first`);
  }
  return ws.transaction(() => {
    const survivor = ws.changeRecord(kind, survivorId, (doc, current, _meta, stamp) => {
      const restore = untouchedRestore(kind, doc, current as Record<string, unknown>, entry);
      const changes = writePatch(kind, doc, current as Record<string, unknown>, restore, stamp);
      mergesOf(doc).set(mergeId, { ...entry, undoneAt: stamp.at, undoneBy: stamp.author });
      return [...changes, { field: '(unmerged)', before: entry.mergedIds, after: null }];
    });
    const restored = entry.mergedIds.map((id) =>
      ws.changeRecord(kind, id, (doc, _current, meta): FieldChange[] => {
        if (meta.mergedInto !== survivorId) return [];
        writeMeta(doc, { mergedInto: null });
        doc.getMap('meta').delete(MERGE_META.mergeId);
        doc.getMap('meta').delete(MERGE_META.seen);
        return [{ field: '(unmerged)', before: survivorId, after: null }];
      }),
    );
    return { survivor, restored };
  });
}

/**
 * The patch putting back what the merge changed on the survivor, field by field (item by
 * item in collections), leaving alone whatever was changed after the merge.
 */
function untouchedRestore(kind: MergeKind, doc: Y.Doc, current: Record<string, unknown>, entry: StoredMerge): Record<string, unknown> {
  const storage = FIELD_STORAGE[kind] as Record<string, FieldStorage>;
  const untouched = (key: string) => readStamp(doc, key)?.hlc === entry.hlc;
  const patch: Record<string, unknown> = {};
  for (const { field: key, before } of entry.changes) {
    const { field, item } = splitKey(key);
    if (!untouched(key)) continue;
    if (item === null) {
      // A plain field, or a whole set as merges stored it before sets were kept member by member.
      if (storage[field] !== 'collection') patch[field] = before;
      continue;
    }
    // A member or item the merge added goes; one it replaced or removed comes back.
    const added = storage[field] === 'set' ? item : { id: item };
    patch[field] = applyDifference(storage[field]!, patch[field] ?? current[field], before === null ? [added] : [], before === null ? [] : [before]).value;
  }
  return patch;
}

/** Whether following `mergedInto` from this record comes back to it. */
function inMergeCycle(ws: Workspace, kind: MergeKind, id: string): boolean {
  const seen = new Set<string>();
  for (let next = ws.get(kind, id).mergedInto; next && !seen.has(next); next = ws.get(kind, next).mergedInto) {
    if (next === id) return true;
    seen.add(next);
  }
  return false;
}

function toEntry(ws: Workspace, survivorId: string, mergeId: string, stored: StoredMerge): MergeEntry {
  const fields = [...new Set(stored.changes.map((c) => c.field.split('.')[0]!))];
  return {
    mergeId,
    survivorId,
    merged: stored.mergedIds.map((id) => ({ id, title: ws.titleOf(id) })),
    at: stored.at,
    by: stored.by,
    fields,
    undoneAt: stored.undoneAt,
    undoneBy: stored.undoneBy,
  };
}

/** The merges a record survived, newest first. */
export function mergesOfRecord(ws: Workspace, id: string): MergeEntry[] {
  const kind = ws.docKind(id);
  if (!kind) throw new RpcError('not_found', `no record with id ${id}`);
  const entries: MergeEntry[] = [];
  mergesOf(ws.recordDoc(kind, id)).forEach((stored, mergeId) => entries.push(toEntry(ws, id, mergeId, stored)));
  return entries.sort((a, b) => (a.at < b.at ? 1 : -1));
}
