// The lead's answers: listing the conflict inbox with each record as it is now, choosing
// a conflict's outcome, and putting back what one change in a record's history did.
import type { ZodType } from 'zod';
import { FIELD_STORAGE, FIELDS, isFreeText, type AnyRecord, type Author, type FieldStorage, type RecordKind } from '../../../shared/domain';
import { applyDifference, asFieldChange, sameValue, splitKey, type Item } from '../../../shared/field-items';
import { RpcError } from '../../../shared/rpc';
import type { ConflictEntry, ConflictValue } from '../../../shared/rpc-team';
import { readData, readStamp } from '../record-doc';
import type { Workspace } from '../workspace';
import { conflictKey, resolutionsOf, valueAtKey, type StoredEntry } from './conflicts';
import { writeFieldValue } from './field-values';

/** A record's value of a field (or a collection item's property) now, with who wrote it last and when. */
function valueNow(ws: Workspace, id: string, field: string): ConflictValue {
  const kind = ws.docKind(id)!;
  const value = valueAtKey(kind, ws.get(kind, id).data as Record<string, unknown>, field);
  const stamp = readStamp(ws.recordDoc(kind, id), field);
  const author: Author = stamp?.author ?? { id: 'unknown', name: 'Unknown' };
  return { value, author, at: stamp?.at ?? '', hlc: stamp?.hlc ?? '' };
}

export function presentConflict(ws: Workspace, entry: StoredEntry): ConflictEntry {
  const kind = ws.docKind(entry.recordId) ?? 'contact';
  const record = { id: entry.recordId, kind, title: ws.titleOf(entry.recordId) };
  const { recordId: _recordId, signature: _signature, writes: _writes, current: stored, ...rest } = entry;
  if (entry.type === 'edited-after-merge') {
    const survivorId = ws.resolveId(entry.recordId);
    return { ...rest, record, item: null, survivor: { id: survivorId, title: ws.titleOf(survivorId) }, current: valueNow(ws, survivorId, entry.field) };
  }
  // Once resolved, the value that stood when it was found is the one worth showing. A set
  // member's last stamp may be a removal that did not take (see detectConcurrent): while
  // the member is as it was found, whoever's value it is was worked out then.
  const now = valueNow(ws, entry.recordId, entry.field);
  const member = conflictKey(kind, entry.field)?.member === true;
  const current = stored && (entry.resolvedAt || (member && sameValue(stored.value, now.value))) ? stored : now;
  // Peers' values come from the server with their attested authors; this device's own may not have reached it yet.
  const flagged = (v: ConflictValue): ConflictValue => (ws.historyLog.isUnsynced(entry.recordId, v.hlc) ? { ...v, unsynced: true } : v);
  return { ...rest, others: rest.others.map(flagged), record, item: itemOf(ws, kind, entry.recordId, entry.field), survivor: null, current: flagged(current) };
}

/** For a conflict over one property of a collection item: the item in words. */
function itemOf(ws: Workspace, kind: RecordKind, id: string, key: string): ConflictEntry['item'] {
  const at = conflictKey(kind, key);
  if (!at?.item || at.member) return null;
  const item = ((ws.get(kind, id).data as Record<string, unknown>)[at.field] as Item[]).find((i) => i.id === at.item);
  return { field: at.field, name: item ? itemName(item) : '(removed since)', property: at.property! };
}

/** Put `value` at a conflict's key: a field, a set member in or out, or one property of a collection item (only it changes). */
function writeKeyValue(ws: Workspace, kind: RecordKind, id: string, key: string, value: unknown): void {
  const at = conflictKey(kind, key);
  if (!at?.item) {
    writeFieldValue(ws, kind, id, key, value, 'replace');
    return;
  }
  if (at.member) {
    const members = ((ws.get(kind, id).data as Record<string, unknown>)[at.field] as string[]).filter((m) => m !== at.item);
    writeFieldValue(ws, kind, id, at.field, value === true ? [...members, at.item] : members, 'replace');
    return;
  }
  const items = (ws.get(kind, id).data as Record<string, unknown>)[at.field] as Item[];
  if (!items.some((i) => i.id === at.item)) throw new RpcError('conflict', `the ${at.field} entry of this conflict was removed since; add it again instead`);
  writeFieldValue(ws, kind, id, at.field, items.map((i) => (i.id === at.item ? { ...i, [at.property!]: value } : i)), 'replace');
}

const writtenOn = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' });
const writtenAt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** Every text of a free-text conflict, oldest first, each under a line naming its author and time. */
function bothTexts(kind: RecordKind, field: string, values: ConflictValue[]): string {
  const texts = [...values]
    .sort((a, b) => (a.hlc < b.hlc ? -1 : 1))
    .filter((v, i, all) => typeof v.value === 'string' && v.value.trim() !== '' && all.findIndex((w) => w.value === v.value) === i);
  const joined = texts
    .map((v) => {
      const at = new Date(v.at);
      return `${v.author.name} wrote on ${writtenOn.format(at)} at ${writtenAt.format(at)}:\n${String(v.value)}`;
    })
    .join('\n\n');
  const check = (FIELDS[kind].shape as Record<string, ZodType>)[field]!.safeParse(joined);
  if (!check.success) {
    const problem = check.error.issues[0]?.message ?? 'is not a valid value';
    throw RpcError.invalid([{ field: 'choice', message: `the texts joined (${joined.length} characters) do not fit ${field}: it ${problem}; keep one of them instead` }]);
  }
  return joined;
}

export function resolveConflict(ws: Workspace, id: number, choice: 'keep' | 'both' | number): ConflictEntry {
  const entry = ws.conflicts.get(id);
  if (!entry) throw new RpcError('not_found', `no conflict with id ${id}`);
  if (entry.resolvedAt) throw new RpcError('conflict', `this conflict was already resolved by ${entry.resolvedBy?.name} (${entry.resolution})`);
  const kind = ws.docKind(entry.recordId);
  if (!kind) throw new RpcError('not_found', `the record of conflict ${id} is gone`);
  ws.transaction(() => {
    let resolution: string;
    if (choice === 'keep') {
      resolution = entry.type === 'concurrent' ? 'kept the current value' : 'left the edit on the merged record';
    } else if (choice === 'both') {
      if (!isFreeText(kind, entry.field)) {
        throw RpcError.invalid([{ field: 'choice', message: `both values can be kept only for free text such as notes or a description, not ${entry.field}` }]);
      }
      // The record that stands for it now: for an edit after a merge, the survivor, whose own text stays too.
      const recordId = ws.resolveId(entry.recordId);
      writeFieldValue(ws, kind, recordId, entry.field, bothTexts(kind, entry.field, [valueNow(ws, recordId, entry.field), ...entry.others]), 'replace');
      resolution = `kept both texts, each with its author and time${entry.type === 'edited-after-merge' ? `, on ${ws.titleOf(recordId)}` : ''}`;
    } else {
      const other = entry.others[choice];
      if (!other) throw RpcError.invalid([{ field: 'choice', message: `must be 'keep' or 0 to ${entry.others.length - 1}` }]);
      if (entry.type === 'concurrent') {
        writeKeyValue(ws, kind, ws.resolveId(entry.recordId), entry.field, other.value);
        resolution = `used ${other.author.name}'s value`;
      } else {
        const survivorId = ws.resolveId(entry.recordId);
        writeFieldValue(ws, kind, survivorId, entry.field, other.value, 'join');
        resolution = `copied ${other.author.name}'s edit to ${ws.titleOf(survivorId)}`;
      }
    }
    // Kept in the record's doc too, so the lead's other devices list it as resolved as well.
    ws.changeRecord(kind, entry.recordId, (doc, _current, _meta, stamp) => {
      resolutionsOf(doc).set(entry.signature, { by: stamp.author, at: stamp.at, resolution });
      return [{ field: '(conflict resolved)', before: entry.field, after: resolution }];
    });
    ws.conflicts.markResolved(id, ws.author, new Date().toISOString(), resolution);
  });
  ws.conflicts.announce();
  return presentConflict(ws, ws.conflicts.get(id)!);
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** What a collection item is called in words: an action's or a priority's text, a skill, a consent's purpose. */
const itemName = (item: Item) => String(item.text ?? item.skill ?? item.purpose ?? item.id);

/**
 * Put back what one change in the history set (`after`) or what it replaced (`before`), as
 * a new ordinary change that touches only what that change was about: the field, or the
 * one member or item of a set or collection (of an item edited in place, only the
 * properties that change edited). Entries written before history was item by item are
 * put back as the difference between their lists.
 */
export function restoreValue(ws: Workspace, params: { kind: AnyRecord['kind']; id: string; historyId: number; side: 'before' | 'after' }): AnyRecord {
  const row = ws.historyLog.entry(params.historyId);
  if (!row || (row.recordId !== params.id && ws.resolveId(row.recordId) !== params.id)) {
    throw RpcError.invalid([{ field: 'historyId', message: 'is not a change of this record' }]);
  }
  if (row.field.startsWith('(')) throw RpcError.invalid([{ field: 'historyId', message: `the change "${row.field}" has no value to restore` }]);
  const storage = (FIELD_STORAGE[params.kind] as Record<string, FieldStorage>)[splitKey(row.field).field];
  if (!storage) throw RpcError.invalid([{ field: 'historyId', message: `"${row.field}" is not a field of a ${params.kind}` }]);
  const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));
  const change = asFieldChange(storage, { field: row.field, before: parse(row.before), after: parse(row.after) });
  if (!change) throw RpcError.invalid([{ field: 'historyId', message: 'a new order cannot be restored; move the entries instead' }]);
  const [from, to] = params.side === 'after' ? [change.before, change.after] : [change.after, change.before];
  // The doc's own data, not references resolved through merges: only this item may change.
  const current = (readData(params.kind, ws.recordDoc(params.kind, params.id)) as Record<string, unknown>)[change.field];
  const { value, gone } = applyDifference(storage, current, from, to);
  if (gone.length) {
    const names = gone.map((item) => `“${itemName(item)}”`).join(', ');
    throw new RpcError('conflict', `${names} was removed since this change; restore its removal first`);
  }
  try {
    return ws.update(params.kind, params.id, { [change.field]: value } as never);
  } catch (error) {
    if (!(error instanceof RpcError) || error.code !== 'invalid') throw error;
    // The write names records by id (`the contact … is deleted`); the person restoring knows them by name.
    const reasons = error.issues.map((issue) => issue.message.replace(UUID, (id) => ws.titleOf(id)));
    throw new RpcError('invalid', `This change cannot be restored: ${reasons.join('; ')}`, error.issues);
  }
}
