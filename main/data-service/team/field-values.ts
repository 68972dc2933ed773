// Writing one field's value back into a record, for resolving the conflict inbox. Goes
// through Workspace.update, so it is validated, stamped and in the history like any edit.
import { FIELD_STORAGE, type AnyRecord, type RecordKind } from '../../../shared/domain';
import { RpcError } from '../../../shared/rpc';
import type { Item } from '../../../shared/field-items';
import type { Workspace } from '../workspace';

/**
 * Put `value` into a field of a record. `join` adds a list's or a collection's
 * members to what the field holds instead of replacing it (copying a merged-away
 * record's edit to its survivor must not drop the survivor's own consents).
 */
export function writeFieldValue(ws: Workspace, kind: RecordKind, id: string, field: string, value: unknown, how: 'replace' | 'join'): AnyRecord {
  const storage = (FIELD_STORAGE[kind] as Record<string, string>)[field];
  if (!storage) throw RpcError.invalid([{ field: 'field', message: `"${field}" is not a field of a ${kind}` }]);
  const current = (ws.get(kind, id).data as Record<string, unknown>)[field];
  let next: unknown = value;
  if (how === 'join' && storage === 'set') {
    next = [...new Set([...(current as string[]), ...((value as string[] | null) ?? [])])];
  } else if (how === 'join' && storage === 'collection') {
    const joined = new Map((current as Item[]).map((item) => [item.id, item]));
    for (const item of (value as Item[] | null) ?? []) joined.set(item.id, item);
    next = [...joined.values()];
  }
  return ws.update(kind, id, { [field]: next } as never);
}
