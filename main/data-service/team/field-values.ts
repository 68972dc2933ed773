// Writing one field's value back into a record, for restoring from history and for
// resolving the conflict inbox. Goes through Workspace.update, so it is validated,
// stamped and in the history like any edit.
import { FIELD_STORAGE, type AnyRecord, type RecordKind } from '../../../shared/domain';
import { RpcError } from '../../../shared/rpc';
import type { Workspace } from '../workspace';

type Item = Record<string, unknown> & { id: string };

/**
 * Put `value` into `key` of a record: a whole field (`phone`) or one collection item
 * (`consents.<itemId>`; null removes the item). `join` adds a list's or a collection's
 * members to what the field holds instead of replacing it (copying a merged-away
 * record's edit to its survivor must not drop the survivor's own consents).
 */
export function writeFieldValue(ws: Workspace, kind: RecordKind, id: string, key: string, value: unknown, how: 'replace' | 'join'): AnyRecord {
  const [field, itemId] = key.split('.') as [string, string | undefined];
  const storage = (FIELD_STORAGE[kind] as Record<string, string>)[field];
  if (!storage) throw RpcError.invalid([{ field: 'field', message: `"${key}" is not a field of a ${kind} and cannot be restored` }]);
  const current = (ws.get(kind, id).data as Record<string, unknown>)[field];
  let next: unknown = value;
  if (itemId) {
    if (storage !== 'collection') throw RpcError.invalid([{ field: 'field', message: `"${key}" is not an item of a list` }]);
    const items = (current as Item[]).filter((item) => item.id !== itemId);
    const index = (current as Item[]).findIndex((item) => item.id === itemId);
    if (value) items.splice(index < 0 ? items.length : index, 0, { ...(value as Item), id: itemId });
    next = items;
  } else if (how === 'join' && storage === 'set') {
    next = [...new Set([...(current as string[]), ...((value as string[] | null) ?? [])])];
  } else if (how === 'join' && storage === 'collection') {
    const joined = new Map((current as Item[]).map((item) => [item.id, item]));
    for (const item of (value as Item[] | null) ?? []) joined.set(item.id, item);
    next = [...joined.values()];
  }
  return ws.update(kind, id, { [field]: next } as never);
}
